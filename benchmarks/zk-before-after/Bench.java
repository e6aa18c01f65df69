import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import java.net.URI;
import java.util.Arrays;

/** Uncontended acquire+release of one plain lock on one thread: mean and median µs over N after a warm-up. */
public class Bench {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int n = Integer.parseInt(args[1]);
        try (LockSpace space = LockSpace.open(uri)) {
            NamedLock lock = space.lock("bench");
            for (int i = 0; i < 300; i++) {
                lock.acquire().close();
            }
            long[] took = new long[n];
            long all = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                try (Held h = lock.acquire()) {
                    if (!h.isHeld()) throw new IllegalStateException("not held");
                }
                took[i] = System.nanoTime() - t;
            }
            long total = System.nanoTime() - all;
            Arrays.sort(took);
            System.out.printf("%s mean %.0f us median %.0f us p99 %.0f us%n", args[2], total / 1000.0 / n,
                    took[n / 2] / 1000.0, took[n * 99 / 100] / 1000.0);
        }
    }
}
