package io.futexra.zookeeper;

import io.futexra.LockSpace;
import java.net.URI;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A space of its own for each test, on the shared test server ({@link ZkServers#shared()}), with
 * a two-second session: {@code @RegisterExtension final FreshSpace fresh = new FreshSpace();}.
 */
final class FreshSpace implements BeforeEachCallback, AfterEachCallback {

    private URI uri;
    private LockSpace space;

    @Override
    public void beforeEach(ExtensionContext context) {
        uri = ZkServers.freshSpace(ZkServers.shared().getConnectString(), "2s");
        space = LockSpace.open(uri);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        space.close();
    }

    URI uri() {
        return uri;
    }

    LockSpace space() {
        return space;
    }
}
