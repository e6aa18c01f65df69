package io.futexra;

import io.futexra.spi.LockSpaceProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * The backends this API can reach: {@link LockSpaceProvider}s found through {@link ServiceLoader},
 * first with the API's own class loader (a RAR or a plain class path), then with the calling
 * thread's context class loader (a backend deployed beside the API). Opening a space looks them
 * up each time (it is rare, and a cache would pin a deployment's class loader); the backend of an
 * event class is remembered in a {@link ClassValue}, which lives as long as that class does.
 */
final class Backends {

    private Backends() {
    }

    /** The backend serving {@code space}'s scheme. */
    static LockSpaceProvider forUri(URI space) {
        String scheme = space.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException("space URI " + space + " has no scheme: use shm:NAME, shm:/DIRECTORY/NAME"
                    + " or zookeeper://HOST:PORT[,HOST:PORT...]/PATH/NAME");
        }
        List<String> known = new ArrayList<>();
        for (LockSpaceProvider p : providers()) {
            if (p.scheme().equalsIgnoreCase(scheme)) {
                return p;
            }
            known.add(p.scheme());
        }
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (lower.equals("zk") && known.contains("zookeeper")) {
            throw new IllegalArgumentException("no futex-ra backend for zk: URIs (" + space + "): did you mean"
                    + " zookeeper://? The ZooKeeper backend's form is zookeeper://HOST:PORT[,HOST:PORT...]/PATH/NAME");
        }
        throw new IllegalArgumentException("no futex-ra backend for " + lower + ": URIs "
                + "(found: " + known + ")" + (known.contains("zookeeper") ? ""
                : "; for zookeeper: put futex-ra-zookeeper and its dependencies on the class path"));
    }

    private static final ClassValue<LockSpaceProvider> EVENT_BACKENDS = new ClassValue<>() {
        @Override
        protected LockSpaceProvider computeValue(Class<?> type) {
            for (LockSpaceProvider p : providers()) {
                if (p.owns(type.asSubclass(NamedEvent.class))) {
                    return p;
                }
            }
            return null;
        }
    };

    /** The backend that handed out {@code event}. */
    static LockSpaceProvider owning(NamedEvent event) {
        LockSpaceProvider p = EVENT_BACKENDS.get(event.getClass());
        if (p == null) {
            throw new IllegalArgumentException(event + " (" + event.getClass().getName() + ") was not handed out by"
                    + " any futex-ra backend found here");
        }
        return p;
    }

    /**
     * Lets every backend loaded with the API's own class loader release its native resources (the
     * backends of this deployment; those beside it belong to other deployments).
     */
    static void releaseNativeResources() {
        ServiceLoader.load(LockSpaceProvider.class, Backends.class.getClassLoader())
                .forEach(LockSpaceProvider::releaseNativeResources);
    }

    private static List<LockSpaceProvider> providers() {
        List<LockSpaceProvider> all = new ArrayList<>();
        ServiceLoader.load(LockSpaceProvider.class, Backends.class.getClassLoader()).forEach(all::add);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != Backends.class.getClassLoader()) {
            for (LockSpaceProvider p : ServiceLoader.load(LockSpaceProvider.class, context)) {
                if (all.stream().noneMatch(q -> q.getClass() == p.getClass())) {
                    all.add(p);
                }
            }
        }
        return all;
    }
}
