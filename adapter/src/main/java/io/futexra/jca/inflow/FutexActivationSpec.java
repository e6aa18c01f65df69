package io.futexra.jca.inflow;

import io.futexra.EventMode;
import io.futexra.jca.SpaceDefinition;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.net.URI;
import java.util.Locale;

/**
 * The activation properties of an MDB on futex-ra: which event it listens to (or which lock's
 * owner death), in which space, how.
 *
 * <table>
 * <caption>Properties</caption>
 * <tr><th>property</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code event}</td><td>—</td><td>the named event ({@link FutexEventListener} MDBs)</td></tr>
 * <tr><td>{@code mode}</td><td>{@code AUTO_RESET}</td><td>{@code AUTO_RESET} (one delivery per signal,
 *     host-wide) or {@code MANUAL_RESET} (one per signal edge per activation); an existing event
 *     keeps the mode it was created with, and a different one here fails the activation</td></tr>
 * <tr><td>{@code ownerDeathOf}</td><td>—</td><td>a lock name: tell this {@link OwnerDeathListener}
 *     MDB when its holder dies holding it (instead of {@code event})</td></tr>
 * <tr><td>{@code space}</td><td>system property {@code futexra.space}, else {@code default}</td>
 *     <td>the lock space</td></tr>
 * <tr><td>{@code directory}</td><td>system property {@code futexra.directory}, else
 *     {@link io.futexra.LockSpace#defaultDirectory()}</td><td>absolute directory of the space file</td></tr>
 * <tr><td>{@code spaceUri}</td><td>—</td><td>the space on any backend, instead of {@code space}
 *     and {@code directory}: {@code shm:/DIRECTORY/NAME}, or
 *     {@code zookeeper://HOST:PORT[,HOST:PORT...]/PATH/NAME} (the same as the connection
 *     definition's, to meet its locks and events)</td></tr>
 * <tr><td>{@code maxConcurrency}</td><td>{@code 8}</td><td>at most this many deliveries to this
 *     MDB at once in this server (1 to 256)</td></tr>
 * </table>
 * {@code spaceUri}, {@code directory} and {@code space} are read by {@link SpaceDefinition}, as a
 * connection definition's are: the same values (or none, as in the adapter's built-in definition)
 * name the same space, so an MDB and {@code java:/futex-ra/LockFactory} meet there.
 */
@Activation(messageListeners = {FutexEventListener.class, OwnerDeathListener.class})
public final class FutexActivationSpec implements ActivationSpec {

    static final int DEFAULT_MAX_CONCURRENCY = 8;
    static final int MAX_CONCURRENCY = 256;

    @ConfigProperty(description = "Name of the event that wakes this MDB (FutexEventListener)")
    private String event;

    @ConfigProperty(defaultValue = "AUTO_RESET", description = "AUTO_RESET or MANUAL_RESET")
    private String mode = EventMode.AUTO_RESET.name();

    @ConfigProperty(description = "Name of a lock whose holder's death this MDB is told of (OwnerDeathListener)")
    private String ownerDeathOf;

    @ConfigProperty(description = SpaceDefinition.SPACE_DESCRIPTION)
    private String space;

    @ConfigProperty(description = SpaceDefinition.DIRECTORY_DESCRIPTION)
    private String directory;

    @ConfigProperty(description = SpaceDefinition.SPACE_URI_DESCRIPTION)
    private String spaceUri;

    @ConfigProperty(defaultValue = "8", description = "At most this many concurrent deliveries to this MDB (1-256)")
    private Integer maxConcurrency = DEFAULT_MAX_CONCURRENCY;

    private transient ResourceAdapter resourceAdapter;

    /** {@return the name of the event that wakes this MDB, or {@code null} (activation property {@code event})} */
    public String getEvent() {
        return event;
    }

    /**
     * Sets activation property {@code event}: the name of the event that wakes this MDB, or {@code null}. Checked by {@link #validate()} ({@code FUTEXRA060} names a bad value).
     *
     * @param event the value as configured
     */
    public void setEvent(String event) {
        this.event = event;
    }

    /** {@return the event's mode: {@code AUTO_RESET} or {@code MANUAL_RESET} (activation property {@code mode})} */
    public String getMode() {
        return mode;
    }

    /**
     * Sets activation property {@code mode}: the event's mode: {@code AUTO_RESET} or {@code MANUAL_RESET}. Checked by {@link #validate()} ({@code FUTEXRA060} names a bad value).
     *
     * @param mode the value as configured
     */
    public void setMode(String mode) {
        this.mode = mode;
    }

    /** {@return the name of the lock whose holder's death this MDB is told of, or {@code null} (activation property {@code ownerDeathOf})} */
    public String getOwnerDeathOf() {
        return ownerDeathOf;
    }

    /**
     * Sets activation property {@code ownerDeathOf}: the name of the lock whose holder's death this MDB is told of, or {@code null}. Checked by {@link #validate()} ({@code FUTEXRA060} names a bad value).
     *
     * @param ownerDeathOf the value as configured
     */
    public void setOwnerDeathOf(String ownerDeathOf) {
        this.ownerDeathOf = ownerDeathOf;
    }

