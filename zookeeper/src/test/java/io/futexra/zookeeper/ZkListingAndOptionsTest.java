package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockOptions;
import io.futexra.LockPolicy;
import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import io.futexra.ObjectKind;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code objects()} lists (a malformed registration marked, not fatal; locks shown FIFO), and
 * the session timeout: nonsense refused with the URI form, a value the server does not grant said so.
 */
class ZkListingAndOptionsTest {

    @RegisterExtension
    final FreshSpace fresh = new FreshSpace();

    @Test
    void shouldListEveryWellFormedObjectAndMarkAMalformedRegistrationEscaped() throws Exception {
        LockSpace space = fresh.space();
        space.lock("good-lock");
        space.semaphore("good-permits", 2);
        ZkSpace handle = ZkServers.handle(space);
        handle.client().create().forPath(handle.path() + "/objects/bogus",
                "NOT-A-KIND \u001b[31m\nred".getBytes(StandardCharsets.UTF_8));
        handle.client().create().forPath(handle.path() + "/objects/bogus-permits",
                "SEMAPHORE many".getBytes(StandardCharsets.UTF_8));
        List<ObjectInfo> objects = space.objects();
        assertEquals(List.of("bogus", "bogus-permits", "good-lock", "good-permits"),
                objects.stream().map(ObjectInfo::name).collect(Collectors.toList()));
        ObjectInfo bogus = objects.get(0);
        assertNull(bogus.kind(), "a registration futex-ra cannot read has no kind");
        assertEquals("malformed registration: 'NOT-A-KIND \\u001b[31m\\u000ared'", bogus.holderThread());
        assertNull(objects.get(1).kind());
        assertEquals(ObjectKind.LOCK, objects.get(2).kind());
        assertEquals(2, objects.get(3).permits());
    }

    @Test
    void shouldShowZooKeeperLocksAsFifoWhateverTheirOptions() {
        LockSpace space = fresh.space();
        space.lock("defaults");
        space.lock("greedy", LockOptions.defaults().withPolicy(LockPolicy.GREEDY));
        for (ObjectInfo info : space.objects()) {
            assertEquals(LockPolicy.FAIR, info.policy(), info.name());
            assertEquals(0, info.spinLimit(), info.name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ms", "99ms", "-1s", "ten", "10", "0s", "1.5s"})
    void shouldRefuseANonsenseSessionTimeoutWithTheUriForm(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LockSpace.open(URI.create("zookeeper://127.0.0.1:1/futex-ra-test/x?sessionTimeout=" + value)));
        assertTrue(e.getMessage().contains("sessionTimeout=" + value) && e.getMessage().contains("zookeeper://HOST:PORT"),
                e.getMessage());
    }

    @Test
    void shouldAskWhetherZookeeperWasMeantForZk() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LockSpace.open(URI.create("zk://127.0.0.1:2181/futex-ra/x")));
        assertTrue(e.getMessage().contains("did you mean zookeeper://?"), e.getMessage());
    }

    @Test
    void shouldSayWhenTheServerGrantsAnotherSessionTimeout() {
        // the test server's tick is 200 ms: it grants 400 ms to 4 s
        URI tooLong = ZkServers.freshSpace(ZkServers.shared().getConnectString(), "30s");
        try (LockSpace space = LockSpace.open(tooLong)) {
            String note = ZkServers.handle(space).shared().sessionTimeoutNote();
            assertTrue(note != null && note.contains("granted a session timeout of 4000 ms, not the 30000 ms"), note);
        }
        try (LockSpace space = LockSpace.open(ZkServers.freshSpace(ZkServers.shared().getConnectString(), "2s"))) {
            assertNull(ZkServers.handle(space).shared().sessionTimeoutNote(), "2 s is granted as asked");
        }
    }
}
