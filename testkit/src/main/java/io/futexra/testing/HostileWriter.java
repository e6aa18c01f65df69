package io.futexra.testing;

import io.futexra.EventMode;
import io.futexra.Held;
import io.futexra.LockOptions;
import io.futexra.LockPolicy;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import io.futexra.NamedSemaphore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two sides of the hostile-writer test, run in child JVMs through {@link ChildMain}.
 *
 * <pre>
 * victim DIR SHARED_SPACE PRIVATE_DIR PRIVATE_SPACE THREADS
 *     one thread uses SHARED_SPACE once, then holds lock "p" of PRIVATE_SPACE and sleeps; THREADS
 *     threads churn every kind of object of SHARED_SPACE with short timeouts, counting outcomes;
 *     prints HOLDING, then every 200 ms CHURN ops=N errors=E kinds=[exception classes]
 * scribble FILE SECONDS SEED
 *     for SECONDS, writes random ints at random offsets of every page of FILE that is not all
 *     zero (the header, directory, used slots, participant pages); prints SCRIBBLED writes=N
 * </pre>
 */
final class HostileWriter {

    private HostileWriter() {
    }

    static void victim(String[] args) throws Exception {
        LockSpace shared = LockSpace.open(Path.of(args[1]), args[2]);
        LockSpace secret = LockSpace.open(Path.of(args[3]), args[4]);
        int threads = Integer.parseInt(args[5]);
        NamedLock greedy = shared.lock("greedy");
        NamedLock fair = shared.lock("fair", new LockOptions(LockPolicy.FAIR, LockOptions.DEFAULT_SPIN));
        NamedReadWriteLock rw = shared.readWriteLock("rw");
        NamedSemaphore sem = shared.semaphore("sem", 3);
        NamedEvent event = shared.event("event", EventMode.AUTO_RESET);
        Thread holder = new Thread(() -> {
            try {
                greedy.acquire().close(); // this thread's robust list now has an alive word in each space
                secret.lock("p").acquire();
                System.out.println("HOLDING");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "holder");
        holder.setDaemon(true);
        holder.start();
        AtomicLong ops = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Map<String, Boolean> kinds = new ConcurrentHashMap<>();
        List<Thread> churners = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread c = new Thread(() -> {
                Random random = new Random(seed);
                Duration patience = Duration.ofMillis(20);
                while (true) {
                    try {
                        switch (random.nextInt(7)) {
                            case 0 -> greedy.acquire(patience).close();
                            case 1 -> fair.acquire(patience).close();
                            case 2 -> rw.readLock().acquire(patience).close();
                            case 3 -> rw.writeLock().acquire(patience).close();
                            case 4 -> sem.acquire(patience).close();
                            case 5 -> event.signal();
                            default -> shared.lock("new-" + random.nextInt(50)).tryAcquire().ifPresent(Held::close);
                        }
                    } catch (RuntimeException corrupted) {
                        errors.incrementAndGet(); // wrong answers from a scribbled space are allowed
                        kinds.put(corrupted.getClass().getSimpleName(), true);
                    }
                    ops.incrementAndGet();
                }
            }, "churn-" + t);
            c.setDaemon(true);
            churners.add(c);
        }
        churners.forEach(Thread::start);
        while (true) {
            Thread.sleep(200);
            System.out.println("CHURN ops=" + ops.get() + " errors=" + errors.get() + " kinds=" + kinds.keySet());
            System.out.flush();
        }
    }

    static void scribble(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        Random random = new Random(Long.parseLong(args[3]));
        long writes = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            List<Long> pages = new ArrayList<>();
            ByteBuffer page = ByteBuffer.allocate(4096);
            for (long at = 0; at < ch.size(); at += 4096) {
                page.clear();
                ch.read(page, at);
                for (int i = 0; i < 4096; i++) {
                    if (page.get(i) != 0) {
                        pages.add(at);
                        break;
                    }
                }
            }
            ByteBuffer noise = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
            while (System.nanoTime() < end) {
                long at = pages.get(random.nextInt(pages.size())) + 4L * random.nextInt(1024);
                noise.clear();
                noise.putInt(0, random.nextInt(4) == 0 ? 0 : random.nextInt());
                ch.write(noise, at);
                writes++;
            }
        }
        System.out.println("SCRIBBLED writes=" + writes);
    }
}
