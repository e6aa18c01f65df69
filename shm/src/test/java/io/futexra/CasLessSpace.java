package io.futexra;

import io.futexra.testing.LocksOnlySpace;
import io.futexra.testing.SpaceOpener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * A deliberately broken lock, for showing that the lock contract's exclusion check can fail: a
 * word in a shared file that {@code acquire} checks and then sets with a plain store, without the
 * compare-and-set a lock needs. Two threads that both see the word free both "win". Only what the
 * exclusion check uses works (acquire, tryAcquire, release; {@link LocksOnlySpace}); every name is
 * the same word.
 */
public final class CasLessSpace extends LocksOnlySpace {

    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int FREE = 0;
    private static final int TAKEN = 1;

    private final String name;
    private final MappedByteBuffer word;

    private CasLessSpace(String name, MappedByteBuffer word) {
        this.name = name;
        this.word = word;
    }

    /** Maps (creating) {@code DIRECTORY/NAME.casless}. */
    public static CasLessSpace open(Path directory, String name) {
        try (FileChannel ch = FileChannel.open(Files.createDirectories(directory).resolve(name + ".casless"),
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new CasLessSpace(name, ch.map(FileChannel.MapMode.READ_WRITE, 0, 64));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a {@code CasLessSpace} in a child JVM: arguments {@code DIRECTORY NAME}. */
    public static final class Opener implements SpaceOpener {
        @Override
        public LockSpace open(List<String> args) {
            return CasLessSpace.open(Path.of(args.get(0)), args.get(1));
        }
    }

    @Override
    protected String what() {
        return "the CAS-less space";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public NamedLock lock(String lockName) {
        return new CasLessLock(lockName);
    }

    @Override
    public List<ObjectInfo> objects() {
        return List.of();
    }

    @Override
    public void close() {
    }

    private final class CasLessLock implements NamedLock {
        private final String lockName;

        CasLessLock(String lockName) {
            this.lockName = lockName;
        }

        @Override
        public String name() {
            return lockName;
        }

        @Override
        public Held acquire() {
            return acquire(Duration.ofDays(1));
        }

        @Override
        public Held acquire(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            Optional<Held> held;
            while ((held = tryAcquire()).isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new LockTimeoutException("CAS-less lock '" + lockName + "' not acquired within " + timeout);
                }
                Thread.onSpinWait();
            }
            return held.get();
        }

        @Override
        public Optional<Held> tryAcquire() {
            if ((int) INTS.getVolatile(word, 0) != FREE) {
                return Optional.empty();
            }
            INTS.setVolatile(word, 0, TAKEN); // THE BUG: checked, then set; another thread may have set it meanwhile
            return Optional.of(new Held() {
                private boolean closed;

                @Override
                public boolean isHeld() {
                    return !closed;
                }

                @Override
                public long fencingToken() {
                    return 0;
                }

                @Override
                public boolean previousOwnerDied() {
                    return false;
                }

                @Override
                public void close() {
                    closed = true;
                    INTS.setVolatile(word, 0, FREE);
                }
            });
        }

        @Override
        public Held acquireForProcess(Duration timeout) {
            throw new UnsupportedOperationException("the CAS-less lock is thread-held only");
        }

        @Override
        public boolean isHeldByCurrentThread() {
            throw new UnsupportedOperationException("the CAS-less lock records no owner");
        }

        @Override
        public Lock asLock() {
            throw new UnsupportedOperationException("the CAS-less lock has no Lock view");
        }
    }
}
