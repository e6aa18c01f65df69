package io.futexra.it.app;

import io.futexra.Held;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;

/** {@code /use?lock=NAME}: acquires and releases once through a connection; prints the token and whether the previous owner died. */
@WebServlet("/use")
public class UseServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private transient LockFactory locks;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (LockConnection c = locks.getConnection(); Held h = c.lock(req.getParameter("lock")).acquire(Duration.ofSeconds(5))) {
            resp.getWriter().print("TOKEN " + h.fencingToken() + " DIED " + h.previousOwnerDied());
        }
    }
}
