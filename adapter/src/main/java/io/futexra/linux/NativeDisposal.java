package io.futexra.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets go of JNA when a deployment that bundles it ends.
 *
 * <p>Each class loader that loads JNA gets its own copy of {@code libjnidispatch} and its own
 * "JNA Cleaner" daemon thread, which pins the class loader after undeploy. Unregistering our
 * direct-mapped class and disposing JNA's libraries lets the cleaner thread run out of work and
 * end (JNA ends it after about 30 s idle), and the class loader be collected.
 *
 * <p>Done only when JNA was loaded by the same class loader as this class and that loader is not
 * the application class loader: a RAR bundling JNA, not a standalone JVM (where other code may
 * still use JNA) and not a server-wide {@code com.sun.jna} module (shared by every deployment).
 */
public final class NativeDisposal {

    private static final Logger LOG = Logger.getLogger("io.futexra.jca");

    private NativeDisposal() {
    }

    /** Disposes JNA if it is private to this deployment; returns whether it did. */
    public static boolean disposeIfPrivate() {
        ClassLoader ours = NativeDisposal.class.getClassLoader();
        if (Native.class.getClassLoader() != ours || ours == ClassLoader.getSystemClassLoader()) {
            return false;
        }
        try {
            Native.unregister(Syscalls.class);
            Method disposeAll = NativeLibrary.class.getDeclaredMethod("disposeAll");
            disposeAll.setAccessible(true);
            disposeAll.invoke(null);
            LOG.fine("FUTEXRA004: disposed the RAR's private copy of JNA");
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "FUTEXRA005: could not dispose JNA; its cleaner thread may outlive this deployment", e);
            return false;
        }
    }
}
