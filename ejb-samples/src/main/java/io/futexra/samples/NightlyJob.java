package io.futexra.samples;

import io.futexra.Held;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A scheduled job that every server of the host runs every {@value #PERIOD_SECONDS} seconds and
 * that does its work on exactly one of them per tick.
 *
 * <p>Each server's timer fires; each tries the lock {@value #LOCK} without waiting. The winner
 * reads the ledger (a small file next to the space) and runs the tick only if no server ran it
 * yet; it appends {@code tick token pid} — the fencing token proves the order — and releases.
 * A server whose timer fires late (after the winner released) finds the tick in the ledger and
 * skips it: that is what makes it exactly once, not merely "not at the same time". A server that
 * dies mid-tick leaves the lock to the next tick's winner, which is told the previous owner died.
 */
@Singleton
public class NightlyJob {

    static final String LOCK = "nightly-job";
    static final int PERIOD_SECONDS = 2;
    private static final Logger LOG = Logger.getLogger(NightlyJob.class.getName());

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private LockFactory locks;

    @Schedule(second = "*/2", minute = "*", hour = "*", persistent = false)
    void onTick() {
        long tick = System.currentTimeMillis() / 1000 / PERIOD_SECONDS; // timers fire < 2 s late
        try (LockConnection c = locks.getConnection()) {
            Optional<Held> won = c.lock(LOCK).tryAcquire();
            if (won.isEmpty()) {
                trace(tick, "busy");
                return; // another server runs this tick
            }
            try (Held held = won.get()) {
                if (held.previousOwnerDied()) {
                    LOG.warning("the previous run of " + LOCK + " died holding the lock; its tick may be half done");
                    // who took the lock over from a dead holder: tick token pid epochMillis
                    Files.writeString(ledger().resolveSibling("nightly-job.recovered"), tick + " " + held.fencingToken()
                            + " " + ProcessHandle.current().pid() + " " + System.currentTimeMillis() + "\n",
                            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                Path ledger = ledger();
                if (lastTick(ledger) >= tick) {
                    trace(tick, "done-already");
                    return; // already run by a server whose timer fired first
                }
                trace(tick, "runs");
                // ... the real work of the tick goes here, fenced by held.fencingToken() ...
                Files.writeString(ledger, tick + " " + held.fencingToken() + " " + ProcessHandle.current().pid() + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** With {@code -Dfutexra.samples.trace=true}, every server notes each timer firing (tests use it). */
    private static void trace(long tick, String outcome) throws IOException {
        if (Boolean.getBoolean("futexra.samples.trace")) {
            Files.writeString(ledger().resolveSibling("nightly-job.trace"), tick + " " + ProcessHandle.current().pid()
                    + " " + outcome + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /** The ledger: one line {@code tick token pid} per tick run on this host. */
    public static Path ledger() throws IOException {
        Path dir = SampleFiles.dir();
        Files.createDirectories(dir);
        return dir.resolve("nightly-job.ledger");
    }

    private static long lastTick(Path ledger) throws IOException {
        if (!Files.exists(ledger)) {
            return Long.MIN_VALUE;
        }
        List<String> lines = Files.readAllLines(ledger, StandardCharsets.UTF_8);
        return lines.isEmpty() ? Long.MIN_VALUE : Long.parseLong(lines.get(lines.size() - 1).split(" ")[0]);
    }
}
