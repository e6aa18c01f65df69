package io.futexra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.core.HeaderDescriptor;
import io.futexra.core.HoldRecordDescriptor;
import io.futexra.core.LockSpaceLayout;
import io.futexra.testing.TestSpaces;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random bytes in a space file's header, directory, slots and hold records (seeded; many rounds):
 * every round either is refused at open with a clear {@link FutexRaException} and leaves the file
 * untouched, or opens, and then every operation either works or fails with a
 * {@link FutexRaException} or {@link IllegalArgumentException} — never another exception, never a
 * crash, never a wait past its timeout.
 *
 * <p>Rounds: {@code -Dfutexra.fuzz.rounds=N} (default 300; {@code -Pstress}: 5000); seed:
 * {@code -Dfutexra.fuzz.seed=S}. The registry mutex (header bytes 64..103) is left alone here: a
 * corrupted registry word is covered by {@link BadInputTest}, since it costs a 5 s wait.
 */
@Timeout(600)
class SpaceFuzzTest {

    private static final int ROUNDS = Integer.getInteger("futexra.fuzz.rounds",
            Boolean.getBoolean("futexra.stress") ? 5000 : 300);
    private static final long SEED = Long.getLong("futexra.fuzz.seed", System.nanoTime());
    private static final int CAPACITY = 8;
    private static final Duration SHORT = Duration.ofMillis(10);
    private static final int[] INTERESTING = {0, 1, -1, 2, 3, 4, 63, 64, 65, 127, 128, 129, 4096, Integer.MAX_VALUE,
        Integer.MIN_VALUE, 0x4000_0000, 0x8000_0000, 0xC000_0000, 0x3fff_ffff, 1 << 18, (1 << 18) + 1};

    private final TestSpaces dirs = new TestSpaces();

    @AfterEach
    void cleanUp() throws Exception {
        dirs.close();
    }

