package io.futexra.it;

import io.futexra.Held;
import io.futexra.LockSpace;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The standalone JVM of {@link ZooKeeperBackendIT}: {@code URI LOCK RELEASE_FILE} — acquires the
 * lock, prints {@code HELD TOKEN}, holds it until RELEASE_FILE exists, releases, prints
 * {@code RELEASED}.
 */
public final class ZkHolderMain {

    private ZkHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        Path release = Path.of(args[2]);
        try (LockSpace space = LockSpace.open(URI.create(args[0]))) {
            try (Held held = space.lock(args[1]).acquire(Duration.ofSeconds(60))) {
                System.out.println("HELD " + held.fencingToken());
                while (!Files.exists(release)) {
                    Thread.sleep(20); // the test's signal to let go
                }
            }
            System.out.println("RELEASED");
        }
    }
}
