package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.testing.AwaitState;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.CliProcess;
import io.futexra.testing.TestSpaces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code futex-ra top}: {@code --once} against a space with known activity, and the interactive
 * view in a pseudo-terminal made by {@code script} (util-linux), quit with {@code q}.
 */
@Timeout(180)
class TopCommandIT {

    @BeforeAll
    static void warmUp() throws InterruptedException {
        CliProcess.warmUp();
    }

    @Test
    void shouldPrintOneScreenHottestFirstWithTheSpacesFiguresOnce() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "topspace")) {
            for (int i = 0; i < 7; i++) {
                space.lock("orders").acquire().close();
            }
            space.lock("idle");
            try (ChildJvm child = ChildJvm.start("hold", dirs.directory().toString(), "topspace", "nightly")) {
                child.awaitLine("HELD", Duration.ofSeconds(30));
                child.kill9();
                space.lock("nightly").acquire(AwaitState.HANG_GUARD).close();
            }
            NamedLock contended = space.lock("held-now");
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch busyStarted = new CountDownLatch(1);
            Thread busy = new Thread(() -> {
                NamedLock lock = space.lock("busy");
                while (!stop.get()) {
                    lock.acquire().close();
                    busyStarted.countDown();
                }
            }, "busy");
            try (Held held = contended.acquire()) {
                Thread waiter = new Thread(() -> contended.acquire(AwaitState.HANG_GUARD).close(), "waiter");
                waiter.start();
                AwaitState.waiters(space, "held-now", 1);
                busy.start();
                assertTrue(busyStarted.await(60, TimeUnit.SECONDS));
                CliProcess top = CliProcess.run(dirs.directory(), Duration.ofSeconds(60),
                        "--space", "topspace", "top", "--once", "--interval", "500ms");
                stop.set(true);
                busy.join();
                assertEquals(0, top.exitValue(), top.transcript());
                List<String> lines = top.stdout().lines().toList();
                assertTrue(lines.get(0).startsWith("futex-ra top: space topspace "), top.stdout());
                assertTrue(lines.get(0).contains(" objects 5 ") && lines.get(0).contains(" waiters 1 "), top.stdout());
                assertEquals(List.of("NAME", "KIND", "HOLDER", "HELD-FOR", "WAITERS", "ACQ/S", "ACQUIRED", "WAITS",
                        "DEATHS"), cells(lines.get(1)), top.stdout());
                assertEquals(2 + 5, lines.size(), top.stdout());
                assertFalse(top.stdout().contains("\033"), "no escapes with --once");

                List<String> first = cells(lines.get(2));
                assertEquals("held-now", first.get(0), "the lock with a waiter is the hottest: " + top.stdout());
                assertTrue(first.get(2).startsWith(ProcessHandle.current().pid() + "/"), top.stdout());
                assertEquals("1", first.get(4));
                assertEquals("1", first.get(6));
                List<String> second = cells(lines.get(3));
                assertEquals("busy", second.get(0), "then the one acquired during the interval: " + top.stdout());
                assertTrue(Double.parseDouble(second.get(5)) > 0, top.stdout());
                assertEquals(List.of("nightly", "lock", "-", "-", "0", "0.0", "2", "1", "1"), cells(lines.get(4)),
                        "a contended acquisition (from the dead owner) next; the kill -9 is one death: " + top.stdout());
                assertEquals(List.of("orders", "lock", "-", "-", "0", "0.0", "7", "0", "0"), cells(lines.get(5)), top.stdout());
                assertEquals(List.of("idle", "lock", "-", "-", "0", "0.0", "0", "0", "0"), cells(lines.get(6)), top.stdout());
            }
        }
    }

    @Test
    void shouldRedrawInPlaceInATerminalAndQuitOnQ() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "toptty")) {
            for (int i = 0; i < 3; i++) {
                space.lock("orders").acquire().close();
            }
            String command = CliProcess.SCRIPT + " --space toptty top --interval 200ms";
            ProcessBuilder builder = new ProcessBuilder("script", "-qfec", command, "/dev/null");
            builder.environment().put("FUTEX_RA_DIR", dirs.directory().toString());
            builder.environment().remove("FUTEX_RA_SPACE");
            builder.environment().put("TERM", "xterm");
            builder.redirectErrorStream(true);
            Process script = builder.start();
            Screen screen = new Screen(script.getInputStream());
            try (OutputStream keys = script.getOutputStream()) {
                screen.awaitCount("\033[H", 3); // three frames drawn
                String frames = screen.text();
                assertTrue(frames.contains("futex-ra top: space toptty"), frames);
                assertTrue(frames.contains("orders"), frames);
                assertTrue(frames.contains("q quits"), frames);
                assertTrue(frames.contains("\033[K"), "each line cleared to its end, redrawn in place: " + frames);
                assertTrue(script.isAlive(), "still running until q: " + frames);
                keys.write('q');
                keys.flush();
                assertTrue(script.waitFor(60, TimeUnit.SECONDS), "q quits: " + screen.text());
            }
            assertEquals(0, script.exitValue(), screen.text());
            screen.join();
            assertTrue(screen.text().contains("\033[?25h"), "the cursor shown again: " + screen.text());
        }
    }

    @Test
    void shouldRefuseTheInteractiveViewWithoutATerminal() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "notty")) {
            space.lock("orders");
            List<String> command = Arrays.asList("setsid", CliProcess.SCRIPT.toString(), "--space", "notty", "top");
            try (CliProcess top = CliProcess.startCommand(dirs.directory(), java.util.Map.of(), command)) {
                assertEquals(ExitCodes.USAGE, top.awaitExit(Duration.ofSeconds(60)), top.transcript());
                assertTrue(top.stderr().contains("top --once"), top.transcript());
            }
        }
    }

    private static void assertFalse(boolean condition, String message) {
        assertTrue(!condition, message);
    }

    /** A table line's cells: columns are two or more spaces apart. */
    private static List<String> cells(String line) {
        return Arrays.asList(line.strip().split("\\s{2,}"));
    }

    /** Everything the terminal received, read on a thread of its own. */
    private static final class Screen {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread reader;

        Screen(InputStream in) {
            reader = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        synchronized (bytes) {
                            bytes.write(buffer, 0, n);
                        }
                    }
                } catch (IOException closed) {
                    // the terminal is gone
                }
            }, "screen");
            reader.start();
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        void awaitCount(String what, int count) throws InterruptedException {
            AwaitState.until(count + " times " + what.replace("\033", "ESC") + " on the screen",
                    () -> text().split(java.util.regex.Pattern.quote(what), -1).length - 1 >= count);
        }

        void join() throws InterruptedException {
            reader.join(AwaitState.HANG_GUARD.toMillis());
        }
    }
}
