package io.futexra.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.ChildJvm;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Loading JNA leaves no thread holding the caller's context class loader. In a server the caller is
 * a deployment thread whose context loader is the RAR's; JNA's first load in a JVM starts threads
 * that outlive it — the JDK's "process reaper" (for {@code /sbin/ldconfig -p}) and JNA's cleaner —
 * and a new thread inherits its creator's context loader, so the reaper kept the first undeployed
 * RAR loaded. Runs in a fresh child JVM (JNA's first load happens once per JVM), with a marker loader
 * standing for the deployment's.
 */
@Timeout(120)
class JnaLoadingThreadTest {

    @Test
    void shouldStartNoThreadThatInheritsTheCallersContextClassLoader() throws Exception {
        try (ChildJvm child = ChildJvm.startClass(Child.class)) {
            String started = child.awaitLine("STARTED", Duration.ofSeconds(60));
            String inherited = child.awaitLine("INHERITED", Duration.ofSeconds(10));
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)), child.transcript());
            // JNA's cleaner starts with the first load: a thread the check is not vacuous for
            assertTrue(started.contains("[JNA Cleaner]"), "loading JNA started no cleaner thread: " + child.transcript());
            assertEquals("INHERITED", inherited, "threads holding the caller's context class loader, of those the load "
                    + "started: " + started);
        }
    }

    /** The child: loads the binding with a marker context loader, then lists the threads it started. */
    public static final class Child {

        private Child() {
        }

        public static void main(String[] args) throws Exception {
            Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
            try (URLClassLoader deployment = new URLClassLoader("deployment", new URL[0], Child.class.getClassLoader())) {
                Thread.currentThread().setContextClassLoader(deployment);
                LinuxKernel.load();
                StringBuilder started = new StringBuilder("STARTED");
                StringBuilder inherited = new StringBuilder("INHERITED");
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (before.contains(t)) {
                        continue;
                    }
                    started.append(" [").append(t.getName()).append(']');
                    if (t.getContextClassLoader() == deployment) {
                        inherited.append(" [").append(t.getName()).append(']');
                    }
                }
                System.out.println(started);
                System.out.println(inherited);
            }
        }
    }
}
