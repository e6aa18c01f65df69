package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of README's module table ("Build"), checked on the sources: {@code core} is
 * pure Java (no JNA, no Jakarta, no {@code linux}), and {@code linux} is the only JNA user.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java/io/futexra");

    @Test
    void coreShouldImportNeitherJnaNorJakarta() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(MAIN.resolve("core"))) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).lines().anyMatch(l -> l.startsWith("import com.sun.jna")
                            || l.startsWith("import jakarta.") || l.startsWith("import io.futexra.linux")))
                    .map(Path::toString).toList();
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void onlyTheLinuxPackageShouldImportJna() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(MAIN)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(MAIN.resolve("linux")))
                    .filter(p -> read(p).contains("import com.sun.jna"))
                    .map(Path::toString).toList();
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void onlyTheJcaPackageShouldImportJakartaSoTheJarRunsWithoutAServer() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(MAIN)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(MAIN.resolve("jca")))
                    .filter(p -> read(p).contains("import jakarta."))
                    .map(Path::toString).toList();
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void everyPackageShouldHaveAPackageInfo() throws IOException {
        try (Stream<Path> dirs = Files.walk(MAIN)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                assertTrue(Files.exists(dir.resolve("package-info.java")), dir + " has no package-info.java");
            }
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
