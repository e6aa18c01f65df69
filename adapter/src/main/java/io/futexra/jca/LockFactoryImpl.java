package io.futexra.jca;

import io.futexra.FutexRaException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import java.io.Serial;
import javax.naming.Reference;

/** {@link LockFactory}: asks the server's connection manager (its pool) for a connection. */
final class LockFactoryImpl implements LockFactory {

    @Serial
    private static final long serialVersionUID = 1L;

    private final FutexManagedConnectionFactory factory;
    private final ConnectionManager manager;
    private Reference reference;

    LockFactoryImpl(FutexManagedConnectionFactory factory, ConnectionManager manager) {
        this.factory = factory;
        this.manager = manager;
    }

    @Override
    public LockConnection getConnection() {
        try {
            return (LockConnection) manager.allocateConnection(factory, null);
        } catch (ResourceException e) {
            throw new FutexRaException("FUTEXRA050: could not get a futex-ra connection to space '" + spaceName()
                    + "': " + e.getMessage() + ". If the pool is exhausted, close connections in try-with-resources or"
                    + " raise max-pool-size of the connection definition.", e);
        }
    }

    @Override
    public String spaceName() {
        return factory.config().space(); // the definition as resolved: a blank space property is the default space
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public String toString() {
        return "LockFactory[" + factory.getSpace() + " in " + factory.getDirectory() + "]";
    }
}
