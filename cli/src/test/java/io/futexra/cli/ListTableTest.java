package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockPolicy;
import io.futexra.ObjectInfo;
import io.futexra.ObjectKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ls}'s table and JSON say when a holder's pid is another PID namespace's (a container
 * sharing the space but not its PIDs), so that "pid 1" is never read as this host's init.
 */
class ListTableTest {

    private static ObjectInfo heldBy(int pid, long namespace) {
        return new ObjectInfo("x", ObjectKind.LOCK, pid, pid, null, Instant.now(), 0, 0, 1, 0, 0, 7, false,
                LockPolicy.GREEDY, 100, 0, 0, false, null, namespace);
    }

    @Test
    void shouldNameTheOtherPidNamespaceOfAHolder() {
        String table = ListCommand.table(List.of(heldBy(1, 1L)));
        assertTrue(table.contains("1/1 in pid:[1], another PID namespace"), table);
    }

    @Test
    void shouldSayNothingMoreForAHolderOfThisNamespaceOrAnUnknownOne() {
        assertFalse(ListCommand.table(List.of(heldBy(42, 0L))).contains("namespace"));
        assertFalse(heldBy(42, 0L).holderInOtherPidNamespace(), "unknown is not another");
    }
}
