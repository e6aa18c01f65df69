package io.futexra.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Child JVMs run as other users (this test JVM runs as root, as CI does) with {@code setpriv}:
 * real uids and gids, no system change. The build's class path lives under root's home, which
 * other users cannot read, so it is copied to a world-readable directory first.
 */
public final class OtherUsers implements AutoCloseable {

    private final Path root = Path.of("/tmp", "futex-ra-users-" + UUID.randomUUID());
    private final String classPath;
    private final Path scratch;

    public OtherUsers() {
        try {
            Files.createDirectories(root);
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path source = Path.of(entry);
                if (!Files.exists(source)) {
                    continue;
                }
                Path target = root.resolve("cp" + n++ + (Files.isDirectory(source) ? "" : ".jar"));
                copy(source, target);
                entries.add(target.toString());
            }
            classPath = String.join(java.io.File.pathSeparator, entries);
            scratch = Files.createDirectories(root.resolve("scratch"));
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.toList()) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p)
                            ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A directory every user may write (JNA's native library, shared test files). */
    public Path scratch() {
        return scratch;
    }

    /**
     * Starts {@code ChildMain} as {@code user}:{@code group} with exactly the supplementary
     * groups {@code groups} (none if empty), through {@code setpriv}.
     */
    public ChildJvm start(String user, String group, String groups, String... args) {
        return startClass(user, group, groups, ChildMain.class, args);
    }

    /** Starts {@code mainClass} (a test's own child program) as {@code user}, as {@link #start} does {@code ChildMain}. */
    public ChildJvm startClass(String user, String group, String groups, Class<?> mainClass, String... args) {
        List<String> launcher = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + group));
        launcher.add(groups.isEmpty() ? "--clear-groups" : "--groups=" + groups);
        launcher.add("--");
        return ChildJvm.startClassWithClassPath(launcher, List.of("-Djna.tmpdir=" + scratch, "-XX:-UsePerfData"),
                classPath, mainClass, args);
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : all.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
