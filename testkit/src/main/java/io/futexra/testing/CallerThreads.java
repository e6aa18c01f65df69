package io.futexra.testing;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * The threads a test's callers run on: platform threads, or virtual threads (Java 21+) when a
 * contract's variant asks for them ({@code ContractBase#virtualCallers}) or a child JVM runs with
 * {@code -D}{@value #PROPERTY}{@code =virtual}. Found by method handle, as the testkit is compiled
 * for Java 17.
 */
public final class CallerThreads {

    /** The system property by which a child JVM is told to run its callers on virtual threads. */
    public static final String PROPERTY = "futexra.test.callers";
    /** The JVM option that makes a child's callers virtual threads. */
    public static final String VIRTUAL_OPTION = "-D" + PROPERTY + "=virtual";

    private static final MethodHandle OF_VIRTUAL_FACTORY = find();

    private CallerThreads() {
    }

    /** {@return whether this JVM has virtual threads (Java 21+)} */
    public static boolean virtualAvailable() {
        return OF_VIRTUAL_FACTORY != null;
    }

    /** {@return whether this JVM was told to run callers on virtual threads ({@value #PROPERTY})} */
    public static boolean virtualInThisJvm() {
        return "virtual".equals(System.getProperty(PROPERTY));
    }

    /** Aborts the calling test (an assumption) on a JVM without virtual threads. */
    public static void assumeVirtualThreads() {
        Assumptions.assumeTrue(virtualAvailable(), () -> "virtual threads exist from Java 21; this JVM is "
                + Runtime.version());
    }

    /** @return a factory of virtual threads (Java 21+), each named {@code name} */
    public static ThreadFactory virtualFactory(String name) {
        if (OF_VIRTUAL_FACTORY == null) {
            throw new IllegalStateException("virtual threads exist from Java 21; this JVM is " + Runtime.version());
        }
        try {
            ThreadFactory unnamed = (ThreadFactory) OF_VIRTUAL_FACTORY.invoke();
            return r -> {
                Thread t = unnamed.newThread(r);
                t.setName(name);
                return t;
            };
        } catch (Throwable t) {
            throw new IllegalStateException("Thread.ofVirtual().factory() failed", t);
        }
    }

    /** @return an unstarted thread running {@code task}: virtual if {@code virtual}, else a platform thread */
    public static Thread newThread(boolean virtual, Runnable task, String name) {
        return virtual ? virtualFactory(name).newThread(task) : new Thread(task, name);
    }

    /** @return an unstarted caller thread of this JVM ({@link #virtualInThisJvm()}) running {@code task} */
    public static Thread newThread(Runnable task, String name) {
        return newThread(virtualInThisJvm(), task, name);
    }

    /** Throws if this JVM was told to run callers on virtual threads and the calling thread is not one. */
    public static void checkCaller() {
        if (virtualInThisJvm() && !isVirtual(Thread.currentThread())) {
            throw new AssertionError(Thread.currentThread() + " is not a virtual thread, though " + VIRTUAL_OPTION
                    + " asks for virtual callers");
        }
    }

    /** @return whether {@code thread} is virtual (false before Java 21) */
    public static boolean isVirtual(Thread thread) {
        try {
            MethodHandle isVirtual = MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
            return (boolean) isVirtual.invoke(thread);
        } catch (NoSuchMethodException | IllegalAccessException java17) {
            return false;
        } catch (Throwable t) {
            throw new IllegalStateException("Thread.isVirtual failed", t);
        }
    }

    private static MethodHandle find() {
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            MethodHandle ofVirtual = MethodHandles.publicLookup().findStatic(Thread.class, "ofVirtual",
                    MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")));
            MethodHandle factory = MethodHandles.publicLookup().findVirtual(builder, "factory",
                    MethodType.methodType(ThreadFactory.class));
            return MethodHandles.filterReturnValue(ofVirtual,
                    factory.asType(MethodType.methodType(ThreadFactory.class, ofVirtual.type().returnType())));
        } catch (ReflectiveOperationException absentBefore21) {
            return null;
        }
    }
}
