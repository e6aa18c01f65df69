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
 * <li>{@code wait URI LOCK} — prints {@code waiting}, then waits for the lock (a minute), prints
 *     {@code held TOKEN} if it gets it, and keeps it until killed;
 * <li>{@code write URI RWLOCK} — takes the write side of a read/write lock, prints {@code held TOKEN}
 *     and keeps it until killed;
 * <li>{@code watch URI LOCK} — takes the lock, asks to be told of its loss, prints {@code held TOKEN};
 *     then prints {@code hook MILLIS} when the loss action runs and {@code notHeld MILLIS} when a thread
 *     asking {@link Held#isHeld()} every 5 ms first sees false (wall-clock times, to compare with the
 *     parent's), and waits to be killed.
 * </ul>
 */
public final class ZkChild {

    private ZkChild() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[1]);
        try (LockSpace space = LockSpace.open(uri)) {
            switch (args[0]) {
                case "hammer" -> {
                    NamedLock lock = space.lock(args[2]);
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
                case "wait" -> {
                    System.out.println("waiting");
                    System.out.flush();
                    holdUntilKilled(space.lock(args[2]));
                }
                case "write" -> holdUntilKilled(space.readWriteLock(args[2]).writeLock());
                case "watch" -> watchUntilKilled(space.lock(args[2]));
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        }
    }

    private static void watchUntilKilled(NamedLock lock) throws InterruptedException {
        Held held = lock.acquire(Duration.ofMinutes(1));
        held.onLost(() -> {
            System.out.println("hook " + System.currentTimeMillis());
            System.out.flush();
        });
        System.out.println("held " + held.fencingToken());
        System.out.flush();
        while (held.isHeld()) {
            Thread.sleep(5);
        }
        System.out.println("notHeld " + System.currentTimeMillis());
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(5).toMillis());
    }

    private static void holdUntilKilled(NamedLock lock) throws InterruptedException {
        Held held = lock.acquire(Duration.ofMinutes(1));
        System.out.println("held " + held.fencingToken());
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(5).toMillis());
    }
}
