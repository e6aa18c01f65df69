package io.futexra.jca;

import io.futexra.FutexRaException;

/**
 * Refuses a second copy of the RAR in one server (the same archive deployed again under another
 * name), before that copy opens anything.
 *
 * <p>Each copy has its own class loader, so nothing static is shared between copies; the one thing
 * they share is the JVM's system properties. The first copy to use its adapter puts
 * {@value #PROPERTY} = its class loader's description (which names the deployment); a copy from
 * another class loader finds the property taken and gets {@code FUTEXRA090}. Adapter instances of
 * one copy (its built-in definition and every instance activated through the resource-adapters
 * subsystem) share the claim: {@code holders} counts them, and the last one to stop removes the
 * property. Only a {@code String} is stored, so the claim pins no class loader.
 */
final class CopyClaim {

    static final String PROPERTY = "io.futexra.jca.deployedCopy";
    private static final String ME = describe(CopyClaim.class.getClassLoader());
    private static int holders;

    private CopyClaim() {
    }

    /** Joins this copy's claim, taking it if no adapter instance holds it yet. */
    static synchronized void take() {
        if (holders == 0) {
            Object other = System.getProperties().putIfAbsent(PROPERTY, ME);
            if (other != null && !ME.equals(other)) {
                throw new FutexRaException("FUTEXRA090: another copy of the futex-ra RAR is deployed in this server ("
                        + other + "); this copy (" + ME + ") would bind java:/futex-ra/LockFactory a second time and"
                        + " is refused before it opens anything. Deploy the RAR once; for another space or"
                        + " JNDI name, activate another instance of that deployment through the resource-adapters"
                        + " subsystem (/subsystem=resource-adapters/resource-adapter=NAME:add(archive=...), as"
                        + " README shows).");
            }
        }
        holders++;
    }

    /**
     * Leaves the claim; the last instance of this copy releases it.
     *
     * @return whether that was the last instance: no other instance of this copy is running, so
     *     what the copy shares (its private JNA) may go
     */
    static synchronized boolean release() {
        if (holders > 0 && --holders == 0) {
            System.getProperties().remove(PROPERTY, ME);
            return true;
        }
        return false;
    }

    private static String describe(ClassLoader loader) {
        return String.valueOf(loader) + "@" + Integer.toHexString(System.identityHashCode(loader));
    }
}
