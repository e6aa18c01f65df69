package io.futexra.it.app;

import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import io.futexra.jmx.LockSpaceMonitor;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.openmbean.CompositeData;

/**
 * {@code /mbean?space=NAME&object=NAME}: what an operator's JMX client sees in this server — the
 * space's MXBean read from the platform MBean server — as {@code key=value} lines. Opening a
 * connection first makes the adapter open (and publish) the space.
 */
@WebServlet("/mbean")
public class MBeanServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private transient LockFactory locks;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (LockConnection c = locks.getConnection()) {
            c.objects(); // the space is open and published from here on
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        PrintWriter out = resp.getWriter();
        try {
            var name = LockSpaceMonitor.objectName(req.getParameter("space"));
            out.println("registered=" + server.isRegistered(name));
            out.println("serverPid=" + ProcessHandle.current().pid());
            out.println("heldCount=" + server.getAttribute(name, "HeldCount"));
            for (CompositeData o : (CompositeData[]) server.getAttribute(name, "Objects")) {
                if (o.get("name").equals(req.getParameter("object"))) {
                    for (String key : new String[] {"kind", "holderPid", "holderTid", "holderThread", "waiters",
                            "acquisitions", "fencingToken", "abandoned"}) {
                        out.println(key + "=" + o.get(key));
                    }
                }
            }
        } catch (JMException e) {
            out.println("error=" + e);
        }
    }
}