    @Test
    void shouldRefuseOrSurviveRandomBytesInTheHeaderAndSlots() throws Exception {
        Path dir = dirs.directory();
        byte[] original = template(dir);
        Random random = new Random(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long slowest = 0;
        for (int round = 0; round < ROUNDS && failures.size() < 5; round++) {
            byte[] bytes = original.clone();
            String mutation = mutate(bytes, random);
            String name = "fuzz" + round;
            Path file = dir.resolve(name + ".space");
            Files.write(file, bytes);
            long start = System.nanoTime();
            String outcome;
            try {
                outcome = exercise(dir, name, failures, round + " [" + mutation + "]");
            } catch (FutexRaException | IllegalArgumentException refused) {
                outcome = "refused at open: " + refused.getClass().getSimpleName();
                if (!Files.isRegularFile(file) || !java.util.Arrays.equals(bytes, Files.readAllBytes(file))) {
                    failures.add("round " + round + " [" + mutation + "]: refused, but the file was changed");
                }
            }
            slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
            outcomes.merge(outcome, 1, Integer::sum);
            Files.delete(file);
        }
        String summary = "FUZZ seed=" + SEED + " rounds=" + ROUNDS + " slowest-round-ms=" + slowest + " " + outcomes;
        System.out.println(summary);
        assertEquals(List.of(), failures, summary);
        assertTrue(slowest < 3_000, "a round took " + slowest + " ms: something waited past its timeout. " + summary);
        assertTrue(outcomes.keySet().stream().anyMatch(o -> o.startsWith("refused")), "no round was refused: " + summary);
        assertTrue(outcomes.keySet().stream().anyMatch(o -> o.startsWith("opened")), "no round opened: " + summary);
    }

    /** A small valid space with one object of each kind, each used once; returns its bytes. */
    private static byte[] template(Path dir) throws Exception {
        try (LockSpace space = LockSpace.open(dir, "template", SpaceOptions.defaults().withCapacity(CAPACITY))) {
            space.lock("l").acquire().close();
            space.lock("f", LockOptions.fair()).acquire().close();
            space.readWriteLock("rw").readLock().acquire().close();
            space.readWriteLock("rw").writeLock().acquire().close();
            space.semaphore("s", 3).acquire().close();
            space.event("ea", EventMode.AUTO_RESET).signal();
            space.event("em", EventMode.MANUAL_RESET).signal();
        }
        byte[] bytes = Files.readAllBytes(dir.resolve("template.space"));
        assertEquals(LockSpaceLayout.fileLength(CAPACITY), bytes.length);
        return bytes;
    }

    private static String mutate(byte[] bytes, Random random) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        StringBuilder what = new StringBuilder();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            int value = random.nextInt(4) == 0 ? random.nextInt() : INTERESTING[random.nextInt(INTERESTING.length)];
            int offset;
            switch (random.nextInt(5)) {
                case 0 -> offset = 4 * random.nextInt(16);                                       // header fields
                case 1 -> offset = LockSpaceLayout.entryOffset(random.nextInt(CAPACITY)) + 4 * random.nextInt(2);
                case 2 -> offset = (int) LockSpaceLayout.slotOffset(CAPACITY, random.nextInt(CAPACITY))
                        + 4 * random.nextInt(HoldRecordDescriptor.RECORDS_OFFSET / 4);                // slot fields
                case 3 -> offset = (int) LockSpaceLayout.slotOffset(CAPACITY, random.nextInt(CAPACITY))
                        + HoldRecordDescriptor.recordOffset(random.nextInt(HoldRecordDescriptor.RECORD_COUNT))
                        + 4 * random.nextInt(HoldRecordDescriptor.RECORD_LENGTH / 4);                 // hold records
                default -> {
                    int at = random.nextInt(bytes.length - 32);
                    int length = 1 + random.nextInt(32);
                    int registryEnd = HeaderDescriptor.REGISTRY_OFFSET + 40;
                    if (at < registryEnd && at + length > HeaderDescriptor.REGISTRY_OFFSET) {
                        at = registryEnd + (at & 31); // past the registry word and its fields, whatever the length
                    }
                    for (int i = 0; i < length; i++) {
                        bytes[at + i] = (byte) random.nextInt();
                    }
                    what.append(length).append(" random bytes at ").append(at).append("; ");
                    continue;
                }
            }
            buffer.putInt(offset, value);
            what.append("int ").append(value).append(" at ").append(offset).append("; ");
        }
        return what.toString();
    }

    private interface Op {
        void run() throws Exception;
    }

    /** Opens the fuzzed space (exceptions here mean "refused") and uses every object in it. */
    private static String exercise(Path dir, String name, List<String> failures, String round) {
        LockSpace space = LockSpace.open(dir, name);
        int failed = 0;
        List<Op> ops = List.of(
            () -> space.lock("l").acquire(SHORT).close(),
            () -> space.lock("l").tryAcquire().ifPresent(Held::close),
            () -> space.lock("f", LockOptions.fair()).acquire(SHORT).close(),
            () -> space.readWriteLock("rw").readLock().acquire(SHORT).close(),
            () -> space.readWriteLock("rw").writeLock().acquire(SHORT).close(),
            () -> space.semaphore("s", 3).acquire(SHORT).close(),
            () -> space.semaphore("s", 3).availablePermits(),
            () -> {
                NamedEvent e = space.event("ea", EventMode.AUTO_RESET);
                e.signal();
                e.await(Duration.ZERO);
            },
            () -> {
                NamedEvent e = space.event("em", EventMode.MANUAL_RESET);
                e.signal();
                e.reset();
                e.await(Duration.ZERO);
            },
            () -> space.lock("fresh").acquire(SHORT).close(),
            () -> space.objects().forEach(Object::toString));
        for (int i = 0; i < ops.size(); i++) {
            try {
                ops.get(i).run();
            } catch (FutexRaException | IllegalArgumentException clear) {
                failed++;
            } catch (Throwable other) {
                failures.add("round " + round + ", operation " + i + ": " + other);
                other.printStackTrace(System.out);
            }
        }
        space.close();
        return "opened, " + (failed == 0 ? "all worked" : "some refused clearly");
    }
}
