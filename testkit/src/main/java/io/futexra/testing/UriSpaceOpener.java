package io.futexra.testing;

import io.futexra.LockSpace;
import java.net.URI;
import java.util.List;

/**
 * Opens a space by its URI in a child JVM, through whichever backend serves the scheme
 * ({@link LockSpace#open(URI)}): argument {@code URI}, e.g. {@code shm:/dev/shm/futex-ra-test-…/name}.
 */
public final class UriSpaceOpener implements SpaceOpener {

    @Override
    public LockSpace open(List<String> args) {
        return LockSpace.open(URI.create(args.get(0)));
    }
}