    /** {@return the lock space, or {@code null} for the default (activation property {@code space})} */
    public String getSpace() {
        return space;
    }

    /**
     * Sets activation property {@code space}: the lock space, or {@code null} for the default. Checked by {@link #validate()} ({@code FUTEXRA060} names a bad value).
     *
     * @param space the value as configured
     */
    public void setSpace(String space) {
        this.space = space;
    }

    /** {@return the absolute directory of the space file, or {@code null} for the default (activation property {@code directory})} */
    public String getDirectory() {
        return directory;
    }

    /**
     * Sets activation property {@code directory}: the absolute directory of the space file, or {@code null} for the default. Checked by {@link #validate()} ({@code FUTEXRA060} names a bad value).
     *
     * @param directory the value as configured
     */
    public void setDirectory(String directory) {
        this.directory = directory;
    }

    /** {@return the space's URI, choosing its backend, or null to use directory and space name (activation property {@code spaceUri})} */
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

    /** {@return at most this many deliveries to this MDB at once in this server (1 to 256) (activation property {@code maxConcurrency})} */
    public Integer getMaxConcurrency() {
        return maxConcurrency;
    }

    /**
     * Sets activation property {@code maxConcurrency}: at most this many deliveries to this MDB at once in this server (1 to 256). Checked by {@link #validate()} ({@code FUTEXRA060} names a bad value).
     *
     * @param maxConcurrency the value as configured
     */
    public void setMaxConcurrency(Integer maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    /**
     * Checks the properties; every error names the property and what to write.
     *
     * @throws InvalidPropertyException if a property is missing or wrong
     */
    @Override
    public void validate() throws InvalidPropertyException {
        boolean hasEvent = event != null && !event.isBlank();
        boolean hasLock = ownerDeathOf != null && !ownerDeathOf.isBlank();
        if (hasEvent == hasLock) {
            throw invalid(hasEvent ? "event/ownerDeathOf" : "event", hasEvent ? event + "/" + ownerDeathOf : event,
                    "set exactly one of 'event' (the named event that wakes a FutexEventListener MDB) and"
                    + " 'ownerDeathOf' (the lock whose holder's death an OwnerDeathListener MDB is told of)");
        }
        eventMode();
        where(); // the backend checks the rest of a URI's form when the activation opens the space
        int max = maxConcurrency == null ? DEFAULT_MAX_CONCURRENCY : maxConcurrency;
        if (max < 1 || max > MAX_CONCURRENCY) {
            throw invalid("maxConcurrency", String.valueOf(maxConcurrency), "give 1 to " + MAX_CONCURRENCY);
        }
    }

    /** The space: {@code spaceUri}, else the shared-memory space {@code space} in {@code directory}. */
    SpaceDefinition where() throws InvalidPropertyException {
        try {
            return SpaceDefinition.of(spaceUri, directory, space);
        } catch (IllegalArgumentException e) {
            throw new InvalidPropertyException("FUTEXRA060: invalid futex-ra activation " + e.getMessage() + ".");
        }
    }

    /** The space's URI, on its backend. */
    URI spaceUri() throws InvalidPropertyException {
        return where().uri();
    }

    /** Whether this activation watches a lock's owner death rather than an event. */
    boolean watchesOwnerDeath() {
        return ownerDeathOf != null && !ownerDeathOf.isBlank();
    }

    String eventName() {
        return event.trim();
    }

    String lockName() {
        return ownerDeathOf.trim();
    }

    EventMode eventMode() throws InvalidPropertyException {
        try {
            return EventMode.valueOf(mode == null ? "" : mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("mode", mode, "use AUTO_RESET (one delivery per signal, host-wide) or MANUAL_RESET (one per"
                    + " signal edge in every server that listens)");
        }
    }

    /** The space's name, for messages: a malformed definition is named as configured (validate() refuses it). */
    String spaceName() {
        try {
            return where().name();
        } catch (InvalidPropertyException malformed) {
            return spaceUri != null && !spaceUri.isBlank() ? spaceUri.trim() : String.valueOf(space);
        }
    }

    int concurrency() {
        return maxConcurrency == null ? DEFAULT_MAX_CONCURRENCY : maxConcurrency;
    }

    private static InvalidPropertyException invalid(String property, String value, String fix) {
        return new InvalidPropertyException("FUTEXRA060: invalid futex-ra activation property '" + property + "' = '"
                + value + "': " + fix + ".");
    }

    /** What the activation listens to, for log messages. */
    String describe() {
        return (watchesOwnerDeath() ? "owner death of lock '" + ownerDeathOf + "'" : mode + " event '" + event + "'")
                + " in space '" + spaceName() + "'";
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        this.resourceAdapter = ra;
    }

    @Override
    public String toString() {
        return "FutexActivationSpec[" + describe() + "]";
    }
}
