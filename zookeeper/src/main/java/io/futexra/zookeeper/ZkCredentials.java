package io.futexra.zookeeper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Function;

/**
 * Digest credentials ({@code USER:PASSWORD}) for a ZooKeeper space, read from where the URI says:
 * {@code digestFile=/ABSOLUTE/PATH} (a file holding one line {@code USER:PASSWORD}, readable by its
 * owner only) or {@code digestEnv=NAME} (an environment variable holding {@code USER:PASSWORD}).
 * The URI names only where the secret is, never the secret; no message, listing or
 * {@link #toString()} shows the password, and error messages never echo what the file or the
 * variable holds. The secret is kept only as the bytes handed to ZooKeeper's {@code addAuthInfo}.
 */
final class ZkCredentials {

    private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final String source;
    private final String user;
    private final byte[] auth;
    private final String fingerprint;

    private ZkCredentials(String source, String user, byte[] auth) {
        this.source = source;
        this.user = user;
        this.auth = auth;
        this.fingerprint = sha256(auth);
    }

    /**
     * Reads the file named by {@code digestFile=}.
     *
     * @param bad makes the error for a reason (the caller adds the URI form)
     */
    static ZkCredentials fromFile(String pathText, Function<String, IllegalArgumentException> bad) {
        String source = "digestFile=" + pathText;
        Path path = Path.of(pathText);
        if (!path.isAbsolute()) {
            throw bad.apply(source + " is not an absolute path");
        }
        String text;
        try {
            if (!Files.isRegularFile(path)) {
                throw bad.apply(source + ": no such regular file; create it with one line USER:PASSWORD and chmod 600 it");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            perms.retainAll(NOT_OWNER);
            if (!perms.isEmpty()) {
                throw bad.apply(source + " may be read or written by others than its owner (" + perms + "): it holds a"
                        + " password; chmod 600 " + pathText);
            }
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw bad.apply(source + ": no such file; create it with one line USER:PASSWORD and chmod 600 it");
        } catch (IOException | UnsupportedOperationException e) {
            throw bad.apply(source + " cannot be read by this process (" + e.getClass().getSimpleName()
                    + "): check its owner and permissions (600, owned by the user this JVM runs as)");
        }
        return parse(source, text.strip(), bad);
    }

    /** Reads the environment variable named by {@code digestEnv=}. */
    static ZkCredentials fromEnvironment(String name, Function<String, String> environment,
                                         Function<String, IllegalArgumentException> bad) {
        String source = "digestEnv=" + name;
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,99}")) {
            throw bad.apply(source + " is not an environment variable name");
        }
        String value = environment.apply(name);
        if (value == null || value.isEmpty()) {
            throw bad.apply(source + ": the environment variable " + name + " is not set in this process; set it to"
                    + " USER:PASSWORD");
        }
        return parse(source, value.strip(), bad);
    }

    private static ZkCredentials parse(String source, String value, Function<String, IllegalArgumentException> bad) {
        int colon = value.indexOf(':');
        if (colon < 1 || colon == value.length() - 1 || value.indexOf('\n') >= 0) {
            throw bad.apply(source + " does not hold one line USER:PASSWORD (its content is not shown)");
        }
        return new ZkCredentials(source, value.substring(0, colon), value.getBytes(StandardCharsets.UTF_8));
    }

    /** What ZooKeeper's digest scheme takes: {@code USER:PASSWORD}. */
    byte[] auth() {
        return auth.clone();
    }

    /** The user name (not secret). */
    String user() {
        return user;
    }

    /**
     * Tells credentials apart in this process's client key (a client per identity) without holding
     * the password in the key: a SHA-256 of it.
     */
    String fingerprint() {
        return fingerprint;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "digest user '" + user + "' (" + source + ")";
    }
}
