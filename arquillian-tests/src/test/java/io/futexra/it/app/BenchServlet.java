package io.futexra.it.app;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.jca.ConnectionLock;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * {@code /bench?dir=&ops=&rounds=}: median and minimum ns/op, single thread, uncontended, of
 * <ol>
 * <li>{@code getConnection()} + {@code lock(name).acquire} + release + {@code close()} (the EJB idiom),</li>
 * <li>the same with one connection kept open (acquire + release only),</li>
 * <li>the standalone API in the same JVM: thread-owned {@code acquire} + release,</li>
 * <li>the standalone API: process-owned {@code acquireForProcess} + release.</li>
 * </ol>
 * A measurement, not a test: run by ConnectionCostBenchmarkIT on demand.
 */
@WebServlet("/bench")
public class BenchServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private transient LockFactory locks;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int ops = Integer.parseInt(req.getParameter("ops"));
        int rounds = Integer.parseInt(req.getParameter("rounds"));
        PrintWriter out = resp.getWriter();
        out.println("connection+acquire+release+close " + median(rounds, ops, () -> {
            try (LockConnection c = locks.getConnection(); Held h = c.lock("bench-a").acquire(TIMEOUT)) {
                // nothing: the cost of the idiom itself
            }
        }));
        try (LockConnection c = locks.getConnection()) {
            ConnectionLock lock = c.lock("bench-b");
            out.println("open-connection acquire+release " + median(rounds, ops, () -> {
                try (Held h = lock.acquire(TIMEOUT)) {
                    // nothing
                }
            }));
        }
        try (LockSpace space = LockSpace.open(Path.of(req.getParameter("dir")), "bench")) {
            NamedLock lock = space.lock("bench-c");
            out.println("standalone acquire+release " + median(rounds, ops, () -> {
                try (Held h = lock.acquire(TIMEOUT)) {
                    // nothing
                }
            }));
            out.println("standalone acquireForProcess+release " + median(rounds, ops, () -> {
                try (Held h = lock.acquireForProcess(TIMEOUT)) {
                    // nothing
                }
            }));
        }
    }

    /** "median min" ns/op over the rounds: the minimum is the least disturbed by a busy machine. */
    private static String median(int rounds, int ops, Runnable op) {
        for (int i = 0; i < ops; i++) {
            op.run(); // warm-up
        }
        long[] perOp = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                op.run();
            }
            perOp[r] = (System.nanoTime() - start) / ops;
        }
        Arrays.sort(perOp);
        return perOp[rounds / 2] + " " + perOp[0];
    }
}
