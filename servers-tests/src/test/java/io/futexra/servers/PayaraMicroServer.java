package io.futexra.servers;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Payara Micro from Maven Central (fish.payara.extras:payara-micro, one jar): started with the
 * pre-boot and post-deploy command files and the system properties of src/test/resources/payara
 * (docs/servers.md), the RAR deployed first, then the application. Payara Micro has no administration
 * listener here (no Hazelcast), so nothing is undeployed while it runs. The connection pool's leak
 * detection (post-deploy.asadmin) reclaims a connection leaked for more than 5 seconds.
 */
final class PayaraMicroServer implements AppServer {

    private final Path jar = ServerFiles.serversDir().resolve("payara-micro.jar");
    private final Path root = ServerFiles.serversDir().resolve("payara-root");
    private final Path config = ServerFiles.serversDir().resolve("payara-config");
    private final Path log = ServerFiles.serversDir().resolve("payara.log");
    private final int port = ServerFiles.port("payara.http.port");
    private static final String RUNTIME_DEPLOYMENT = "Payara Micro without Hazelcast runs asadmin commands only from"
            + " its boot command files (--prebootcommandfile, --postbootcommandfile, --postdeploycommandfile) and has no"
            + " autodeploy directory (--deploydir deploys at boot), so nothing undeploys or redeploys the adapter while it runs";
    private ServerProcess process;

    @Override
    public String name() {
        return "payara-micro";
    }

    @Override
    public void start(Path rar, Path war, Path directory, String space, Path received) throws Exception {
        ServerFiles.deleteTree(root);
        ServerFiles.deleteTree(config);
        Map<String, String> values = Map.of("futexra.directory", directory.toString(), "futexra.space", space,
                "server.dir", root.toString());
        Path preBoot = config.resolve("pre-boot.asadmin");
        Path postDeploy = config.resolve("post-deploy.asadmin");
        Path properties = config.resolve("system.properties");
        ServerFiles.write(preBoot, ServerFiles.render("payara/pre-boot.asadmin", values));
        ServerFiles.write(postDeploy, ServerFiles.render("payara/post-deploy.asadmin", values));
        ServerFiles.write(properties, ServerFiles.render("payara/system.properties", values)
                + "portable.received=" + received + "\n");
        process = ServerProcess.start(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC",
                "-jar", jar.toString(),
                "--nohazelcast", "--disablephonehome",
                "--rootdir", root.toString(),
                "--port", Integer.toString(port),
                "--prebootcommandfile", preBoot.toString(),
                "--postdeploycommandfile", postDeploy.toString(),
                "--systemproperties", properties.toString(),
                "--deploy", rar.toString(),
                "--deploy", war.toString()), ServerFiles.serversDir(), Map.of(), log);
        ServerFiles.await(log, t -> t.contains("Payara Micro") && t.contains(" ready in ")
                && ServerFiles.count(t, "FUTEXRA061") >= 2 || !process.isAlive(),
                Duration.ofMinutes(5), "Payara Micro ready with both MDBs activated");
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
        return ServerFiles.read(log);
    }

    @Override
    public Path jnaTmpDir() {
        return root.resolve("jna");
    }

    @Override
    public String runtimeDeploymentLimitation() {
        return RUNTIME_DEPLOYMENT;
    }

    @Override
    public void undeployAll() {
        throw new UnsupportedOperationException(RUNTIME_DEPLOYMENT);
    }

    @Override
    public void redeployAll() {
        throw new UnsupportedOperationException(RUNTIME_DEPLOYMENT);
    }

    @Override
    public String leakReclaim() {
        return "Payara's connection pool (connection-leak-timeout-in-seconds 5, connection-leak-reclaim true)";
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
