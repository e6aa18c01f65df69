package io.futexra.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets go of JNA when the deployment that loaded these classes ends, so that its class loader can
 * be collected; what that takes depends on whose JNA it is.
 *
 * <ul>
 *   <li>A standalone JVM (these classes on the application class loader): nothing; the binding
 *       lives as long as the JVM.
 *   <li>JNA shared by the server (a static {@code com.sun.jna} module, on another class loader
 *       than these classes): JNA outlives the deployment, so the deployment's classes must leave
 *       it. {@link LinuxKernel#unload()} unbinds {@link Syscalls} and drops JNA's cached options of
 *       it, the two references from JNA's statics to our classes (see {@link Syscalls#unbind()}).
 *       JNA's libraries and its cleaner thread are the server's and stay.
 *   <li>JNA bundled in the deployment (loaded by the same class loader as these classes): as
 *       above, and JNA's libraries are disposed too. Each class loader that loads JNA gets its own
 *       copy of {@code libjnidispatch} and its own "JNA Cleaner" daemon thread, which pins the
 *       class loader while it runs; with the libraries disposed it runs out of work and ends (JNA
 *       ends it after about 30 s idle).
 * </ul>
 */
public final class NativeDisposal {

    private static final Logger LOG = Logger.getLogger("io.futexra.jca");

    private NativeDisposal() {
    }

    /** Releases JNA as the class comment says, by whose JNA it is; returns whether anything was released. */
    public static boolean release() {
        ClassLoader ours = NativeDisposal.class.getClassLoader();
        if (ours == ClassLoader.getSystemClassLoader()) {
            return false;
        }
        try {
            if (!LinuxKernel.unload()) {
                return false; // JNA was never used by this deployment
            }
            if (Native.class.getClassLoader() != ours) {
                LOG.fine("FUTEXRA004: unbound the RAR's classes from the server's JNA module");
                return true;
            }
            Method disposeAll = NativeLibrary.class.getDeclaredMethod("disposeAll");
            disposeAll.setAccessible(true);
            disposeAll.invoke(null);
            LOG.fine("FUTEXRA004: disposed the RAR's private copy of JNA");
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "FUTEXRA005: could not release JNA; this deployment's classes may stay loaded after undeploy", e);
            return false;
        }
    }
}
