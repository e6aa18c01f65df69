package io.futexra.zookeeper;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a {@code zookeeper:} space lives, read from its URI:
 * {@code zookeeper://HOST:PORT[,HOST:PORT...]/PATH/NAME[?OPTION=VALUE&...]}.
 * The ensemble is the connect string; {@code /PATH} (zero or more segments) is the znode under
 * which spaces live; {@code NAME} is the space's name (the same rule as shared-memory space
 * names). Options:
 * <ul>
 * <li>{@code sessionTimeout}, {@code connectionTimeout}: durations, a number with a unit, {@code ms},
 *     {@code s} or {@code m} ({@code 15s}); a session timeout below {@value #MIN_SESSION_MILLIS} ms is refused;</li>
 * <li>{@code digestFile=/ABSOLUTE/PATH} or {@code digestEnv=NAME}: digest credentials, read from
 *     a file (mode 600) or an environment variable ({@link ZkCredentials}); the secret itself never
 *     appears in the URI;</li>
 * <li>{@code acl=creator} or {@code acl=open}: the ACL of every znode futex-ra creates — only the
 *     creating identity may change or delete it, everyone may read ({@code creator}, the default
 *     with credentials; also for identities from SASL or a TLS client certificate), or
 *     {@code world:anyone} may do anything ({@code open}, the default without credentials).</li>
 * </ul>
 *
 * @param connectString the ensemble, {@code HOST:PORT,HOST:PORT}
 * @param parentPath the znode the space lives under ({@code /} for none)
 * @param spaceName the space's name, the last segment of the URI's path
 * @param sessionTimeout the ZooKeeper session timeout asked for: how long after a client stops
 *     being heard from its locks are freed (the server bounds it to 2 to 20 ticks)
 * @param connectionTimeout how long connecting may take before an operation fails
 * @param credentials digest credentials, or null for none
 * @param creatorAcl whether created znodes carry the creator-only ACL ({@code acl=creator})
 */
record ZkAddress(String connectString, String parentPath, String spaceName, Duration sessionTimeout,
                 Duration connectionTimeout, ZkCredentials credentials, boolean creatorAcl) {

    /** The URI scheme. */
    static final String SCHEME = "zookeeper";
    static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    static final long MIN_SESSION_MILLIS = 100;
    private static final String FORM = "zookeeper://HOST:PORT[,HOST:PORT...]/PATH/NAME"
            + "[?sessionTimeout=10s&connectionTimeout=5s&digestFile=/PATH|digestEnv=NAME&acl=creator|open]";
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-]+:[0-9]{1,5}|\\[[0-9A-Fa-f:.]+\\]:[0-9]{1,5}");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)");

    /** The session's key in this process: spaces with equal keys share one client. */
    String clientKey() {
        return connectString + "|" + sessionTimeout.toMillis() + "|" + connectionTimeout.toMillis() + "|"
                + (credentials == null ? "-" : credentials.fingerprint()) + "|" + creatorAcl;
    }

    /** The znode of the space itself. */
    String spacePath() {
        return ("/".equals(parentPath) ? "" : parentPath) + "/" + spaceName;
    }

    /**
     * Reads {@code space}.
     *
     * @throws IllegalArgumentException naming the form, if it is not a {@code zookeeper:} space URI
     */
    static ZkAddress of(URI space) {
        return of(space, System::getenv);
    }

    /** {@link #of(URI)} with {@code environment} for {@code digestEnv}. */
    static ZkAddress of(URI space, java.util.function.Function<String, String> environment) {
        if (!SCHEME.equalsIgnoreCase(space.getScheme()) || space.isOpaque() || space.getRawFragment() != null) {
            throw malformed(space, "it is not a hierarchical zookeeper: URI");
        }
        String authority = space.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw malformed(space, "it names no ZooKeeper server");
        }
        for (String hostPort : authority.split(",", -1)) {
            if (!HOST_PORT.matcher(hostPort).matches()) {
                throw malformed(space, "'" + hostPort + "' is not HOST:PORT");
            }
            int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
            if (port < 1 || port > 65535) {
                throw malformed(space, "port " + port + " of '" + hostPort + "' is not 1 to 65535");
            }
        }
        if (space.getRawPath() != null && space.getRawPath().indexOf('%') >= 0) {
            throw malformed(space, "its path is percent-encoded (an encoded '/' would move the space); path"
                    + " segments are plain A-Z a-z 0-9 . _ -");
        }
        String path = space.getPath();
        if (path == null || path.length() < 2 || path.endsWith("/")) {
            throw malformed(space, "it has no space name after the servers");
        }
        String[] segments = path.substring(1).split("/", -1);
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches() || segment.contains("..")) {
                throw malformed(space, "path segment '" + segment + "' is not 1 to 100 characters of A-Z a-z 0-9 . _ -"
                        + " starting with a letter or digit, without '..'");
            }
        }
        int lastSlash = path.lastIndexOf('/');
        String parent = lastSlash == 0 ? "/" : path.substring(0, lastSlash);
        Duration session = DEFAULT_SESSION_TIMEOUT;
        Duration connection = DEFAULT_CONNECTION_TIMEOUT;
        ZkCredentials credentials = null;
        String acl = null;
        String query = space.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&", -1)) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                switch (key) {
                    case "sessionTimeout" -> {
                        session = duration(space, key, value);
                        if (session.toMillis() < MIN_SESSION_MILLIS) {
                            throw malformed(space, key + "=" + value + " is shorter than any ZooKeeper session can be"
                                    + " (at least " + MIN_SESSION_MILLIS + "ms here; servers grant 2 to 20 ticks, 4s to"
                                    + " 40s with the default 2s tick)");
                        }
                    }
                    case "connectionTimeout" -> connection = duration(space, key, value);
                    case "digestFile", "digestEnv" -> {
                        if (credentials != null) {
                            throw malformed(space, "credentials are given twice (digestFile and digestEnv): give one");
                        }
                        credentials = key.equals("digestFile")
                                ? ZkCredentials.fromFile(value, why -> malformed(space, why))
                                : ZkCredentials.fromEnvironment(value, environment, why -> malformed(space, why));
                    }
                    case "acl" -> {
                        if (!value.equals("creator") && !value.equals("open")) {
                            throw malformed(space, "acl=" + value + " is neither creator nor open");
                        }
                        acl = value;
                    }
                    default -> throw malformed(space, "unknown option '" + key + "' (known: sessionTimeout,"
                            + " connectionTimeout, digestFile, digestEnv, acl)");
                }
            }
        }
        boolean creatorAcl = acl == null ? credentials != null : acl.equals("creator");
        return new ZkAddress(authority, parent, path.substring(lastSlash + 1), session, connection, credentials,
                creatorAcl);
    }

    private static Duration duration(URI space, String key, String value) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw malformed(space, key + "=" + value + " is not a positive duration such as 500ms, 15s or 1m");
        }
        long amount = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
        // ZooKeeper and Curator take both timeouts as an int of milliseconds
        if (d.toMillis() > Integer.MAX_VALUE) {
            throw malformed(space, key + "=" + value + " is longer than ZooKeeper accepts (at most "
                    + Integer.MAX_VALUE + "ms, about 24 days)");
        }
        return d;
    }

    private static IllegalArgumentException malformed(URI space, String why) {
        return new IllegalArgumentException("'" + space + "' is not a ZooKeeper space URI (" + why + "): use " + FORM);
    }

    @Override
    public String toString() {
        return SCHEME + "://" + connectString + spacePath();
    }
}
