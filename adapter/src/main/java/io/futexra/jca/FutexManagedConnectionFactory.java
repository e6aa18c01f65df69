package io.futexra.jca;

import io.futexra.SpaceOptions;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import java.io.PrintWriter;
import java.io.Serial;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.Subject;
import org.jboss.jca.core.spi.statistics.Statistics;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;

/**
 * One connection definition: a space (a {@code spaceUri} on any backend, or a shared-memory
 * {@code directory} + {@code space} name) and how it is created (file mode, capacity, default
 * policy). The server sets the properties from {@code ironjacamar.xml} or the
 * resource-adapters subsystem; they are validated when the factory is bound, with errors
 * ({@code FUTEXRA040}) naming the property and what to write, and the space is opened then, so a
 * directory the server may not write fails the deployment instead of the first acquire.
 *
 * <p>Outside a server, {@link #createConnectionFactory()} gives an unpooled {@link LockFactory}
 * (no transactions) — useful in tests.
 *
 * <p>On WildFly the space's figures are in the management model and on {@code /metrics}: IronJacamar
 * registers the statistics of a factory that implements its {@link Statistics}
 * ({@link #getStatistics()}). The RAR bundles that interface (and {@link StatisticsPlugin}) in
 * {@code ironjacamar-core-api}, so this class links on servers without IronJacamar, where nothing
 * calls it; on WildFly the server's copy of those classes is the one loaded (the resource adapter
 * deployment's system dependency on {@code org.jboss.ironjacamar.api} comes before its own jars).
 */
@ConnectionDefinition(connectionFactory = LockFactory.class, connectionFactoryImpl = LockFactoryImpl.class,
        connection = LockConnection.class, connectionImpl = LockConnectionImpl.class)
