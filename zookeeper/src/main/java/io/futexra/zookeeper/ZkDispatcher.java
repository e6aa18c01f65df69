package io.futexra.zookeeper;

import io.futexra.Dispatcher;
import io.futexra.EventNotice;
import io.futexra.NamedEvent;
import io.futexra.NamedLock;
import io.futexra.OwnerDeathNotice;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The dispatcher of a ZooKeeper space: not yet built (engineer zk2 replaces this placeholder). */
final class ZkDispatcher implements Dispatcher {

    ZkDispatcher(ZkSpace space, Dispatcher.Promoter promoter) {
        throw new UnsupportedOperationException("events: not yet");
    }

    @Override
    public AutoCloseable subscribe(NamedEvent event, Consumer<EventNotice> listener) {
        throw new UnsupportedOperationException("events: not yet");
    }

    @Override
    public AutoCloseable watchOwnerDeath(NamedLock lock, Consumer<OwnerDeathNotice> listener) {
        throw new UnsupportedOperationException("events: not yet");
    }

    @Override
    public boolean shutdown(long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("events: not yet");
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("events: not yet");
    }
}
