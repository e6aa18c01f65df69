package io.futexra.testing;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's scratch: a fresh space directory on tmpfs and a thread pool, both cleaned up after
 * each test (the pool must finish within 10 s: a thread still stuck in a wait fails the test).
 * Register it with {@code @RegisterExtension final Scratch scratch = new Scratch();}.
 */
public final class Scratch implements AfterEachCallback {

    private final TestSpaces spaces = new TestSpaces();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    public TestSpaces spaces() {
        return spaces;
    }

    public ExecutorService pool() {
        return pool;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        pool.shutdownNow();
        boolean ended = pool.awaitTermination(10, TimeUnit.SECONDS);
        spaces.close();
        if (!ended) {
            throw new AssertionError("a test thread was still running 10 s after the test ended");
        }
    }
}
