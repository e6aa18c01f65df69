package io.futexra.servers;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Open Liberty from Maven Central (io.openliberty:openliberty-runtime, unpacked by the build into
 * servers.dir/wlp): a server "futex" in its own user directory, configured by the server.xml,
 * futex-ra.xml and jvm.options of src/test/resources/liberty (docs/servers.md), run in the foreground
 * by {@code bin/server run}. Undeploy: futex-ra.xml replaced by an empty configuration, which
 * Liberty applies live; redeploy: futex-ra.xml written back. A connection a servlet request leaves
 * open is closed by the connection manager's {@code autoCloseConnections} (true by default) when the
 * request ends.
 */
final class LibertyServer implements AppServer {

    private final Path wlp = ServerFiles.serversDir().resolve("wlp");
    private final Path userDir = ServerFiles.serversDir().resolve("liberty-usr");
    private final Path serverDir = userDir.resolve("servers/futex");
    private final Path messages = serverDir.resolve("logs/messages.log");
    private final int port = ServerFiles.port("liberty.http.port");
    private ServerProcess process;

    @Override
    public String name() {
        return "liberty";
    }

    @Override
    public void start(Path rar, Path war, Path directory, String space, Path received) throws Exception {
        ServerFiles.deleteTree(userDir);
        ServerFiles.write(serverDir.resolve("server.xml"), ServerFiles.render("liberty/server.xml", Map.of()));
        ServerFiles.write(serverDir.resolve("futex-ra.xml"), futexRaXml());
        ServerFiles.write(serverDir.resolve("jvm.options"),
                ServerFiles.render("liberty/jvm.options", Map.of("server.output.dir", serverDir.toString()))
                        + "-Dportable.received=" + received + "\n");
        ServerFiles.write(serverDir.resolve("bootstrap.properties"), String.join("\n",
                "http.port=" + port,
                "futexra.rar=" + rar,
                "futexra.war=" + war,
                "futexra.directory=" + directory,
                "futexra.space=" + space, ""));
        process = ServerProcess.start(List.of(wlp.resolve("bin/server").toString(), "run", "futex"), userDir,
                Map.of("WLP_USER_DIR", userDir.toString(), "JAVA_HOME", System.getProperty("java.home")),
                ServerFiles.serversDir().resolve("liberty-console.log"));
        ServerFiles.await(messages, t -> t.contains("CWWKZ0001I") && ServerFiles.count(t, "FUTEXRA061") >= 2
                || t.contains("CWWKZ0002E") || t.contains("CWWKF0011I") && t.contains("CNTR4015W"),
                Duration.ofMinutes(5), "application started and both MDBs activated");
    }

    @Override
    public URI application() {
        return URI.create("http://127.0.0.1:" + port + "/futex-portable/");
    }

    @Override
    public long pid() {
        return process.jvmPid();
    }

    @Override
    public String log() throws Exception {
        return ServerFiles.read(messages);
    }

    @Override
    public Path jnaTmpDir() {
        return serverDir.resolve("jna");
    }

    @Override
    public String runtimeDeploymentLimitation() {
        return null;
    }

    @Override
    public void undeployAll() throws Exception {
        long uninstalled = ServerFiles.count(log(), "J2CA7009I");
        Files.writeString(serverDir.resolve("futex-ra.xml"), "<server/>\n");
        ServerFiles.await(messages, t -> ServerFiles.count(t, "J2CA7009I") > uninstalled, Duration.ofMinutes(2),
                "resource adapter uninstalled");
    }

    @Override
    public void redeployAll() throws Exception {
        String before = log();
        long started = ServerFiles.count(before, "CWWKZ0001I");
        long activated = ServerFiles.count(before, "FUTEXRA061");
        long failed = ServerFiles.count(before, "CWWKZ0002E");
        Files.writeString(serverDir.resolve("futex-ra.xml"), futexRaXml());
        ServerFiles.await(messages, t -> ServerFiles.count(t, "CWWKZ0001I") > started
                && ServerFiles.count(t, "FUTEXRA061") >= activated + 2 || ServerFiles.count(t, "CWWKZ0002E") > failed,
                Duration.ofMinutes(2), "application started again and both MDBs activated again");
    }

    private static String futexRaXml() {
        return ServerFiles.render("liberty/futex-ra.xml", Map.of());
    }

    @Override
    public String leakReclaim() {
        return "Liberty's connection manager (autoCloseConnections, on by default) at the end of the leaking request";
    }

    @Override
    public String definedFactoryVariant() {
        return "liberty";
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
