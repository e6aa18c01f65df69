package io.futexra.servers.app;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /tx?name=N&gate=FILE[&rollback=true]}: {@link TxBean#holdUntil} in a container transaction;
 * answers {@code committed token=T}, or {@code rolledback} when the bean failed on purpose.
 */
@WebServlet("/tx")
public class TxServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private TxBean bean;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        boolean rollback = Boolean.parseBoolean(request.getParameter("rollback"));
        try {
            long token = bean.holdUntil(request.getParameter("name"), request.getParameter("gate"), rollback);
            response.getWriter().print("committed token=" + token);
        } catch (EJBException e) {
            response.getWriter().print("rolledback " + e.getMessage());
        }
    }
}
