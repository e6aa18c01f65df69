package io.futexra.servers;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * WildFly from Maven Central (org.wildfly:wildfly-dist, unpacked by the build into
 * servers.dir/wildfly-VERSION), with its own copy of the {@code standalone} base directory, on
 * loopback at a port offset ({@code wildfly.port.offset}), started by {@code bin/standalone.sh};
 * configured and deployed by {@code jboss-cli.sh} running src/test/resources/wildfly/futex-ra.cli
 * (docs/servers.md), undeployed by undeploy.cli and deployed again by the deploy commands of
 * futex-ra.cli. futex-ra.cli also turns on the cached connection manager's debug mode, which closes
 * a connection a servlet request or an EJB call leaves open when it ends.
 */
final class WildFlyServer implements AppServer {

    private final Path home = ServerFiles.serversDir().resolve("wildfly-" + System.getProperty("version.wildfly"));
    private final Path base = ServerFiles.serversDir().resolve("wildfly-base");
    private final Path serverLog = base.resolve("log/server.log");
    private final int offset = ServerFiles.port("wildfly.port.offset");
    private ServerProcess process;
    private Path rar;
    private Path war;

    @Override
    public String name() {
        return "wildfly";
    }

    @Override
    public void start(Path rar, Path war, Path directory, String space, Path received) throws Exception {
        this.rar = rar;
        this.war = war;
        ServerFiles.deleteTree(base);
        copyConfiguration(home.resolve("standalone"), base);
        String javaOpts = "-Xms64m -Xmx384m -XX:MetaspaceSize=96m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true"
                + " -Djboss.modules.system.pkgs=org.jboss.byteman"
                + " -Dportable.received=" + received + " -Dportable.jndi=java:/futex-ra/LockFactory";
        process = ServerProcess.start(List.of(home.resolve("bin/standalone.sh").toString(),
                        "-Djboss.server.base.dir=" + base, "-Djboss.socket.binding.port-offset=" + offset,
                        "-b", "127.0.0.1", "-bmanagement", "127.0.0.1"),
                base, Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", javaOpts,
                        "JBOSS_HOME", home.toString(), "LAUNCH_JBOSS_IN_BACKGROUND", "true"),
                ServerFiles.serversDir().resolve("wildfly-console.log"));
        ServerFiles.await(serverLog, t -> t.contains("WFLYSRV0025") || t.contains("WFLYSRV0026"), Duration.ofMinutes(5),
                "WildFly started");
        Path cli = base.resolve("futex-ra.cli");
        ServerFiles.write(cli, ServerFiles.render("wildfly/futex-ra.cli", Map.of(
                "futexra.directory", directory.toString(), "futexra.space", space, "futexra.rar", rar.toString()))
                + "deploy " + war + "\n");
        cli(cli);
        ServerFiles.await(serverLog, t -> t.contains("WFLYSRV0010: Deployed \"" + war.getFileName() + "\"")
                && ServerFiles.count(t, "FUTEXRA061") >= 2 || t.contains("WFLYCTL0013"), Duration.ofMinutes(5),
                "application deployed and both MDBs activated");
    }

    private static void copyConfiguration(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from.resolve("configuration"))) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Files.createDirectories(to.resolve("deployments"));
    }

    private void cli(Path file) throws Exception {
        Path log = ServerFiles.serversDir().resolve("wildfly-cli.log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/jboss-cli.sh").toString(), "--connect",
                "--controller=remote+http://127.0.0.1:" + (9990 + offset), "--file=" + file)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = builder.start();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                throw new AssertionError("jboss-cli " + file + " did not finish within 5 minutes");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("jboss-cli " + file + " failed (exit " + p.exitValue() + "):\n"
                        + ServerFiles.tail(ServerFiles.read(log)));
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public URI application() {
        return URI.create("http://127.0.0.1:" + (8080 + offset) + "/futex-portable/");
    }

    @Override
    public long pid() {
        return process.jvmPid();
    }

    @Override
    public String log() throws Exception {
        return ServerFiles.read(serverLog);
    }

    @Override
    public Path jnaTmpDir() {
        return null;
    }

    @Override
    public String runtimeDeploymentLimitation() {
        return null;
    }

    @Override
    public void undeployAll() throws Exception {
        Path cli = base.resolve("undeploy.cli");
        ServerFiles.write(cli, ServerFiles.render("wildfly/undeploy.cli", Map.of()));
        cli(cli);
        ServerFiles.await(serverLog, t -> t.contains("WFLYSRV0009: Undeployed \"futex-ra.rar\""), Duration.ofMinutes(2),
                "futex-ra.rar undeployed");
    }

    /** The deploy commands of futex-ra.cli again (its configuration commands persist in the server). */
    @Override
    public void redeployAll() throws Exception {
        String before = log();
        String deployed = "WFLYSRV0010: Deployed \"" + war.getFileName() + "\"";
        long started = ServerFiles.count(before, deployed);
        long activated = ServerFiles.count(before, "FUTEXRA061");
        Path cli = base.resolve("redeploy.cli");
        ServerFiles.write(cli, "deploy " + rar + " --name=futex-ra.rar\ndeploy " + war + "\n");
        cli(cli);
        ServerFiles.await(serverLog, t -> ServerFiles.count(t, deployed) > started
                && ServerFiles.count(t, "FUTEXRA061") >= activated + 2, Duration.ofMinutes(2),
                "application deployed again and both MDBs activated again");
    }

    @Override
    public String leakReclaim() {
        return "WildFly's cached connection manager (debug mode, set by futex-ra.cli) when the leaking request ends";
    }

    @Override
    public String definedFactoryVariant() {
        return "glassfish";
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
