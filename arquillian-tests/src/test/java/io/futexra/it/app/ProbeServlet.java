package io.futexra.it.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.Attribute;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * {@code /probe[?gc=true][&serverServiceCoreTimeout=true|false]}: what the server process has now —
 * its pid, every thread's name, its jnidispatch mappings, the size of WildFly's "ServerService"
 * thread pool — read from inside; deployed apart from the RAR so it stays up while the RAR is
 * redeployed. {@code serverServiceCoreTimeout} first sets that pool's {@code AllowCoreThreadTimeOut}
 * through its MBean (WildFly's own management interface of the pool), so that its idle core thread
 * ends after the pool's keep-alive time (see RedeployClassLoadersIT for why).
 *
 * <pre>
 * pid 1234
 * thread NAME          (one per live thread)
 * map PATH             (one per distinct jnidispatch copy mapped: RAR's libjnidispatch.so or JNA's jnaNNNN.tmp)
 * space PATH           (one per mapping of a lock space file, *.space: an open space)
 * serverServicePool N  (threads of the pool now)
 * </pre>
 */
@WebServlet("/probe")
public class ProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String SERVER_SERVICE_POOL = "jboss.threads:name=\"ServerService\",type=thread-pool";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if ("true".equals(req.getParameter("gc"))) {
            System.gc();
        }
        String coreTimeout = req.getParameter("serverServiceCoreTimeout");
        if (coreTimeout != null) {
            setServerServicePool("AllowCoreThreadTimeOut", Boolean.valueOf(coreTimeout));
        }
        PrintWriter out = resp.getWriter();
        out.println("pid " + ProcessHandle.current().pid());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            out.println("thread " + t.getName());
        }
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        // WildFly's RaNativeProcessor maps .../libjnidispatch.so from the RAR; JNA maps its own
        // extracted copy, jnaNNNN.tmp (deleted once loaded)
        maps.stream().filter(l -> l.indexOf('/') >= 0).map(l -> l.substring(l.indexOf('/')))
                .filter(p -> p.contains("jnidispatch") || p.matches(".*/jna[0-9]*\\.tmp.*"))
                .distinct().forEach(p -> out.println("map " + p));
        maps.stream().filter(l -> l.indexOf('/') >= 0).map(l -> l.substring(l.indexOf('/')))
                .filter(p -> p.endsWith(".space")).forEach(p -> out.println("space " + p));
        out.println("serverServicePool " + serverServicePool("PoolSize"));
    }

    /**
     * An attribute of the "ServerService" pool's MBean, or -1 if the MBean is not registered (seen
     * once in CI right after a server reload by an earlier test: then there is no pool to read).
     */
    private static Object serverServicePool(String attribute) throws IOException {
        try {
            return ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(SERVER_SERVICE_POOL), attribute);
        } catch (InstanceNotFoundException e) {
            return -1;
        } catch (JMException e) {
            throw new IOException("cannot read " + attribute + " of " + SERVER_SERVICE_POOL, e);
        }
    }

    /** Sets an attribute of the "ServerService" pool's MBean; nothing if it is not registered (see above). */
    private static void setServerServicePool(String attribute, Object value) throws IOException {
        try {
            ManagementFactory.getPlatformMBeanServer().setAttribute(new ObjectName(SERVER_SERVICE_POOL), new Attribute(attribute, value));
        } catch (InstanceNotFoundException e) {
            return;
        } catch (JMException e) {
            throw new IOException("cannot set " + attribute + " of " + SERVER_SERVICE_POOL, e);
        }
    }
}
