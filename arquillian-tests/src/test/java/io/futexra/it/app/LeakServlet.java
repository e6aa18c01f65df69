package io.futexra.it.app;

import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@code /leak?lock=NAME}: acquires the lock through a connection and leaks both (a buggy application). */
@WebServlet("/leak")
public class LeakServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final List<LockConnection> LEAKED = new CopyOnWriteArrayList<>();

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private transient LockFactory locks;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        LockConnection c = locks.getConnection();
        LEAKED.add(c);
        long token = c.lock(req.getParameter("lock")).acquire(Duration.ofSeconds(5)).fencingToken();
        resp.getWriter().print("HELD " + token);
    }
}
