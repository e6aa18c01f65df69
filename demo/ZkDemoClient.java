import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One "host" of the ZooKeeper demo: a JVM that takes the demo lock ROUNDS times through a
 * {@code zookeeper:} space and does a little work under it. Its work is checked by two witnesses
 * that do not trust the lock:
 * <ul>
 * <li>an occupancy file created with {@code O_EXCL} on entry (holding the holder's pid) and deleted
 *     on exit: finding it present means another holder is inside — unless that holder's process is
 *     dead (it was killed holding the lock), which the lock must then report as
 *     {@code previousOwnerDied};</li>
 * <li>a counter file incremented by a plain read, pause, write: a double holder loses increments.</li>
 * </ul>
 * Each step is one line appended to the shared log, while holding the lock:
 * {@code epochMillis what client=ID token=T died=B pid=P}; a violation is a line {@code VIOLATION ...}.
 *
 * <p>Usage: {@code java -cp CLASSPATH demo/ZkDemoClient.java URI ID ROUNDS WORK_DIR}
 */
public final class ZkDemoClient {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String id = args[1];
        int rounds = Integer.parseInt(args[2]);
        Path dir = Path.of(args[3]);
        Path log = dir.resolve("events");
        Path inside = dir.resolve("inside");
        Path counter = dir.resolve("counter");
        long pid = ProcessHandle.current().pid();
        try (LockSpace space = LockSpace.open(uri)) {
            NamedLock lock = space.lock("nightly-report");
            for (int round = 1; round <= rounds; round++) {
                try (Held held = lock.acquire(Duration.ofSeconds(120))) {
                    String who = "client=" + id + " token=" + held.fencingToken() + " died=" + held.previousOwnerDied()
                            + " pid=" + pid;
                    enter(inside, pid, held.previousOwnerDied(), log, who);
                    append(log, "acquired " + who);
                    long n = Long.parseLong(Files.readString(counter).trim());
                    Thread.sleep(400); // the work: a double holder would overwrite our increment
                    Files.writeString(counter, Long.toString(n + 1));
                    append(log, "released " + who + " count=" + (n + 1));
                    Files.delete(inside);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Claims the occupancy file; a live holder inside is a violation, a dead one must be reported as such. */
    private static void enter(Path inside, long pid, boolean previousOwnerDied, Path log, String who)
            throws IOException {
        try {
            Files.writeString(inside, Long.toString(pid), StandardOpenOption.CREATE_NEW);
            return;
        } catch (FileAlreadyExistsException occupied) {
            // somebody was inside: alive (two holders) or killed while holding
        }
        long other = Long.parseLong(Files.readString(inside).trim());
        boolean alive = ProcessHandle.of(other).map(ProcessHandle::isAlive).orElse(false);
        if (alive) {
            append(log, "VIOLATION two holders: " + who + " entered while pid " + other + " is inside");
        } else if (!previousOwnerDied) {
            append(log, "VIOLATION the holder pid " + other + " died inside, but " + who + " was not told");
        }
        Files.writeString(inside, Long.toString(pid));
    }

    private static void append(Path log, String line) throws IOException {
        Files.writeString(log, System.currentTimeMillis() + " " + line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
