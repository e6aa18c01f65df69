package io.futexra.servers.app.defined;

import io.futexra.Held;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.annotation.Resource;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /defined?name=N}: like {@code /lock}, through the connection factory the application
 * defines itself with {@code @ConnectionFactoryDefinition} at {@value #NAME} (no server configuration).
 * The definition names the adapter as the server knows it, so each server's subclass carries its own.
 */
public abstract class DefinedFactoryUse extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Where the definitions bind the factory. */
    public static final String NAME = "java:app/futex/DefinedLockFactory";

    @Resource(lookup = NAME)
    private LockFactory locks;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        try (LockConnection c = locks.getConnection()) {
            Optional<Held> held = c.lock(request.getParameter("name")).tryAcquire();
            response.getWriter().print(held.map(h -> {
                try (h) {
                    return "token=" + h.fencingToken() + " space=" + c.spaceName();
                }
            }).orElse("busy"));
        }
    }
}
