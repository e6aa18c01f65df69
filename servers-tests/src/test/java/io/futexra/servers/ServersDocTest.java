package io.futexra.servers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/servers.md shows each server's configuration files; the portable suite runs the same files
 * (src/test/resources). This keeps them one text: each file appears in the page verbatim.
 */
class ServersDocTest {

    @ParameterizedTest
    @ValueSource(strings = {"liberty/server.xml", "liberty/futex-ra.xml", "liberty/jvm.options",
            "payara/pre-boot.asadmin", "payara/post-deploy.asadmin", "payara/system.properties",
            "wildfly/futex-ra.cli", "wildfly/undeploy.cli"})
    void shouldShowTheFileTheSuiteRunsVerbatim(String file) throws IOException {
        String page = Files.readString(Path.of("../docs/servers.md"), StandardCharsets.UTF_8);
        String text = Files.readString(Path.of("src/test/resources").resolve(file), StandardCharsets.UTF_8).strip();
        assertTrue(page.contains("\n" + text + "\n```"), "docs/servers.md should show " + file + " as the suite runs it:\n" + text);
    }
}
