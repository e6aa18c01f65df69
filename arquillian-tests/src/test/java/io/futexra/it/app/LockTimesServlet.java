package io.futexra.it.app;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /lock-times?definition=stats|builtin&lock=NAME&times=N}: has {@link LockTimesBean} acquire
 * and release the lock N times; prints {@code DONE DIED true|false} (whether the first found its
 * owner dead).
 */
@WebServlet("/lock-times")
public class LockTimesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private transient LockTimesBean bean;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean died = bean.acquire(req.getParameter("definition"), req.getParameter("lock"),
                Integer.parseInt(req.getParameter("times")));
        resp.getWriter().print("DONE DIED " + died);
    }
}