public final class FutexManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation,
        Statistics {

    @Serial
    private static final long serialVersionUID = 1L;

    @ConfigProperty(description = SpaceDefinition.DIRECTORY_DESCRIPTION)
    private String directory;

    @ConfigProperty(description = SpaceDefinition.SPACE_DESCRIPTION)
    private String space;

    @ConfigProperty(description = SpaceDefinition.SPACE_URI_DESCRIPTION)
    private String spaceUri;

    @ConfigProperty(defaultValue = "rw-rw----", description = "File mode of the space file when this definition creates it")
    private String fileMode = "rw-rw----";

    @ConfigProperty(defaultValue = "GREEDY", description = "Policy of locks this definition creates: GREEDY or FAIR")
    private String defaultPolicy = "GREEDY";

    @ConfigProperty(defaultValue = "4096", description = "How many objects the space holds when this definition creates it")
    private Integer capacity = SpaceOptions.DEFAULT_CAPACITY;

    @ConfigProperty(defaultValue = "false", description = "Whether a fileMode writable by others (and such a space"
            + " file) is accepted; refused unless true, since any user could then forge the space's locks")
    private Boolean allowWorldWritable = Boolean.FALSE;

    private transient volatile FutexResourceAdapter resourceAdapter;
    private transient volatile AdapterRuntime unmanagedRuntime;
    private transient PrintWriter logWriter;
    private transient volatile DefinitionStatistics statistics;

    /** {@return the absolute directory of the space file, or {@code null} for the default (config property {@code directory}; see {@link SpaceDefinition})} */
    public String getDirectory() {
        return directory;
    }

    /**
     * Sets config property {@code directory}: the absolute directory of the space file. Checked when the factory is bound (a bad value fails with {@code FUTEXRA040}).
     *
     * @param directory the value as configured
     */
    public void setDirectory(String directory) {
        this.directory = directory;
    }

    /** {@return the name of the lock space, or {@code null} for the default (config property {@code space}; see {@link SpaceDefinition})} */
    public String getSpace() {
        return space;
    }

    /**
     * Sets config property {@code space}: the name of the lock space. Checked when the factory is bound (a bad value fails with {@code FUTEXRA040}).
     *
     * @param space the value as configured
     */
    public void setSpace(String space) {
        this.space = space;
    }

    /** {@return the space's URI, choosing its backend, or null to use directory and space name (config property {@code spaceUri})} */
    public String getSpaceUri() {
        return spaceUri;
    }

    /**
     * Sets the space's URI ({@code shm:/DIRECTORY/NAME}, {@code zookeeper://HOSTS/PATH/NAME}); when set,
     * it replaces the directory and space name.
     *
     * @param spaceUri the URI, or null or blank for none
     */
    public void setSpaceUri(String spaceUri) {
        this.spaceUri = spaceUri;
    }

    /** {@return the file mode of the space file when this definition creates it, e.g. {@code rw-rw----} (config property {@code fileMode})} */
    public String getFileMode() {
        return fileMode;
    }

    /**
     * Sets config property {@code fileMode}: the file mode of the space file when this definition creates it, e.g. {@code rw-rw----}. Checked when the factory is bound (a bad value fails with {@code FUTEXRA040}).
     *
     * @param fileMode the value as configured
     */
    public void setFileMode(String fileMode) {
        this.fileMode = fileMode;
    }

    /** {@return the policy of locks this definition creates: {@code GREEDY} or {@code FAIR} (config property {@code defaultPolicy})} */
    public String getDefaultPolicy() {
        return defaultPolicy;
    }

    /**
     * Sets config property {@code defaultPolicy}: the policy of locks this definition creates: {@code GREEDY} or {@code FAIR}. Checked when the factory is bound (a bad value fails with {@code FUTEXRA040}).
     *
     * @param defaultPolicy the value as configured
     */
    public void setDefaultPolicy(String defaultPolicy) {
        this.defaultPolicy = defaultPolicy;
    }

    /** {@return how many objects the space holds when this definition creates it (config property {@code capacity})} */
    public Integer getCapacity() {
        return capacity;
    }

    /**
     * Sets config property {@code capacity}: how many objects the space holds when this definition creates it. Checked when the factory is bound (a bad value fails with {@code FUTEXRA040}).
     *
     * @param capacity the value as configured
     */
    public void setCapacity(Integer capacity) {
        this.capacity = capacity;
    }

    /** {@return whether a file mode writable by others is accepted (config property {@code allowWorldWritable})} */
    public Boolean getAllowWorldWritable() {
        return allowWorldWritable;
    }

    /**
     * Sets config property {@code allowWorldWritable}: whether a file mode writable by others is accepted. Checked when the factory is bound (a bad value fails with {@code FUTEXRA040}).
     *
     * @param allowWorldWritable the value as configured
     */
    public void setAllowWorldWritable(Boolean allowWorldWritable) {
        this.allowWorldWritable = allowWorldWritable;
    }

    /** The validated configuration. */
    SpaceConfig config() {
        return SpaceConfig.parse(spaceUri, directory, space, fileMode, defaultPolicy, capacity,
                Boolean.TRUE.equals(allowWorldWritable));
    }

    @Override
    public Object createConnectionFactory(ConnectionManager manager) throws ResourceException {
        validateAndOpen();
        return new LockFactoryImpl(this, manager);
    }

    @Override
    public Object createConnectionFactory() throws ResourceException {
        validateAndOpen();
        return new LockFactoryImpl(this, new UnmanagedConnectionManager());
    }

    private void validateAndOpen() throws ResourceException {
        try {
            runtime().space(config());
        } catch (RuntimeException e) {
            throw new ResourceException(e.getMessage() + " [connection definition with spaceUri '" + spaceUri
                    + "', directory '" + directory + "', space '" + space + "']", e);
        }
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        AdapterRuntime runtime = runtime();
        try {
            SpaceConfig config = config();
            return new FutexManagedConnection(this, runtime, runtime.space(config), config.policy());
        } catch (RuntimeException e) {
            throw new ResourceException(e.getMessage(), e);
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info) {
        for (Object c : candidates) {
            if (c instanceof FutexManagedConnection mc && mc.factory() == this) {
                return mc;
            }
        }
        return null;
    }

    /**
     * The figures of this definition's space for IronJacamar (WildFly's management model and
     * {@code /metrics}): the space's totals, read at most every 250 ms, as {@code int} and
     * {@code long} values named {@code Acquisitions}, {@code ContendedAcquisitions},
     * {@code OwnerDeaths}, {@code Holders}, {@code Waiters}, {@code Objects}, {@code Timeouts} and
     * {@code WaitCount}, {@code WaitNanosTotal}, {@code WaitNanosP50}, {@code WaitNanosP99},
     * {@code WaitNanosMax} and the same for {@code Hold}; see {@link io.futexra.SpaceStatistics}.
     *
     * @return the plugin, the same one at every call
     */
    @Override
    public StatisticsPlugin getStatistics() {
        DefinitionStatistics s = statistics;
        if (s == null) {
            synchronized (this) {
                s = statistics;
                if (s == null) {
                    s = new DefinitionStatistics(() -> runtime().space(config()).statistics(Set.of(), 0));
                    statistics = s;
                }
            }
        }
        return s;
    }

    /** The deployment's runtime, or (outside a server) one of this factory's own. */
    AdapterRuntime runtime() {
        FutexResourceAdapter ra = resourceAdapter;
        if (ra != null) {
            return ra.runtime();
        }
        AdapterRuntime r = unmanagedRuntime;
        if (r == null) {
            synchronized (this) {
                r = unmanagedRuntime;
                if (r == null) {
                    r = new AdapterRuntime(null);
                    unmanagedRuntime = r;
                }
            }
        }
        return r;
    }

    /** Outside a server: releases everything and closes the space, as adapter stop does. */
    public void close() {
        AdapterRuntime r = unmanagedRuntime;
        if (r != null) {
            r.stop();
        }
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        if (!(ra instanceof FutexResourceAdapter futex)) {
            throw new ResourceException("futex-ra connection definitions belong to FutexResourceAdapter, not " + ra);
        }
        this.resourceAdapter = futex;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FutexManagedConnectionFactory f && Objects.equals(directory, f.directory)
                && Objects.equals(space, f.space) && Objects.equals(spaceUri, f.spaceUri)
                && Objects.equals(fileMode, f.fileMode)
                && Objects.equals(defaultPolicy, f.defaultPolicy) && Objects.equals(capacity, f.capacity)
                && Objects.equals(allowWorldWritable, f.allowWorldWritable)
                && resourceAdapter == f.resourceAdapter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(directory, space, spaceUri, fileMode, defaultPolicy, capacity, allowWorldWritable);
    }
}
