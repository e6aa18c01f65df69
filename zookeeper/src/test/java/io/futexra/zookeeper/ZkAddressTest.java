package io.futexra.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.SpaceUnavailableException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Space URIs and object names: what is read, and what is refused with a message naming the form;
 * an ensemble that does not answer.
 */
class ZkAddressTest {

    @Test
    void shouldReadEnsemblePathNameAndOptions() {
        ZkAddress a = ZkAddress.of(URI.create("zookeeper://h1:2181,h2:2182,10.0.0.3:2183/futex-ra/payroll"
                + "?sessionTimeout=15s&connectionTimeout=500ms"));
        assertEquals("h1:2181,h2:2182,10.0.0.3:2183", a.connectString());
        assertEquals("/futex-ra", a.parentPath());
        assertEquals("payroll", a.spaceName());
        assertEquals("/futex-ra/payroll", a.spacePath());
        assertEquals(Duration.ofSeconds(15), a.sessionTimeout());
        assertEquals(Duration.ofMillis(500), a.connectionTimeout());
        ZkAddress top = ZkAddress.of(URI.create("zookeeper://localhost:2181/payroll"));
        assertEquals("/payroll", top.spacePath());
        assertEquals(ZkAddress.DEFAULT_SESSION_TIMEOUT, top.sessionTimeout());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "zookeeper:opaque", "zookeeper:///no-servers", "zookeeper://host/no-port", "zookeeper://h:1/",
        "zookeeper://h:1", "zookeeper://h:1/a/../b", "zookeeper://h:1/.hidden", "zookeeper://h:1/a//b",
        "zookeeper://h:1/name?sessionTimeout=10", "zookeeper://h:1/name?sessionTimeout=0s",
        "zookeeper://h:1/name?retries=3",
        "zookeeper://h:1/name?sessionTimeout=999999999m", "zookeeper://h:1/name?connectionTimeout=2147484s", "zookeeper://h:1/name#frag", "zookeeper://h:1,/name",
        "zookeeper://h:99999/name", "zookeeper://h:0/name", "zookeeper://h:1/a%2Fb"})
    void shouldRefuseMalformedUrisNamingTheForm(String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LockSpace.open(URI.create(uri)));
        assertTrue(e.getMessage().contains("zookeeper://HOST:PORT"), e.getMessage());
    }

    @Test
    void shouldEncodeEveryNameIntoOneZnodeNameAndBack() {
        for (String name : new String[] {"a", "a/b", ".", "..", "...", "a.b", "%", "space here", "Zürich", "日本", "x".repeat(128)}) {
            String node = ZkNames.encode(name);
            assertTrue(node.matches("[A-Za-z0-9._%-]+") && !node.equals(".") && !node.equals(".."), node);
            assertEquals(name, ZkNames.decode(node));
        }
    }

    @Test
    void shouldSayWhatToCheckWhenNoServerAnswers() {
        SpaceUnavailableException e = assertThrows(SpaceUnavailableException.class,
                () -> LockSpace.open(URI.create("zookeeper://127.0.0.1:1/nobody-home?connectionTimeout=300ms")));
        assertTrue(e.getMessage().contains("could not connect to ZooKeeper at 127.0.0.1:1"), e.getMessage());
    }
}
