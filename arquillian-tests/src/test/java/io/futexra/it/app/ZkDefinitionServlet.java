package io.futexra.it.app;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code /zk-definition?op=OP&lock=NAME[&release=FILE]}: {@link ZkDefinitionBean} — {@code once},
 * {@code hold}, {@code commit} or {@code rollback} (a transaction hold ended that way; a rollback
 * answers {@code ROLLED_BACK} with the bean's exception).
 */
@WebServlet("/zk-definition")
public class ZkDefinitionServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private transient ZkDefinitionBean bean;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String lock = req.getParameter("lock");
        String op = req.getParameter("op");
        String release = req.getParameter("release");
        try {
            resp.getWriter().print(switch (op) {
                case "once" -> bean.acquireOnce(lock);
                case "hold" -> bean.holdUntil(lock, Path.of(release));
                case "commit" -> bean.holdForTransactionUntil(lock, Path.of(release), false);
                case "rollback" -> rolledBack(lock, Path.of(release));
                default -> throw new IllegalArgumentException("unknown op " + op);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private String rolledBack(String lock, Path release) throws InterruptedException {
        try {
            return "COMMITTED " + bean.holdForTransactionUntil(lock, release, true);
        } catch (EJBException e) {
            return "ROLLED_BACK " + e.getCause();
        }
    }
}
