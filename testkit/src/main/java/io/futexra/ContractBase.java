package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.AwaitState;
import io.futexra.testing.CallerThreads;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ContractChild;
import io.futexra.testing.Scratch;
import io.futexra.testing.SpaceOpener;
import io.futexra.testing.UriSpaceOpener;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every contract test (locks, semaphores, read/write locks, events) needs from its backend,
 * as methods a backend's subclass overrides: the URI of a space ({@link #spaceUri}, the one it must
 * give), how to open it in this JVM and in a child JVM (by default by that URI), how child JVMs
 * start, and how to wait until a thread is asleep on an object. A contract reaches spaces and child JVMs only through these, so the same contract runs
 * on shared memory and on any other backend.
 */
@Timeout(180)
public abstract class ContractBase {

    /** A fresh scratch directory (on tmpfs) and the other thread, cleaned up after each test. */
    @RegisterExtension
    protected final Scratch scratch = new Scratch(virtualCallers() && CallerThreads.virtualAvailable());

    /** Runs each test method on a virtual thread when {@link #virtualCallers()}. */
    @RegisterExtension
    final InvocationInterceptor callers = new InvocationInterceptor() {
        @Override
        public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                        ExtensionContext extensionContext) throws Throwable {
            if (!virtualCallers()) {
                invocation.proceed();
                return;
            }
            CallerThreads.assumeVirtualThreads();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread caller = CallerThreads.newThread(true, () -> {
                try {
                    invocation.proceed();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "virtual-test-caller");
            caller.start();
            caller.join();
            if (failure.get() != null) {
                throw failure.get();
            }
        }
    };

    /**
     * Whether this variant's callers are virtual threads (Java 21+; on older JVMs its tests are
     * skipped): the test method, the other thread, the interrupted waiters and the callers in child
     * JVMs ({@link CallerThreads}). Platform threads by default. Called during construction: return
     * a constant.
     */
    protected boolean virtualCallers() {
        return false;
    }

    /** {@return a caller thread of this variant ({@link #virtualCallers()}) running {@code task}, not started} */
    protected final Thread callerThread(Runnable task, String name) {
        return CallerThreads.newThread(virtualCallers(), task, name);
    }

    /**
     * Where a test's spaces come from when it opens them its own way (through a JCA connection,
     * say), here and in the children: the three hooks below in one object, so that contracts of
     * several kinds share it.
     */
    public interface SpaceSource {
        /** @param spaceName the space's name @return its URI ({@link ContractBase#spaceUri}) */
        URI uri(String spaceName);

        /** @param spaceName the space's name @return it, opened in this JVM ({@link ContractBase#openSpace}) */
        LockSpace open(String spaceName);

        /** @param spaceName the space's name @return how a child opens it ({@link ContractBase#childSpaceArgs}) */
        List<String> childArgs(String spaceName);
    }

    /** This test's {@link SpaceSource}, or null (the default): then {@link #spaceUri} must be overridden. */
    protected SpaceSource spaceSource() {
        return null;
    }

    /**
     * The URI of this test's space {@code spaceName} ({@link LockSpace#open(URI)}), e.g. a
     * shared-memory space in {@link #scratchDirectory()}: a fresh name per test, or a fresh base.
     * Override it, or {@link #spaceSource()}.
     */
    protected URI spaceUri(String spaceName) {
        SpaceSource source = spaceSource();
        if (source == null) {
            throw new IllegalStateException(getClass().getName() + " overrides neither spaceUri nor spaceSource");
        }
        return source.uri(spaceName);
    }

    /** Opens (creating if needed) the space {@code spaceName} of this test, in this JVM; by default by its {@link #spaceUri}. */
    protected LockSpace openSpace(String spaceName) {
        SpaceSource source = spaceSource();
        return source != null ? source.open(spaceName) : LockSpace.open(spaceUri(spaceName));
    }

    /**
     * The arguments with which {@link ContractChild} opens the same space in a child JVM: a
     * {@link io.futexra.testing.SpaceOpener} class and its arguments (see
     * {@link io.futexra.testing.SpaceOpener#args}); by default its {@link #spaceUri}, opened by
     * {@link UriSpaceOpener}.
     */
    protected List<String> childSpaceArgs(String spaceName) {
        SpaceSource source = spaceSource();
        return source != null ? source.childArgs(spaceName)
                : SpaceOpener.args(UriSpaceOpener.class, spaceUri(spaceName).toString());
    }

    /** Starts a child JVM running {@link ContractChild} with {@code args}; by default with this JVM's class path. */
    protected ChildJvm startChild(String... args) {
        return virtualCallers() ? ChildJvm.startClassWithClassPath(List.of(), List.of(CallerThreads.VIRTUAL_OPTION),
                System.getProperty("java.class.path"), ContractChild.class, args)
                : ChildJvm.startClass(ContractChild.class, args);
    }

    /** Waits until at least {@code n} threads are asleep waiting for {@code name}; by default through {@link LockSpace#objects()}. */
    protected void awaitWaiters(LockSpace space, String name, int n) throws InterruptedException {
        AwaitState.waiters(space, name, n);
    }

    /**
     * Starts a thread that runs {@code wait} (a wait that cannot succeed now), waits until it is
     * asleep on {@code name}, interrupts it, and asserts that the wait ended with
     * {@link LockInterruptedException}, the thread's interrupt status kept.
     */
    protected final void assertInterruptible(LockSpace space, String name, Runnable wait) throws Exception {
        CompletableFuture<Boolean> flagKept = new CompletableFuture<>();
        Thread waiter = callerThread(() -> {
            try {
                wait.run();
                flagKept.completeExceptionally(new AssertionError("the wait on '" + name + "' returned"));
            } catch (LockInterruptedException expected) {
                flagKept.complete(Thread.currentThread().isInterrupted());
            } catch (RuntimeException | Error e) {
                flagKept.completeExceptionally(e);
            }
        }, "interrupted-waiter");
        waiter.start();
        awaitWaiters(space, name, 1);
        waiter.interrupt();
        assertTrue(flagKept.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS),
                "LockInterruptedException, with the interrupt status kept");
        waiter.join();
    }

