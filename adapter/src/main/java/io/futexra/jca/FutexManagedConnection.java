package io.futexra.jca;

import io.futexra.LockPolicy;
import io.futexra.LockSpace;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * A pooled connection to one lock space. It holds no native resource of its own (the space is
 * shared by the whole connection definition), so pooling it costs a few objects.
 *
 * <p>{@link #cleanup()} (the container taking the connection back into the pool) and
 * {@link #destroy()} (the pool discarding it, on undeploy, flush or shrink — often on a thread of
 * the container's own) invalidate every handle still open and release what was held through it,
 * with a {@code FUTEXRA011} warning naming each object: that is why connection acquisitions are
 * process-owned.
 */
public final class FutexManagedConnection implements ManagedConnection {

    private final FutexManagedConnectionFactory factory;
    private final AdapterRuntime runtime;
    private final LockSpace space;
    private final LockPolicy policy;
    private final Set<LockConnectionImpl> handles = ConcurrentHashMap.newKeySet();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private volatile PrintWriter logWriter;

    FutexManagedConnection(FutexManagedConnectionFactory factory, AdapterRuntime runtime, LockSpace space,
                           LockPolicy policy) {
        this.factory = factory;
        this.runtime = runtime;
        this.space = space;
        this.policy = policy;
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        if (runtime.isStopped()) {
            throw new ResourceException("FUTEXRA031: the futex-ra resource adapter has been stopped");
        }
        LockConnectionImpl handle = new LockConnectionImpl(this, runtime, space, policy);
        handles.add(handle);
        return handle;
    }

    /** The application closed {@code handle}: tell the pool, which will call {@link #cleanup()}. */
    void handleClosed(LockConnectionImpl handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener l : listeners) {
            l.connectionClosed(event);
        }
    }

    @Override
    public void cleanup() {
        for (LockConnectionImpl handle : List.copyOf(handles)) {
            handle.invalidate();
        }
        handles.clear();
    }

    @Override
    public void destroy() {
        cleanup();
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof LockConnectionImpl handle)) {
            throw new ResourceException("not a futex-ra LockConnection: " + connection);
        }
        handle.moveTo(this);
        handles.add(handle);
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("futex-ra connections take no part in XA: use acquireForTransaction,"
                + " which ties a lock to the transaction through a synchronization");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("futex-ra connections have no local transactions: use acquireForTransaction");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "futex-ra lock space";
            }

            @Override
            public String getEISProductVersion() {
                return "1";
            }

            @Override
            public int getMaxConnections() {
                return 0; // no limit of its own
            }

            @Override
            public String getUserName() {
                return null;
            }
        };
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    FutexManagedConnectionFactory factory() {
        return factory;
    }
}
