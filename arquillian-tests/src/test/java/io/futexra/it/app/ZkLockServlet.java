package io.futexra.it.app;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;

/** {@code /zk-lock?space=URI&lock=NAME}: {@link ZkLockBean#acquireOnce}. */
@WebServlet("/zk-lock")
public class ZkLockServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private transient ZkLockBean bean;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.getWriter().print(bean.acquireOnce(URI.create(req.getParameter("space")), req.getParameter("lock")));
    }
}