    /**
     * While the other thread holds {@code held}: a 50 ms {@code acquire} times out and
     * {@code tryAcquire} is refused; once the other thread closes it, {@code tryAcquire} succeeds.
     */
    protected final void assertRefusedUntilTheOtherThreadCloses(Held held, Function<Duration, Held> acquire,
                                                               Supplier<Optional<Held>> tryAcquire) throws Exception {
        assertThrows(LockTimeoutException.class, () -> acquire.apply(Duration.ofMillis(50)));
        assertTrue(tryAcquire.get().isEmpty(), "tryAcquire while the other thread holds");
        assertEquals(null, closeOnOtherThread(held), "closed by the other thread, which acquired it");
        Optional<Held> free = tryAcquire.get();
        assertTrue(free.isPresent(), "free again once the other thread closed its hold");
        free.get().close();
    }

    /**
     * A timeout that a {@link Duration} holds and a {@code long} of nanoseconds does not (about 292
     * billion years): the adapter's "as long as it takes" is this one.
     */
    protected static final Duration BEYOND_NANOS = Duration.ofSeconds(Long.MAX_VALUE);

    /**
     * While the other thread holds {@code held}: an acquisition with a timeout of minus
     * {@link #BEYOND_NANOS} tries once and times out; one with {@link #BEYOND_NANOS} waits, asleep on
     * {@code name}, until the other thread closes {@code held}, then holds (and releases on its thread).
     */
    protected final void assertTimeoutsBeyondNanos(LockSpace space, String name, Held held,
                                                   Function<Duration, Held> acquire) throws Exception {
        assertThrows(LockTimeoutException.class, () -> acquire.apply(BEYOND_NANOS.negated()),
                "a timeout of minus 292 billion years tries once");
        CompletableFuture<Long> token = new CompletableFuture<>();
        Thread waiter = callerThread(() -> {
            try (Held h = acquire.apply(BEYOND_NANOS)) {
                token.complete(h.fencingToken());
            } catch (RuntimeException | Error e) {
                token.completeExceptionally(e);
            }
        }, "beyond-nanos-waiter");
        waiter.start();
        awaitWaiters(space, name, 1);
        assertTrue(!token.isDone(), "it waits while the other thread holds: " + token);
        assertEquals(null, closeOnOtherThread(held), "closed by the other thread, which acquired it");
        token.get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
        waiter.join();
    }

    /** Closes {@code held} on the other thread; returns what that threw, or {@code null}. */
    protected final Throwable closeOnOtherThread(Held held) throws Exception {
        return onOtherThread(() -> {
            try {
                held.close();
                return null;
            } catch (RuntimeException | Error e) {
                return e;
            }
        });
    }

    /** The scratch directory, where a shared-memory subclass keeps its spaces. */
    protected final Path scratchDirectory() {
        return scratch.spaces().directory();
    }

    /** A file in the scratch directory (created with its directory on first use by the caller). */
    protected final Path scratchFile(String name) {
        return scratch.spaces().file(name);
    }

    /**
     * Runs {@code task} on "the other thread" (always the same one during a test, so that what it
     * acquired it can also release) and returns its result, within the hang guard.
     */
    protected final <T> T onOtherThread(Callable<T> task) throws Exception {
        return scratch.otherThread().submit(task).get(AwaitState.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
    }
}
