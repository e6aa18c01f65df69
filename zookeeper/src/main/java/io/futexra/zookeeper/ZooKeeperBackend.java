package io.futexra.zookeeper;

import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.SpaceOptions;
import io.futexra.spi.LockSpaceProvider;
import java.net.URI;
import java.time.Duration;

/**
 * The ZooKeeper backend, scheme {@code zookeeper}: spaces on an Apache ZooKeeper ensemble, for
 * processes on several hosts. URI:
 * {@code zookeeper://HOST:PORT[,HOST:PORT...]/PATH/NAME[?sessionTimeout=10s&connectionTimeout=5s]}
 * (see {@link ZkAddress}, which also lists the credentials and ACL options). No {@link SpaceOptions}
 * field applies: a ZooKeeper space has no capacity and no file mode; it is protected by digest
 * credentials ({@code digestFile=}, {@code digestEnv=}) or SASL/TLS identities with
 * {@code acl=creator}, which give every znode futex-ra creates an ACL only that identity may change.
 */
public final class ZooKeeperBackend implements LockSpaceProvider {

    @Override
    public String scheme() {
        return ZkAddress.SCHEME;
    }

    @Override
    public LockSpace open(URI space, SpaceOptions options) {
        return ZkLockSpace.open(ZkAddress.of(space));
    }

    @Override
    public boolean remove(URI space) {
        return ZkLockSpace.remove(ZkAddress.of(space));
    }

    /** Whether the space's znode exists: asks the ensemble, creates nothing. */
    @Override
    public boolean exists(URI space) {
        return ZkLockSpace.exists(ZkAddress.of(space));
    }

    @Override
    public boolean owns(Class<? extends NamedEvent> eventClass) {
        return ZkNamedEvent.class.isAssignableFrom(eventClass);
    }

    @Override
    public int awaitAny(Duration timeout, NamedEvent... events) {
        return ZkNamedEvent.awaitAny(timeout, events);
    }
}
