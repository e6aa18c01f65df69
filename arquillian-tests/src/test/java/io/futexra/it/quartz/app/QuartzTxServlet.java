package io.futexra.it.quartz.app;

import io.futexra.LockSpace;
import io.futexra.quartz.FutexLockHandler;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code /quartz-tx?dir=D&scheduler=S&end=commit|rollback}: what JobStoreCMT does with its lock
 * handler inside a container transaction — obtain TRIGGER_ACCESS, obtain it again, release it —
 * then ends the transaction. Prints whether the futex lock was held after the release (it must be,
 * until the transaction ends) and after the end: {@code afterRelease=B afterEnd=B}.
 */
@WebServlet("/quartz-tx")
public class QuartzTxServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource
    private transient UserTransaction transaction;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Path dir = Path.of(req.getParameter("dir"));
        FutexLockHandler handler = new FutexLockHandler();
        handler.setSpaceDirectory(dir.toString());
        handler.setSpaceName("quartz-it");
        handler.setSchedName(req.getParameter("scheduler"));
        handler.setTablePrefix("QRTZ_");
        handler.setTransactionManagerJNDIName("java:jboss/TransactionManager");
        String lock = "quartz/" + req.getParameter("scheduler") + "/QRTZ_TRIGGER_ACCESS";
        try {
            transaction.begin();
            handler.obtainLock(null, "TRIGGER_ACCESS");
            handler.obtainLock(null, "TRIGGER_ACCESS"); // again in the same transaction: at once
            handler.releaseLock("TRIGGER_ACCESS");
            boolean afterRelease = held(dir, lock);
            if ("rollback".equals(req.getParameter("end"))) {
                transaction.rollback();
            } else {
                transaction.commit();
            }
            resp.getWriter().print("afterRelease=" + afterRelease + " afterEnd=" + held(dir, lock));
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static boolean held(Path dir, String lock) {
        try (LockSpace space = LockSpace.open(dir, "quartz-it")) {
            return space.objects().stream().anyMatch(o -> o.name().equals(lock) && o.isHeld());
        }
    }
}
