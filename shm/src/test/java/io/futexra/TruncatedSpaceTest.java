package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.TestSpaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A co-writer of one space truncates its file under a victim that also holds a lock in a private
 * (0700) space. The victim is a child JVM (root here, as in CI); the truncation is made by
 * {@code nobody}, a member of the shared space's group, with {@code truncate(1)} (as this user when
 * not root). The victim's holder thread took the private lock first and then a lock of the shared
 * space, so its robust list reaches the shared file before the private one.
 */
@Timeout(300)
class TruncatedSpaceTest {

    /**
     * Why these tests need a Java later than 17 (run them with {@code -Djvm=.../temurin-25.../java}):
     * see {@code docs/truncated-spaces.md}.
     */
    private static final String JAVA_17_CAN_STILL_CRASH = "on Java 17 a fault in compiled code is raised only at the"
            + " thread's next entry into the VM, possibly after the futex-ra call returned, and a compare-and-set"
            + " the interpreter runs after such a fault kills the JVM";

    /** Group "users" (gid 100): present on Debian; setpriv grants it without touching /etc/group. */
    private static final String SHARED_GROUP = "100";

    private final TestSpaces sharedDirs = new TestSpaces();
    private final TestSpaces privateDirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        sharedDirs.close();
        privateDirs.close();
    }

    @Test
    void shouldReportATruncationToTheReleasingCallerAndStillRecoverItsPrivateLockAtItsDeath() throws Exception {
        assumeTrue(Runtime.version().feature() > 17, JAVA_17_CAN_STILL_CRASH);
        Path secretDir = privateDirectory();
        Path teamDir = sharedDirectory();
        try (LockSpace secret = LockSpace.open(secretDir, "secret");
             ChildJvm victim = ChildJvm.startClass(Victim.class, "release", teamDir.toString(), "team",
                     secretDir.toString(), "secret")) {
            victim.awaitLine("HOLDING", Duration.ofSeconds(60));
            CompletableFuture<Boolean> waiter = DeathWaiter.sleepOn(secret, "p");

            truncateAsCoWriter(teamDir.resolve("team.space"));

            String released = victim.awaitLine("RELEASE ", Duration.ofSeconds(60));
            assertTrue(released.contains("io.futexra.FutexRaException") && released.contains(
                    "space file truncated under us: " + teamDir.resolve("team.space")), released);
            String again = victim.awaitLine("AGAIN ", Duration.ofSeconds(30));
            assertTrue(again.contains("io.futexra.FutexRaException")
                    && again.contains("space file truncated under us"), "later calls fail with that error: " + again);
            victim.awaitLine("ALIVE", Duration.ofSeconds(30));
            assertTrue(victim.isAlive(), "the victim lives on: " + victim.transcript());
            assertFalse(victim.transcript().contains("InternalError"), victim.transcript());

            assertFalse(waiter.isDone(), "the private lock is still held by the victim");
            victim.kill9();
            assertTrue(waiter.get(60, TimeUnit.SECONDS), "the private lock is recovered, flagged");
        }
    }

    @Test
    void shouldKeepAVictimAliveThatKeepsUsingItsTruncatedSpace() throws Exception {
        assumeTrue(Runtime.version().feature() > 17, JAVA_17_CAN_STILL_CRASH);
        Path secretDir = privateDirectory();
        Path teamDir = sharedDirectory();
        try (ChildJvm victim = ChildJvm.startClass(Victim.class, "churn", teamDir.toString(), "team",
                secretDir.toString(), "secret")) {
            victim.awaitLine("HOLDING", Duration.ofSeconds(60));
            truncateAsCoWriter(teamDir.resolve("team.space"));
            String churned = victim.awaitLine("CHURNED", Duration.ofSeconds(120));
            System.out.println("TRUNCATED victim after the truncation: " + churned);
            victim.awaitLine("ALIVE", Duration.ofSeconds(30));
            assertTrue(victim.isAlive(), "the victim lives on: " + victim.transcript());
            assertEquals("0", field(churned, "other"), churned);
            assertTrue(Long.parseLong(field(churned, "truncated")) > 0, churned);
            assertEquals("0", field(churned, "internal"), "no InternalError reaches a caller: " + churned);
        }
    }

    @Test
    void shouldRecoverAPrivateLockOfAVictimKilledAfterItsSharedSpaceWasTruncated() throws Exception {
        Path secretDir = privateDirectory();
        Path teamDir = sharedDirectory();
        try (LockSpace secret = LockSpace.open(secretDir, "secret");
             ChildJvm victim = ChildJvm.startClass(Victim.class, "hold", teamDir.toString(), "team",
                     secretDir.toString(), "secret")) {
            victim.awaitLine("HOLDING", Duration.ofSeconds(60));
            CompletableFuture<Boolean> waiter = DeathWaiter.sleepOn(secret, "p");

            truncateAsCoWriter(teamDir.resolve("team.space"));
            victim.awaitLine("TRUNCATED", Duration.ofSeconds(30));

            assertFalse(waiter.isDone(), "the private lock is still held by the victim");
            victim.kill9();
            assertTrue(waiter.get(60, TimeUnit.SECONDS), "the private lock is recovered, flagged");
        }
    }

    @Test
    void shouldKeepADispatcherServingItsOtherSpacesWhenOneIsTruncatedUnderIt() throws Exception {
        assumeTrue(Runtime.version().feature() > 17, JAVA_17_CAN_STILL_CRASH);
        Path secretDir = privateDirectory();
        Path teamDir = sharedDirectory();
        Queue<Throwable> reported = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "dispatcher");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((thread, e) -> reported.add(e));
            return t;
        });
        try (LockSpace secret = LockSpace.open(secretDir, "secret");
             LockSpace team = LockSpace.open(teamDir, "team");
             Dispatcher dispatcher = secret.dispatcher(pool::execute)) {
            NamedEvent mine = secret.event("mine", EventMode.AUTO_RESET);
            NamedEvent shared = team.event("shared", EventMode.AUTO_RESET);
            BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
            try (AutoCloseable a = dispatcher.subscribe(shared, n -> delivered.add("shared"));
                 AutoCloseable b = dispatcher.subscribe(mine, n -> delivered.add("mine"))) {
                shared.signal();
                assertEquals("shared", delivered.poll(30, TimeUnit.SECONDS));
                mine.signal();
                assertEquals("mine", delivered.poll(30, TimeUnit.SECONDS));

                truncateAsCoWriter(teamDir.resolve("team.space"));
                mine.signal(); // wakes the leader, whose next look at the shared event faults
                assertEquals("mine", delivered.poll(30, TimeUnit.SECONDS));
                AwaitState.until("the truncation is reported to the leader thread's handler", () -> !reported.isEmpty());
                Throwable error = reported.peek();
                assertTrue(error instanceof FutexRaException && error.getMessage().startsWith(
                        "space file truncated under us: " + teamDir.resolve("team.space")), String.valueOf(error));
                FutexRaException later = assertThrows(FutexRaException.class, shared::signal);
                assertTrue(later.getMessage().startsWith("space file truncated under us"), later.getMessage());

                for (int i = 0; i < 3; i++) {
                    mine.signal();
                    assertEquals("mine", delivered.poll(30, TimeUnit.SECONDS), "the dispatcher serves on");
                }
                assertEquals(1, reported.size(), reported.toString());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + line);
    }

    private Path privateDirectory() throws IOException {
        Path dir = privateDirs.directory();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    /** rwxrws--- with group "users" where root: spaces created in it get the group, so its members may write them. */
    private Path sharedDirectory() throws Exception {
        Path dir = sharedDirs.directory().resolve("team");
        Files.createDirectories(dir);
        if (isRoot()) {
            GroupPrincipal group = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("users");
            Files.getFileAttributeView(dir, PosixFileAttributeView.class).setGroup(group);
            assertEquals(0, new ProcessBuilder("chmod", "2770", dir.toString()).inheritIO().start().waitFor());
        }
        return dir;
    }

    /** {@code truncate -s 4096 FILE}, as {@code nobody} in the space's group where this JVM is root. */
    private static void truncateAsCoWriter(Path file) throws Exception {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--groups=" + SHARED_GROUP, "--"));
        }
        command.addAll(List.of("truncate", "-s", "4096", file.toString()));
        Process truncate = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(truncate.getInputStream().readAllBytes());
        assertEquals(0, truncate.waitFor(), "truncate failed: " + output);
        assertEquals(4096, Files.size(file));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * The victim: {@code MODE DIR SPACE PRIVATE_DIR PRIVATE_SPACE}. Its holder thread takes lock
     * "p" of the private space, then lock "s" of the shared one, prints HOLDING, and watches the
     * shared file's size. Once it shrinks: mode {@code hold} prints TRUNCATED and keeps both;
     * mode {@code release} closes "s" and prints RELEASE with what that threw, then tries "s"
     * again and prints AGAIN with what that threw, then ALIVE, keeping "p"; mode {@code churn}
     * uses every kind of object of the shared space 2000 times (a lock's fast path first, then the
     * release of "s", every call cold at least once) and prints CHURNED truncated=N internal=M other=K (what the calls threw: the
     * truncation error, an InternalError, anything else; a call that returns counts in none),
     * then ALIVE.
     */
    static final class Victim {

        public static void main(String[] args) throws Exception {
            String mode = args[0];
            Path sharedFile = Path.of(args[1], args[2] + ".space");
            Thread holder = new Thread(() -> {
                try {
                    LockSpace secret = LockSpace.open(Path.of(args[3]), args[4]);
                    secret.lock("p").acquire();
                    LockSpace shared = LockSpace.open(Path.of(args[1]), args[2]);
                    NamedLock s = shared.lock("s");
                    NamedLock t = shared.lock("t");
                    NamedReadWriteLock rw = shared.readWriteLock("rw");
                    NamedSemaphore sem = shared.semaphore("sem", 2);
                    NamedEvent event = shared.event("ev", EventMode.AUTO_RESET);
                    Held held = s.acquire();
                    long size = Files.size(sharedFile);
                    System.out.println("HOLDING");
                    while (Files.size(sharedFile) == size) {
                        Thread.sleep(10);
                    }
                    if (mode.equals("hold")) {
                        System.out.println("TRUNCATED");
                    } else if (mode.equals("churn")) {
                        long[] counts = new long[3];
                        count(counts, () -> t.acquire().close()); // first touch: the fast path's compare-and-set
                        count(counts, held::close);
                        for (int i = 0; i < 2000; i++) {
                            try {
                                churn(counts, shared, t, rw, sem, event);
                            } catch (InternalError late) { // Java 17: raised after the faulting call returned
                                counts[1]++;
                            }
                        }
                        say("CHURNED truncated=" + counts[0] + " internal=" + counts[1] + " other=" + counts[2]);
                        say("ALIVE");
                    } else {
                        System.out.println("RELEASE " + outcome(held::close));
                        System.out.println("AGAIN " + outcome(() -> s.tryAcquire()));
                        System.out.println("ALIVE");
                    }
                    Thread.sleep(Long.MAX_VALUE);
                } catch (Throwable e) {
                    e.printStackTrace(System.out);
                }
            }, "holder");
            holder.start();
            holder.join();
        }

        private static void churn(long[] counts, LockSpace shared, NamedLock t, NamedReadWriteLock rw,
                                  NamedSemaphore sem, NamedEvent event) {
            count(counts, () -> t.acquire().close());
            count(counts, () -> t.tryAcquire());
            count(counts, () -> rw.readLock().acquire(Duration.ofMillis(10)).close());
            count(counts, () -> rw.writeLock().acquire(Duration.ofMillis(10)).close());
            count(counts, () -> sem.acquire().close());
            count(counts, () -> sem.availablePermits());
            count(counts, event::signal);
            count(counts, event::isSignaled);
            count(counts, shared::objects);
            count(counts, () -> shared.lock("new" + (System.nanoTime() & 7)));
        }

        /** Prints {@code line}, again if a late InternalError (Java 17) interrupted it. */
        private static void say(String line) {
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    System.out.println(line);
                    return;
                } catch (InternalError late) {
                    // raised here for an earlier call; print again
                }
            }
        }

        private static void count(long[] counts, Runnable call) {
            try {
                call.run();
            } catch (FutexRaException e) {
                if (e.getMessage().startsWith("space file truncated under us")) {
                    counts[0]++;
                } else {
                    counts[2]++;
                }
            } catch (InternalError e) {
                counts[1]++;
            } catch (RuntimeException | Error e) {
                counts[2]++;
                e.printStackTrace(System.out);
            }
        }

        private static String outcome(Runnable call) {
            try {
                call.run();
                return "returned";
            } catch (Throwable t) {
                return t.getClass().getName() + ": " + t.getMessage();
            }
        }
    }
}
