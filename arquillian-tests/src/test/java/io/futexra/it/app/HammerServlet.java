package io.futexra.it.app;

import io.futexra.Held;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import io.futexra.testing.SharedCounter;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code /hammer?lock=&counter=&threads=&iterations=}: each thread, per iteration, takes a
 * connection, acquires the lock, checks for overlap and plain-increments the shared counter,
 * releases and closes — the server's side of the contention test against a child JVM.
 */
@WebServlet("/hammer")
public class HammerServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private transient LockFactory locks;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String lock = req.getParameter("lock");
        SharedCounter counter = SharedCounter.open(Path.of(req.getParameter("counter")));
        int threads = Integer.parseInt(req.getParameter("threads"));
        int iterations = Integer.parseInt(req.getParameter("iterations"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new Thread(() -> {
                try {
                    for (int i = 0; i < iterations; i++) {
                        try (LockConnection c = locks.getConnection(); Held h = c.lock(lock).acquire(Duration.ofSeconds(60))) {
                            counter.enterExclusive();
                            counter.incrementPlain();
                            counter.exitExclusive();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "hammer-" + t));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        if (failure.get() != null) {
            resp.setStatus(500);
            failure.get().printStackTrace(resp.getWriter());
            return;
        }
        resp.getWriter().print("DONE " + (long) threads * iterations);
    }
}
