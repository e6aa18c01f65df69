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
        throw new IllegalArgumentException("no futex-ra backend for " + scheme.toLowerCase(Locale.ROOT) + ": URIs "
                + "(found: " + known + "); for zookeeper: put futex-ra-zookeeper and its dependencies on the class path");
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
     * {@code text} with every byte of its UTF-8 form outside {@code A-Z a-z 0-9 - . _ ~} (and
     * {@code /} if {@code keepSlash}) written as {@code %XX}: a URI path or one segment of it.
     */
    static String percentEncode(String text, boolean keepSlash) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0 || (keepSlash && c == '/'))) {
                out.append(c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

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
