package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.testing.CliProcess;
import io.futexra.testing.TestSpaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The packaged form, {@code adapter/target/futex-ra-VERSION-cli.tar.gz}, works unpacked anywhere. */
@Timeout(120)
class PackagedFormIT {

    @Test
    void shouldRunFromTheUnpackedTarballWithNoRepositoryAround() throws Exception {
        Path target = CliProcess.ROOT.resolve("adapter/target");
        Path tarball;
        try (Stream<Path> files = Files.list(target)) {
            tarball = files.filter(p -> p.getFileName().toString().endsWith("-cli.tar.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no *-cli.tar.gz in " + target));
        }
        try (TestSpaces dirs = new TestSpaces()) {
            Path install = dirs.file("opt");
            Files.createDirectories(install);
            Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", install.toString())
                    .inheritIO().start();
            assertEquals(0, tar.waitFor());
            Path script;
            try (Stream<Path> unpacked = Files.list(install)) {
                script = unpacked.findFirst().orElseThrow().resolve("bin/futex-ra");
            }
            Map<String, String> env = Map.of("HOME", dirs.file("home").toString());
            CliProcess run = CliProcess.startCommand(dirs.directory(), env, List.of(script.toString(), "run",
                    "--lock", "packaged", "--", "sh", "-c", "echo token=$FUTEX_RA_FENCING_TOKEN"));
            assertEquals(0, run.awaitExit(Duration.ofSeconds(60)), run.transcript());
            assertEquals("token=1", run.stdout(), run.transcript());

            CliProcess version = CliProcess.startCommand(dirs.directory(), env, List.of(script.toString(), "--version"));
            assertEquals(0, version.awaitExit(Duration.ofSeconds(30)), version.transcript());
            assertTrue(version.stdout().matches("futex-ra \\d+\\.\\d+\\.\\d+.*"), version.stdout());
        }
    }
}
