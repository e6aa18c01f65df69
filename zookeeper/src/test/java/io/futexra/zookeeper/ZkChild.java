package io.futexra.zookeeper;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.testing.SharedCounter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The other process of the ZooKeeper tests (started with {@link io.futexra.testing.ChildJvm#startClass}):
 * <ul>
 * <li>{@code hammer URI LOCK COUNTER_FILE N} — N times: acquire, enter the overlap detector, a
 *     plain increment, exit, release; prints {@code done};
 * </ul>
 */
public final class ZkChild {

    private ZkChild() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[1]);
        try (LockSpace space = LockSpace.open(uri)) {
            NamedLock lock = space.lock(args[2]);
            switch (args[0]) {
                case "hammer" -> {
                    SharedCounter counter = SharedCounter.open(Path.of(args[3]));
                    int n = Integer.parseInt(args[4]);
                    System.out.println("ready");
                    for (int i = 0; i < n; i++) {
                        try (Held held = lock.acquire(Duration.ofSeconds(60))) {
                            counter.enterExclusive();
                            counter.incrementPlain();
                            counter.exitExclusive();
                        }
                    }
                    System.out.println("done");
                }
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        }
    }
}
