import io.futexra.EventMode;
import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The demo's batch job, a plain JVM using the standalone API on the servers' space: it holds the
 * nightly lock for a while (the servers' NightlyJob ticks find it busy), signals import-done (both
 * servers' ImportDoneListener MDBs wake), then takes the nightly lock again and waits to be killed
 * with kill -9 while holding it. Each step is a line "epochMillis what key=value...".
 *
 * Usage: java -cp futex-ra.jar:jna.jar demo/BatchJob.java DIRECTORY SPACE HOLD_SECONDS
 */
public final class BatchJob {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long holdMillis = Long.parseLong(args[2]) * 1000;
        try (LockSpace space = LockSpace.open(dir, args[1])) {
            NamedLock nightly = space.lock("nightly-job");
            try (Held held = nightly.acquire(Duration.ofSeconds(30))) {
                say("holding lock=nightly-job token=" + held.fencingToken());
                Thread.sleep(holdMillis); // the import: the servers' ticks must skip meanwhile
                say("releasing lock=nightly-job token=" + held.fencingToken());
            }
            space.event("import-done", EventMode.MANUAL_RESET).signal();
            say("signalled event=import-done");
            Held again = nightly.acquire(Duration.ofSeconds(30));
            say("holding-again lock=nightly-job token=" + again.fencingToken());
            Thread.sleep(Long.MAX_VALUE); // until kill -9
        }
    }

    private static void say(String line) {
        System.out.println(System.currentTimeMillis() + " " + line);
        System.out.flush();
    }
}
