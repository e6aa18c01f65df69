package io.futexra.zookeeper;

import io.futexra.EventMode;
import io.futexra.NamedEvent;
import java.time.Duration;

/** An event in a ZooKeeper space: not yet built (engineer zk2 replaces this placeholder). */
final class ZkNamedEvent implements NamedEvent {

    ZkNamedEvent(ZkSpace space, String name, EventMode mode) {
        throw new UnsupportedOperationException("events: not yet");
    }

    /** {@link NamedEvent#awaitAny} for events of this backend. */
    static int awaitAny(Duration timeout, NamedEvent... events) {
        throw new UnsupportedOperationException("events: not yet");
    }

    @Override
    public String name() {
        throw new UnsupportedOperationException("events: not yet");
    }

    @Override
    public EventMode mode() {
        throw new UnsupportedOperationException("events: not yet");
    }

    @Override
    public void signal() {
        throw new UnsupportedOperationException("events: not yet");
    }

    @Override
    public void reset() {
        throw new UnsupportedOperationException("events: not yet");
    }

    @Override
    public boolean await(Duration timeout) {
        throw new UnsupportedOperationException("events: not yet");
    }

    @Override
    public boolean isSignaled() {
        throw new UnsupportedOperationException("events: not yet");
    }
}
