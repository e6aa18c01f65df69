package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import io.futexra.testing.TestSpaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The threat model's main promise: a process that may write one space file can break the locks of
 * that space, and nothing else. A victim JVM churns every kind of object of a shared space while
 * one of its threads (which also used the shared space, so its robust list reaches into both)
 * holds a lock of a second, private space; a scribbler JVM writes random numbers all over the
 * shared file's used pages (header, directory, slots, participant table) under the victim's live
 * mapping. The victim must not crash and must keep running; after its kill -9 a waiter on the
 * private lock, asleep in this JVM, is woken by the kernel and told the owner died.
 */
@Timeout(300)
class HostileWriterTest {

    private final TestSpaces sharedDir = new TestSpaces();
    private final TestSpaces privateDir = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        sharedDir.close();
        privateDir.close();
    }

    @Test
    void shouldSurviveAScribbledSpaceAndStillReportItsDeathInAnotherSpace() throws Exception {
        Path secretDir = privateDir.directory();
        Files.createDirectories(secretDir);
        Files.setPosixFilePermissions(secretDir, PosixFilePermissions.fromString("rwx------"));
        try (LockSpace secret = LockSpace.open(secretDir, "secret");
             LockSpace shared = LockSpace.open(sharedDir.directory(), "shared");
             ChildJvm victim = ChildJvm.start("victim", sharedDir.directory().toString(), "shared",
                     secretDir.toString(), "secret", "4")) {
            shared.lock("greedy"); // the victim finds it there
            victim.awaitLine("HOLDING", Duration.ofSeconds(60));
            long before = ops(victim.awaitLine("CHURN", Duration.ofSeconds(60)));
            CompletableFuture<Boolean> waiter = DeathWaiter.sleepOn(secret, "p");

            try (ChildJvm scribbler = ChildJvm.start("scribble", sharedDir.directory().resolve("shared.space").toString(),
                    "3", Long.toString(System.nanoTime()))) {
                String done = scribbler.awaitLine("SCRIBBLED", Duration.ofSeconds(60));
                assertEquals(0, scribbler.awaitExit(Duration.ofSeconds(30)), scribbler.transcript());
                assertTrue(Long.parseLong(ChildMain.field(done, "writes")) > 1000, done);
            }
            long last = before;
            for (int i = 0; i < 5; i++) { // a second of churn after the scribbling, still making progress
                last = ops(victim.awaitLine("CHURN", Duration.ofSeconds(30)));
            }
            String after = victim.awaitLine("CHURN", Duration.ofSeconds(30));
            assertTrue(victim.isAlive(), "the victim must survive: " + victim.transcript());
            assertTrue(ops(after) > last && last > before, "the victim must keep working: " + after);
            System.out.println("HOSTILE victim after scribbling: " + after);

            assertTrue(!waiter.isDone(), "the private lock is still held by the victim");
            victim.kill9();
            assertTrue(waiter.get(60, TimeUnit.SECONDS), "the private lock is recovered, flagged");
        }
    }

    private static long ops(String churnLine) {
        return Long.parseLong(ChildMain.field(churnLine, "ops"));
    }
}
