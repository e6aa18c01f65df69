package io.futexra.testing;

import io.futexra.LockSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's scratch: a fresh space directory on tmpfs, the spaces opened in it through
 * {@link #space}, a thread pool and "the other thread" (one thread, the same for the whole test,
 * so that what it acquires it can release), all cleaned up after each test. The pool and the other
 * thread must finish within 10 s: a thread still stuck in a wait fails the test. Register it with
 * {@code @RegisterExtension final Scratch scratch = new Scratch();}.
 */
public final class Scratch implements AfterEachCallback {

    private final TestSpaces spaces = new TestSpaces();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final ExecutorService otherThread;
    private final List<LockSpace> opened = new ArrayList<>();

    /** With a platform thread as the other thread. */
    public Scratch() {
        this(false);
    }

    /** @param virtualOtherThread whether the other thread is a virtual thread (Java 21+: see {@link CallerThreads}) */
    public Scratch(boolean virtualOtherThread) {
        this.otherThread = Executors.newSingleThreadExecutor(virtualOtherThread ? CallerThreads.virtualFactory("other-thread")
                : r -> new Thread(r, "other-thread"));
    }

    public TestSpaces spaces() {
        return spaces;
    }

    public ExecutorService pool() {
        return pool;
    }

    /** One thread, the same during the whole test. */
    public ExecutorService otherThread() {
        return otherThread;
    }

    /** Opens (creating) the space {@code name} in the scratch directory; closed after the test. */
    public synchronized LockSpace space(String name) {
        LockSpace space = LockSpace.open(spaces.directory(), name);
        opened.add(space);
        return space;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        pool.shutdownNow();
        otherThread.shutdownNow();
        boolean ended = pool.awaitTermination(10, TimeUnit.SECONDS) & otherThread.awaitTermination(10, TimeUnit.SECONDS);
        synchronized (this) {
            opened.forEach(LockSpace::close);
        }
        spaces.close();
        if (!ended) {
            throw new AssertionError("a test thread was still running 10 s after the test ended");
        }
    }
}
