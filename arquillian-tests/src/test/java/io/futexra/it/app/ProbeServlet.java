package io.futexra.it.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code /probe[?gc=true]}: what the server process has now — its pid, every thread's name, and
 * its jnidispatch mappings — read from inside; deployed apart from the RAR so it stays up while
 * the RAR is redeployed.
 *
 * <pre>
 * pid 1234
 * thread NAME          (one per live thread)
 * map PATH             (one per distinct jnidispatch copy mapped: RAR's libjnidispatch.so or JNA's jnaNNNN.tmp)
 * space PATH           (one per mapping of a lock space file, *.space: an open space)
 * </pre>
 */
@WebServlet("/probe")
public class ProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if ("true".equals(req.getParameter("gc"))) {
            System.gc();
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
    }
}
