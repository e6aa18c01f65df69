package io.futexra.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The suite's files: the server configuration documented in docs/servers.md (src/test/resources,
 * with its {@code ${name}} placeholders filled in), the test application's war, server logs.
 */
final class ServerFiles {

    private ServerFiles() {
    }

    /** The resource's text with each {@code ${key}} of {@code values} replaced; other placeholders stay (the server's own variables). */
    static String render(String resource, Map<String, String> values) {
        try (InputStream in = ServerFiles.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> e : values.entrySet()) {
                text = text.replace("${" + e.getKey() + "}", e.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /**
     * Builds the test application: the classes of {@code io.futexra.servers.app}, except those of the
     * {@code defined} subpackages other than {@code definedVariant}, in WEB-INF/classes, nothing else:
     * the adapter's classes come from the RAR. The MANIFEST's {@code Dependencies:
     * deployment.futex-ra.rar} lets it see them on WildFly; the other servers ignore the header.
     */
    static Path buildWar(Path war, String definedVariant) throws IOException {
        Path classes;
        try {
            classes = Path.of(ServerFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path app = classes.resolve("io/futexra/servers/app");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(app)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> app.relativize(p).getNameCount() != 3 || !app.relativize(p).startsWith("defined")
                            || app.relativize(p).getName(1).toString().equals(definedVariant))
                    .forEach(files::add);
        }
        Files.createDirectories(war.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Dependencies", "deployment.futex-ra.rar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(war), manifest)) {
            for (Path f : files) {
                out.putNextEntry(new JarEntry("WEB-INF/classes/" + classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return war;
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }

    /** Waits until {@code file}'s text satisfies {@code done}; fails with the text after {@code max} (a hang guard). */
    static String await(Path file, Predicate<String> done, Duration max, String what) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        String text = read(file);
        while (!done.test(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not seen within " + max + " in " + file + ":\n" + tail(text));
            }
            Thread.sleep(200);
            text = read(file);
        }
        return text;
    }

    static long count(String text, String needle) {
        long n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static String tail(String text) {
        return text.length() <= 8000 ? text : "..." + text.substring(text.length() - 8000);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Path serversDir() {
        return Path.of(System.getProperty("servers.dir", "target/servers")).toAbsolutePath();
    }

    static int port(String property) {
        return Integer.parseInt(System.getProperty(property));
    }
}
