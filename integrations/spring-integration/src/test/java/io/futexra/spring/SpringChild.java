package io.futexra.spring;

import io.futexra.LockSpace;
import io.futexra.testing.ChildMain;
import io.futexra.testing.SharedCounter;
import java.nio.file.Path;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * The program of the child JVMs in {@link FutexLockRegistryTest}.
 *
 * <pre>
 * hammer DIR SPACE COUNTER_FILE THREADS ITERATIONS
 *     each thread: registry.executeLocked("orders", ...) checking overlap and plain-incrementing
 *     the counter; prints DONE
 * elect DIR SPACE LEADER_FILE
 *     a LockRegistryLeaderInitiator (heartbeat 100 ms, busy wait 20 ms) whose candidate, on grant,
 *     adds 1 to LEADER_FILE's tally (and counts a grant), on revoke subtracts 1; prints STARTED,
 *     GRANTED, REVOKED; runs until killed
 * </pre>
 */
public final class SpringChild {

    static final String KEY = "orders";

    private SpringChild() {
    }

    public static void main(String[] args) {
        ChildMain.exitAfter(() -> {
            LockRegistry<?> registry = new FutexLockRegistry(LockSpace.open(Path.of(args[1]), args[2]));
            switch (args[0]) {
                case "hammer" -> hammer(registry, args);
                case "elect" -> elect(registry, SharedCounter.open(Path.of(args[3])));
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        });
    }

    private static void hammer(LockRegistry<?> registry, String[] args) throws Exception {
        SharedCounter counter = SharedCounter.open(Path.of(args[3]));
        int iterations = Integer.parseInt(args[5]);
        ChildMain.runThreads(Integer.parseInt(args[4]), t -> {
            for (int i = 0; i < iterations; i++) {
                registry.executeLocked(KEY, () -> {
                    counter.enterExclusive();
                    counter.incrementPlain();
                    counter.exitExclusive();
                });
            }
        });
        System.out.println("DONE");
    }

    private static void elect(LockRegistry<?> registry, SharedCounter leader) throws InterruptedException {
        LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(registry, new DefaultCandidate() {
            @Override
            public void onGranted(Context context) {
                leader.addAtomic(1);
                leader.incrementPlain(); // grants, counted by the only writer: this JVM
                System.out.println("GRANTED pid=" + ProcessHandle.current().pid());
                System.out.flush();
            }

            @Override
            public void onRevoked(Context context) {
                leader.addAtomic(-1);
                System.out.println("REVOKED pid=" + ProcessHandle.current().pid());
                System.out.flush();
            }
        });
        initiator.setHeartBeatMillis(100);
        initiator.setBusyWaitMillis(20);
        initiator.start();
        System.out.println("STARTED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
