package io.futexra.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Looks up JNA's C library, when JNA is shared by the server, with none of our classes on the
 * stack, so that the "JNA Cleaner" thread JNA may start for it keeps nothing of this deployment.
 *
 * <p>Why: creating a {@code NativeLibrary} registers it with JNA's cleaner, which starts its
 * thread if none runs. Up to Java 23 a new thread keeps the {@code AccessControlContext} of the
 * stack that created it: the protection domain of each class on that stack, and each domain its
 * class loader. A server-wide JNA module's cleaner thread outlives the deployment that started it
 * (it runs while anything is registered with it, and the next deployment registers before it
 * idles out), so with our classes on that stack it kept the first deployed RAR's class loader
 * for good (heap dump of WildFly 39 on Java 17 after redeploys: {@code Cleaner$CleanerThread},
 * {@code inheritedAccessControlContext}, {@code context}, {@code ModularProtectionDomain},
 * {@code classloader}). Java 24 and later keep no such context.
 *
 * <p>How: the lookup runs on a common-pool thread (the JDK creates those with a context of its
 * own, naming no deployment) as a {@link Callable} made by {@link MethodHandleProxies} around
 * {@code NativeLibrary.getInstance}: the JDK's class, not ours, so only JDK and JNA frames are on
 * that stack. While our classes are bound to the library, its registration keeps the cleaner
 * thread alive, so our own later JNA calls do not start another. If the common pool does not run
 * the lookup in time (a pool busy with others' work), the lookup is made here, as before.
 */
final class CLibraryLookup {

    private static final Logger LOG = Logger.getLogger("io.futexra.jca");
    private static final long WAIT_SECONDS = 30;

    private CLibraryLookup() {
    }

    /** JNA's C library; looked up off our stack when JNA is not private to our class loader. */
    static NativeLibrary cLibrary() {
        if (Native.class.getClassLoader() == CLibraryLookup.class.getClassLoader()) {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME); // our JNA: its cleaner goes with us
        }
        try {
            MethodHandle getInstance = MethodHandles.publicLookup().findStatic(NativeLibrary.class, "getInstance",
                    MethodType.methodType(NativeLibrary.class, String.class));
            Callable<?> lookup = MethodHandleProxies.asInterfaceInstance(Callable.class,
                    MethodHandles.insertArguments(getInstance, 0, Platform.C_LIBRARY_NAME)
                            .asType(MethodType.methodType(Object.class)));
            return (NativeLibrary) ForkJoinPool.commonPool().submit(lookup).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return lookedUpHere(e);
        } catch (ReflectiveOperationException | ExecutionException | TimeoutException | RuntimeException e) {
            return lookedUpHere(e);
        }
    }

    private static NativeLibrary lookedUpHere(Exception why) {
        LOG.log(Level.WARNING, "FUTEXRA008: looked up the C library on the deploying thread; on Java 17-23 JNA's "
                + "cleaner thread may keep this deployment's classes loaded after undeploy", why);
        return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
    }
}
