package io.futexra.servers.app;

import io.futexra.Held;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /leak?name=N}: a component that leaks. It takes lock N with {@code tryAcquire} through a
 * connection and closes neither the connection nor the hold, so only the server's own leak detection
 * (docs/servers.md) ends them; answers {@code token=T}, or {@code busy}.
 */
@WebServlet("/leak")
public class LeakServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        LockFactory locks = LockServlet.factory(LockServlet.jndiName());
        LockConnection leaked = locks.getConnection();
        Optional<Held> held = leaked.lock(request.getParameter("name")).tryAcquire();
        response.getWriter().print(held.map(h -> "token=" + h.fencingToken()).orElse("busy"));
    }
}
