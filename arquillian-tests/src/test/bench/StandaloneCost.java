import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * The standalone half of the connection-cost measurement (the server half is BenchServlet): the
 * same loop, in a plain JVM. Not compiled by the build; run as a single-file program:
 *
 * <pre>
 * java -cp adapter/target/futex-ra-0.1.0-SNAPSHOT.jar:$HOME/.m2/repository/net/java/dev/jna/jna/5.19.1/jna-5.19.1.jar \
 *     arquillian-tests/src/test/bench/StandaloneCost.java /dev/shm/futex-ra-bench
 * </pre>
 */
public class StandaloneCost {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    public static void main(String[] args) {
        try (LockSpace space = LockSpace.open(Path.of(args[0]), "bench")) {
            NamedLock lock = space.lock("bench-c");
            System.out.println("standalone acquire+release " + measure(() -> {
                try (Held h = lock.acquire(TIMEOUT)) {
                    // nothing
                }
            }));
            System.out.println("standalone acquireForProcess+release " + measure(() -> {
                try (Held h = lock.acquireForProcess(TIMEOUT)) {
                    // nothing
                }
            }));
        }
    }

    /** "median min" ns/op over 15 rounds of 20,000 after a warm-up round. */
    static String measure(Runnable op) {
        int ops = 20_000;
        int rounds = 15;
        for (int i = 0; i < ops; i++) {
            op.run();
        }
        long[] perOp = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                op.run();
            }
            perOp[r] = (System.nanoTime() - start) / ops;
        }
        Arrays.sort(perOp);
        return perOp[rounds / 2] + " " + perOp[0];
    }
}
