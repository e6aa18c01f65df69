package io.futexra.it.app;

import io.futexra.Held;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * {@code /virtual?lock=NAME}: on a virtual thread of the server (Java 21+), acquires and releases
 * the lock through a connection; then, on the request thread, checks it is free again. Prints
 * {@code VIRTUAL=true HELD=true FREE=true}, or {@code NO-VIRTUAL-THREADS java=V} on an older JVM.
 */
@WebServlet("/virtual")
public class VirtualThreadServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private transient LockFactory locks;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getParameter("lock");
        if (Runtime.version().feature() < 21) {
            resp.getWriter().print("NO-VIRTUAL-THREADS java=" + Runtime.version());
            return;
        }
        CompletableFuture<String> taken = new CompletableFuture<>();
        try {
            virtualThreads().newThread(() -> {
                String inside;
                try (LockConnection c = locks.getConnection(); Held held = c.lock(name).acquire(Duration.ofSeconds(10))) {
                    boolean isVirtual = (boolean) MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                            MethodType.methodType(boolean.class)).invoke(Thread.currentThread());
                    inside = "VIRTUAL=" + isVirtual + " HELD=" + held.isHeld();
                } catch (Throwable t) {
                    taken.completeExceptionally(t);
                    return;
                }
                taken.complete(inside); // once released: the request thread then finds the lock free
            }).start();
            String inside = taken.get(60, TimeUnit.SECONDS);
            try (LockConnection c = locks.getConnection()) {
                Optional<Held> free = c.lock(name).tryAcquire();
                free.ifPresent(Held::close);
                resp.getWriter().print(inside + " FREE=" + free.isPresent());
            }
        } catch (Throwable t) {
            throw new IOException("the virtual thread's lock failed: " + t, t);
        }
    }

    private static ThreadFactory virtualThreads() throws Throwable {
        Object builder = MethodHandles.publicLookup().findStatic(Thread.class, "ofVirtual",
                MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual"))).invoke();
        return (ThreadFactory) MethodHandles.publicLookup().findVirtual(Class.forName("java.lang.Thread$Builder"),
                "factory", MethodType.methodType(ThreadFactory.class)).invoke(builder);
    }
}
