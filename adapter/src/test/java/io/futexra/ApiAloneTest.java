package io.futexra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API stands alone: a JVM whose class path holds only {@code io.futexra} and
 * {@code io.futexra.spi} — no core, no {@code linux}, no JNA, no Curator, no backend — loads and
 * uses every API type, and opening a space says that no backend serves the scheme, instead of
 * failing to load a class. {@code ArchitectureTest} proves the same on the bytecode; this runs it.
 */
class ApiAloneTest {

    private static final Path CLASSES = Path.of("target/classes/io/futexra");

    /** Child program: touches every API type that needs no backend, then opens a space. */
    public static final class Probe {
        public static void main(String[] args) {
            LockOptions.fair().withSpinLimit(LockOptions.ADAPTIVE);
            SpaceOptions.defaults().withCapacity(8).fileModeBits();
            new SpaceReport("s", "summary", List.of(), List.of("w")).isValid();
            LockSpace.sharedMemory(Path.of("/dev/shm/x"), "y");
            try {
                LockSpace.open(URI.create(args[0]));
                System.out.println("opened?");
            } catch (IllegalArgumentException expected) {
                System.out.println("refused " + expected.getMessage());
            }
        }
    }

    @Test
    void shouldLoadAndUseTheApiWithNoBackendOnTheClassPath(@TempDir Path api) throws Exception {
        copy(CLASSES, api.resolve("io/futexra"));
        copy(CLASSES.resolve("spi"), api.resolve("io/futexra/spi"));
        Path probe = Path.of("target/test-classes/io/futexra/ApiAloneTest$Probe.class");
        Files.copy(probe, api.resolve("io/futexra").resolve(probe.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        try (Stream<Path> all = Files.walk(api)) {
            assertTrue(all.noneMatch(p -> p.toString().contains("/core/") || p.toString().contains("/linux/")
                    || p.toString().contains("META-INF")), "only the API is copied");
        }
        try (ChildJvm child = ChildJvm.startClassWithClassPath(List.of(), List.of(), api.toString(), Probe.class,
                "shm:payroll")) {
            String line = child.awaitLine("", Duration.ofSeconds(60));
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.transcript());
            assertTrue(line.startsWith("refused no futex-ra backend for shm: URIs (found: [])"), child.transcript());
        }
    }

    /** Copies the class files directly in {@code from} (not its sub-packages) to {@code to}. */
    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
