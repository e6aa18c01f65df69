package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import io.futexra.testing.CliProcess;
import io.futexra.testing.TestSpaces;
import io.futexra.testing.TinyJson;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code futex-ra ls --json} is valid JSON and says what the space says, field by field. */
@Timeout(60)
class ListJsonIT {

    /** Quotes, a backslash, a slash, non-ASCII and a character outside the BMP: escaping must round-trip. */
    private static final String AWKWARD = "report \"q3\" \\ east/west \u00e9\u2713 \ud83d\udd12";

    @BeforeAll
    static void warmUp() throws InterruptedException {
        CliProcess.warmUp();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldListEveryObjectWithTheFieldsTheSpaceHolds() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "ops")) {
            for (int i = 0; i < 3; i++) {
                space.lock("alpha").acquire().close();
            }
            try (Held held = space.lock(AWKWARD).acquire()) {
                CliProcess ls = CliProcess.run(dirs.directory(), Duration.ofSeconds(30), "--space", "ops", "ls", "--json");
                assertEquals(0, ls.exitValue(), ls.transcript());
                List<Object> listed = (List<Object>) TinyJson.parse(ls.stdout());
                List<ObjectInfo> expected = space.objects();
                assertEquals(expected.size(), listed.size(), ls.stdout());
                assertEquals(2, listed.size());
                for (ObjectInfo o : expected) {
                    Map<String, Object> entry = find(listed, o.name());
                    assertEquals("lock", entry.get("kind"));
                    assertEquals(o.isHeld(), entry.get("held"), o.name());
                    assertEquals((long) o.holderPid(), entry.get("holderPid"), o.name());
                    assertEquals((long) o.holderTid(), entry.get("holderTid"), o.name());
                    assertEquals(o.holderThread(), entry.get("holderThread"), o.name());
                    assertEquals(o.heldSince() == null ? null : o.heldSince().toString(), entry.get("heldSince"));
                    assertEquals((long) o.waiters(), entry.get("waiters"));
                    assertEquals((long) o.watchers(), entry.get("watchers"));
                    assertEquals(o.acquisitions(), entry.get("acquisitions"), o.name());
                    assertEquals(o.contendedAcquisitions(), entry.get("contendedAcquisitions"));
                    assertEquals(o.ownerDiedCount(), entry.get("ownerDiedCount"));
                    assertEquals(o.fencingToken(), entry.get("fencingToken"), o.name());
                    assertEquals(o.abandoned(), entry.get("abandoned"));
                }
                Map<String, Object> awkward = find(listed, AWKWARD);
                assertEquals(ProcessHandle.current().pid(), awkward.get("holderPid"));
                assertTrue(awkward.get("heldSince") instanceof String);
                Map<String, Object> alpha = find(listed, "alpha");
                assertEquals(3L, alpha.get("acquisitions"));
                assertTrue((Long) alpha.get("fencingToken") > 1_000_000_000L * 1_600_000_000L,
                        "tokens start at the creation time in nanoseconds: " + alpha.get("fencingToken"));
                assertEquals(false, alpha.get("held"));

                CliProcess table = CliProcess.run(dirs.directory(), Duration.ofSeconds(30), "--space", "ops", "ls");
                assertEquals(0, table.exitValue(), table.transcript());
                List<String> lines = table.stdout().lines().toList();
                assertEquals(3, lines.size(), table.stdout());
                assertTrue(lines.get(0).startsWith("NAME"), table.stdout());
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("alpha ") && l.contains(" free ")), table.stdout());
                assertTrue(lines.stream().anyMatch(l -> l.startsWith(AWKWARD) && l.contains(" held ")
                        && l.contains(" " + ProcessHandle.current().pid() + "/")), table.stdout());
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldPrintOneCompleteObjectPerLineWithJsonl() throws Exception {
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "ops")) {
            space.lock("alpha").acquire().close();
            space.semaphore("pool", 3);
            try (Held held = space.lock(AWKWARD).acquire()) {
                CliProcess array = CliProcess.run(dirs.directory(), Duration.ofSeconds(30), "--space", "ops", "ls", "--json");
                CliProcess lines = CliProcess.run(dirs.directory(), Duration.ofSeconds(30), "--space", "ops", "ls", "--jsonl");
                assertEquals(0, lines.exitValue(), lines.transcript());
                List<String> printed = lines.stdout().lines().toList();
                assertEquals(3, printed.size(), "one line per object: " + lines.stdout());
                List<Object> parsed = printed.stream().map(TinyJson::parse).toList();
                for (Object o : parsed) {
                    assertTrue(o instanceof Map, "each line is a whole JSON object: " + lines.stdout());
                }
                assertEquals(TinyJson.parse(array.stdout()), parsed, "the same objects and fields as --json");
                assertEquals(ProcessHandle.current().pid(), find(parsed, AWKWARD).get("holderPid"));
                assertEquals(3L, find(parsed, "pool").get("permits"));
            }
            CliProcess both = CliProcess.run(dirs.directory(), Duration.ofSeconds(30), "ls", "--json", "--jsonl");
            assertEquals(64, both.exitValue(), both.transcript());
        }
        try (TestSpaces dirs = new TestSpaces()) {
            CliProcess none = CliProcess.run(dirs.directory(), Duration.ofSeconds(30), "--space", "nothing", "ls", "--jsonl");
            assertEquals(0, none.exitValue(), none.transcript());
            assertEquals("", none.stdout(), "no object, no line");
            assertEquals("", none.stderr(), none.transcript());
            assertFalse(Files.exists(dirs.directory().resolve("nothing.space")));
        }
    }

    @Test
    void shouldListANonexistentSpaceAsEmptyWithoutCreatingIt() throws Exception {
        try (TestSpaces dirs = new TestSpaces()) {
            CliProcess json = CliProcess.run(dirs.directory(), Duration.ofSeconds(30), "--space", "nothing", "ls", "--json");
            assertEquals(0, json.exitValue(), json.transcript());
            assertEquals(List.of(), TinyJson.parse(json.stdout()));
            CliProcess table = CliProcess.run(dirs.directory(), Duration.ofSeconds(30), "--space", "nothing", "ls");
            assertEquals(0, table.exitValue(), table.transcript());
            assertTrue(table.stderr().contains("does not exist"), table.transcript());
            assertFalse(Files.exists(dirs.directory().resolve("nothing.space")));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> find(List<Object> listed, String name) {
        for (Object o : listed) {
            Map<String, Object> entry = (Map<String, Object>) o;
            if (name.equals(entry.get("name"))) {
                return entry;
            }
        }
        throw new AssertionError("'" + name + "' not listed: " + listed);
    }
}
