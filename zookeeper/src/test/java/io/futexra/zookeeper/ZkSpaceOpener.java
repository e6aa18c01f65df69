package io.futexra.zookeeper;

import io.futexra.LockSpace;
import io.futexra.testing.SpaceOpener;
import java.net.URI;
import java.util.List;

/** Opens a ZooKeeper space in a contract's child JVM: argument {@code URI}. */
public final class ZkSpaceOpener implements SpaceOpener {

    @Override
    public LockSpace open(List<String> args) {
        return LockSpace.open(URI.create(args.get(0)));
    }
}
