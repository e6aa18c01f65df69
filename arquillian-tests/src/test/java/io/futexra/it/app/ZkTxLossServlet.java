package io.futexra.it.app;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * {@code /zk-tx-loss?op=work&lock=NAME&id=ROW&release=FILE}: {@link ZkTxLossBean#workUnderLock},
 * answering {@code COMMITTED TOKEN t} or {@code ROLLED_BACK} with the container's exception;
 * {@code op=rows&id=ROW}: how many rows {@code ROW} has.
 */
@WebServlet("/zk-tx-loss")
public class ZkTxLossServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private transient ZkTxLossBean bean;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = req.getParameter("id");
        try {
            bean.prepare();
            resp.getWriter().print(switch (req.getParameter("op")) {
                case "work" -> work(req.getParameter("lock"), id, Path.of(req.getParameter("release")));
                case "rows" -> Integer.toString(bean.rows(id));
                default -> throw new IllegalArgumentException("unknown op " + req.getParameter("op"));
            });
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    private String work(String lock, String id, Path release) {
        try {
            return "COMMITTED " + bean.workUnderLock(lock, id, release);
        } catch (EJBException e) {
            return "ROLLED_BACK " + e;
        } catch (SQLException e) {
            return "FAILED " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "INTERRUPTED";
        }
    }
}
