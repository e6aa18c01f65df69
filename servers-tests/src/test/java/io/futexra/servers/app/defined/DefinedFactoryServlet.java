package io.futexra.servers.app.defined;

import io.futexra.Held;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.annotation.Resource;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /defined?name=N}: like {@code /lock}, through a connection factory the application defines
 * itself with the portable {@code @ConnectionFactoryDefinition} (no server configuration). Its
 * {@code resourceAdapter} is the adapter's name on the server: {@code futex-ra} on Payara/GlassFish
 * (the RAR's file name), so this servlet goes only into Payara's test application.
 */
@ConnectionFactoryDefinition(
        name = "java:app/futex/DefinedLockFactory",
        interfaceName = "io.futexra.jca.LockFactory",
        resourceAdapter = "futex-ra",
        transactionSupport = TransactionSupportLevel.NoTransaction,
        maxPoolSize = 16,
        properties = {"directory=/dev/shm/futex-ra-servers-it", "space=defined"})
@WebServlet("/defined")
public class DefinedFactoryServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:app/futex/DefinedLockFactory")
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
