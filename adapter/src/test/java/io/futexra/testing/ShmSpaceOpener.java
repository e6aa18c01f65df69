package io.futexra.testing;

import io.futexra.LockSpace;
import java.nio.file.Path;
import java.util.List;

/** Opens a shared-memory space in a child JVM: arguments {@code DIRECTORY NAME}. */
public final class ShmSpaceOpener implements SpaceOpener {

    @Override
    public LockSpace open(List<String> args) {
        return LockSpace.open(Path.of(args.get(0)), args.get(1));
    }
}
