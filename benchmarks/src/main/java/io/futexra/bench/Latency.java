package io.futexra.bench;

import io.futexra.EventMode;
import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Latencies between processes, as distributions (nanoseconds): one-way hand-off through a pair
 * of auto-reset events (ping-pong), blocking and spinning; event signal to waiter awake;
 * {@code awaitAny} over 8 events; kill -9 of a lock holder to a waiter holding the lock.
 * {@link System#nanoTime()} is CLOCK_MONOTONIC, the same clock in every process, so a time stamp
 * written by one process is read by another.
 */
final class Latency {

    private Latency() {
    }

    /** Sorted samples in nanoseconds. */
    record Samples(String name, long[] nanos) {
        long percentile(double p) {
            return nanos[Math.min(nanos.length - 1, (int) Math.floor(p * nanos.length))];
        }
    }

    /** One-way hand-off: round trips through ping/pong auto-reset events, halved. */
    static Samples pingPong(Path dir, boolean spin, int rounds) throws Exception {
        try (LockSpace space = LockSpace.open(dir, "latency")) {
            String tag = spin ? "spin" : "block";
            NamedEvent ping = space.event("ping-" + tag, EventMode.AUTO_RESET);
            NamedEvent pong = space.event("pong-" + tag, EventMode.AUTO_RESET);
            Process echo = Children.start(Latency.class, "echo", dir.toString(), tag, Integer.toString(rounds + 100),
                    Boolean.toString(spin));
            Children.readLine(echo);
            long[] samples = new long[rounds];
            for (int i = -100; i < rounds; i++) {
                long t0 = System.nanoTime();
                ping.signal();
                await(pong, spin);
                if (i >= 0) {
                    samples[i] = (System.nanoTime() - t0) / 2;
                }
            }
            Children.await(echo);
            Arrays.sort(samples);
            return new Samples("hand-off, " + (spin ? "spinning" : "blocking"), samples);
        }
    }

    /** Signal to waiter awake in another process ({@code awaitAny} over 8 events if {@code any}). */
    static Samples signalToWake(Path dir, boolean any, int rounds) throws Exception {
        Path stampFile = dir.resolve("stamp-" + any);
        try (LockSpace space = LockSpace.open(dir, "latency");
             FileChannel ch = FileChannel.open(stampFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                     StandardOpenOption.WRITE)) {
            MappedByteBuffer stamp = ch.map(FileChannel.MapMode.READ_WRITE, 0, 64);
            stamp.order(ByteOrder.nativeOrder());
            NamedEvent[] events = events(space, any);
            Process waiter = Children.start(Latency.class, "wake", dir.toString(), stampFile.toString(),
                    Integer.toString(rounds), Boolean.toString(any));
            Children.readLine(waiter);
            for (int i = 0; i < rounds; i++) {
                while (stamp.getLong(8) != i + 1) {
                    Thread.onSpinWait(); // the waiter says it is about to wait
                }
                Thread.sleep(1); // ...and is asleep in the kernel by now
                stamp.putLong(0, System.nanoTime());
                events[i % events.length].signal();
            }
            long[] samples = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                samples[i] = Long.parseLong(Children.readLine(waiter).trim());
            }
            Children.await(waiter);
            Arrays.sort(samples);
            return new Samples(any ? "signal to awake, awaitAny of 8" : "signal to awake", samples);
        }
    }

    /** kill -9 of a holder JVM to this JVM's sleeping waiter holding the lock. */
    static Samples ownerDeath(Path dir, int rounds) throws Exception {
        long[] samples = new long[rounds];
        try (LockSpace space = LockSpace.open(dir, "latency")) {
            for (int i = 0; i < rounds; i++) {
                String name = "death-" + i;
                NamedLock lock = space.lock(name);
                Process holder = Children.start(Latency.class, "hold", dir.toString(), name);
                Children.readLine(holder);
                AtomicLong acquiredAt = new AtomicLong();
                Thread waiter = new Thread(() -> {
                    try (Held h = lock.acquire(Duration.ofSeconds(30))) {
                        acquiredAt.set(h.previousOwnerDied() ? System.nanoTime() : -1);
                    }
                });
                waiter.start();
                while (space.objects().stream().noneMatch(o -> o.name().equals(name) && o.waiters() > 0)) {
                    Thread.sleep(1);
                }
                Thread.sleep(5);
                long killedAt = System.nanoTime();
                holder.destroyForcibly(); // SIGKILL
                waiter.join();
                holder.waitFor();
                if (acquiredAt.get() < 0) {
                    throw new IllegalStateException("the waiter was not told the owner died");
                }
                samples[i] = acquiredAt.get() - killedAt;
            }
        }
        Arrays.sort(samples);
        return new Samples("kill -9 to next holder", samples);
    }

    private static NamedEvent[] events(LockSpace space, boolean any) {
        NamedEvent[] events = new NamedEvent[any ? 8 : 1];
        for (int i = 0; i < events.length; i++) {
            events[i] = space.event((any ? "any-" : "wake-") + i, EventMode.AUTO_RESET);
        }
        return events;
    }

    private static void await(NamedEvent e, boolean spin) {
        if (spin) {
            for (int i = 0; i < 20_000; i++) {
                if (e.await(Duration.ZERO)) {
                    return;
                }
                Thread.onSpinWait();
            }
        }
        e.await(Duration.ofSeconds(30));
    }

    /** Children: {@code echo DIR TAG ROUNDS SPIN}, {@code wake DIR STAMP_FILE ROUNDS ANY}, {@code hold DIR LOCK}. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        LockSpace space = LockSpace.open(dir, "latency");
        switch (args[0]) {
            case "echo" -> {
                NamedEvent ping = space.event("ping-" + args[2], EventMode.AUTO_RESET);
                NamedEvent pong = space.event("pong-" + args[2], EventMode.AUTO_RESET);
                boolean spin = Boolean.parseBoolean(args[4]);
                System.out.println("READY");
                System.out.flush();
                for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                    await(ping, spin);
                    pong.signal();
                }
            }
            case "wake" -> {
                boolean any = Boolean.parseBoolean(args[4]);
                NamedEvent[] events = events(space, any);
                try (FileChannel ch = FileChannel.open(Path.of(args[2]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    MappedByteBuffer stamp = ch.map(FileChannel.MapMode.READ_WRITE, 0, 64);
                    stamp.order(ByteOrder.nativeOrder());
                    int rounds = Integer.parseInt(args[3]);
                    long[] samples = new long[rounds];
                    System.out.println("READY");
                    System.out.flush();
                    for (int i = 0; i < rounds; i++) {
                        stamp.putLong(8, i + 1);
                        int which = any ? NamedEvent.awaitAny(Duration.ofSeconds(30), events)
                                : events[0].await(Duration.ofSeconds(30)) ? 0 : -1;
                        samples[i] = System.nanoTime() - stamp.getLong(0);
                        if (which != i % events.length) {
                            throw new IllegalStateException("woke for event " + which + ", expected " + i % events.length);
                        }
                    }
                    for (long s : samples) {
                        System.out.println(s);
                    }
                }
            }
            case "hold" -> {
                space.lock(args[2]).acquire();
                System.out.println("HELD");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
        System.exit(0);
    }
}
