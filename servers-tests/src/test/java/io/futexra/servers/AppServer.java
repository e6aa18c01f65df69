package io.futexra.servers;

import java.net.URI;
import java.nio.file.Path;

/** One Jakarta EE server under the portable suite: started with the RAR and the test application deployed and configured. */
interface AppServer extends AutoCloseable {

    /** The server's name in test output and file names. */
    String name();

    /**
     * Starts the server on loopback, deploys {@code rar} and {@code war}, binds the connection factory
     * (where the application's {@code LockServlet.jndiName()} looks) on space {@code space} in
     * {@code directory}, points the MDBs at the same space and their deliveries at {@code received},
     * and returns once both MDBs are activated (hang guard: minutes).
     */
    void start(Path rar, Path war, Path directory, String space, Path received) throws Exception;

    /** {@return the application's base URI, ending in /} */
    URI application();

    /** {@return the process id of the server's JVM} */
    long pid();

    /** {@return the server's log so far} */
    String log() throws Exception;

    /** {@return the {@code jna.tmpdir} the server's configuration sets, or null where it leaves JNA's default} */
    Path jnaTmpDir();

    /**
     * {@return null where {@link #undeployAll()} and {@link #redeployAll()} can be driven on this
     * server while it runs, else why not (the portable suite's skip reason)}
     */
    String runtimeDeploymentLimitation();

    /** Undeploys the application and the adapter; returns once the server says both are gone. */
    void undeployAll() throws Exception;

    /**
     * Deploys the adapter and the application again after {@link #undeployAll()}, configured as
     * {@link #start} configured them, in the same JVM; returns once both MDBs are activated again.
     */
    void redeployAll() throws Exception;

    /**
     * {@return how this server's configuration ends a connection an application leaked (for test
     * output), or null where it has no such means}
     */
    String leakReclaim();

    /**
     * {@return which {@code @ConnectionFactoryDefinition} servlet the application carries: the
     * subpackage of {@code io.futexra.servers.app.defined} whose definition names the adapter as this
     * server knows it}
     */
    String definedFactoryVariant();

    /** Stops the server, whatever state it is in; no process is left behind. */
    @Override
    void close();
}
