package io.futexra.it.app;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code /leak-in-bean?lock=NAME}: calls {@link LeakingBean}, which leaks a connection holding the lock. */
@WebServlet("/leak-in-bean")
public class LeakingBeanServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private transient LeakingBean bean;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.getWriter().print("HELD " + bean.acquireAndLeak(req.getParameter("lock")));
    }
}
