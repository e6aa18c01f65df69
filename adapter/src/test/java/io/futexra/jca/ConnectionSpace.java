package io.futexra.jca;

import io.futexra.ContractBase;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.NamedReadWriteLock;
import io.futexra.NamedSemaphore;
import io.futexra.ObjectInfo;
import io.futexra.testing.LocksOnlySpace;
import io.futexra.testing.SpaceOpener;
import jakarta.resource.ResourceException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The objects of one {@link LockConnection}, seen as a {@link LockSpace}, so that the contracts
 * run against {@link ConnectionLock}s and {@link ConnectionSemaphore}s: an unmanaged (server-less)
 * connection factory on {@code DIRECTORY/NAME}, one connection, its locks, read/write locks and
 * semaphores — the API's types, handed out as they are. Not offered: events (the API's
 * {@code awaitAny} takes the space's own events, not a connection's), and lock options (a
 * connection's locks take the definition's default policy). Closing closes the connection, then
 * the factory.
 */
public final class ConnectionSpace extends LocksOnlySpace {

    private final FutexManagedConnectionFactory factory;
    private final LockConnection connection;

    private ConnectionSpace(FutexManagedConnectionFactory factory, LockConnection connection) {
        this.factory = factory;
        this.connection = connection;
    }

    /** A connection of a new unmanaged factory on space {@code name} in {@code directory}. */
    /**
     * The contracts' {@link ContractBase.SpaceSource} of connection spaces in
     * {@code directory}: the space the connection factory opens, here and in the children.
     */
    public static ContractBase.SpaceSource source(Path directory) {
        return new ContractBase.SpaceSource() {
            @Override
            public URI uri(String spaceName) {
                return LockSpace.sharedMemory(directory, spaceName);
            }

            @Override
            public LockSpace open(String spaceName) {
                return ConnectionSpace.open(directory, spaceName);
            }

            @Override
            public List<String> childArgs(String spaceName) {
                return SpaceOpener.args(Opener.class, directory.toString(), spaceName);
            }
        };
    }

    public static ConnectionSpace open(Path directory, String name) {
        FutexManagedConnectionFactory factory = new FutexManagedConnectionFactory();
        factory.setDirectory(directory.toString());
        factory.setSpace(name);
        try {
            return new ConnectionSpace(factory, ((LockFactory) factory.createConnectionFactory()).getConnection());
        } catch (ResourceException e) {
            throw new IllegalStateException("cannot make an unmanaged connection factory on " + directory + "/" + name, e);
        }
    }

    /** Opens a {@code ConnectionSpace} in a child JVM: arguments {@code DIRECTORY NAME}. */
    public static final class Opener implements SpaceOpener {
        @Override
        public LockSpace open(List<String> args) {
            return ConnectionSpace.open(Path.of(args.get(0)), args.get(1));
        }
    }

    @Override
    protected String what() {
        return "the view of a JCA connection";
    }

    @Override
    public String name() {
        return connection.spaceName();
    }

    @Override
    public NamedLock lock(String name) {
        return connection.lock(name);
    }

    @Override
    public NamedReadWriteLock readWriteLock(String name) {
        return connection.readWriteLock(name);
    }

    @Override
    public NamedSemaphore semaphore(String name, int permits) {
        return connection.semaphore(name, permits);
    }

    @Override
    public List<ObjectInfo> objects() {
        return connection.objects();
    }

    @Override
    public void close() {
        connection.close();
        factory.close();
    }
}
