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
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * {@code GET /lock?name=N}: looks up the {@link LockFactory} the server binds (at {@code futex/LockFactory}
 * by the configuration of Liberty and Payara; at {@code java:/futex-ra/LockFactory} by the RAR's own
 * ironjacamar.xml on WildFly, named by the system property {@code portable.jndi}), takes lock N with
 * {@code tryAcquire}, releases it, and answers {@code token=T} (its fencing token) or {@code busy}.
 */
@WebServlet("/lock")
public class LockServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** {@return where the server binds the connection factory (docs/servers.md)} */
    static String jndiName() {
        return System.getProperty("portable.jndi", "futex/LockFactory");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().print(tryOnce(factory(jndiName()), request.getParameter("name")));
    }

    static LockFactory factory(String jndiName) {
        try {
            return (LockFactory) new InitialContext().lookup(jndiName);
        } catch (NamingException e) {
            throw new IllegalStateException("no LockFactory at " + jndiName, e);
        }
    }

    static String tryOnce(LockFactory locks, String name) {
        try (LockConnection c = locks.getConnection()) {
            Optional<Held> held = c.lock(name).tryAcquire();
            if (held.isEmpty()) {
                return "busy";
            }
            try (Held h = held.get()) {
                return "token=" + h.fencingToken();
            }
        }
    }
}
