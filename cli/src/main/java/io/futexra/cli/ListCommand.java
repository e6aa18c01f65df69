package io.futexra.cli;

import io.futexra.EventMode;
import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import io.futexra.ObjectKind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ls [--json | --jsonl]}: every object of the space, read from shared memory without taking
 * any lock ({@link LockSpace#objects()}), as a table, as one JSON array ({@code --json}: a {@code [}
 * line, one object per line each but the last followed by a comma, a {@code ]} line; parse it
 * whole), or as JSON Lines ({@code --jsonl}: one complete object per line, nothing else, for
 * {@code while read}, {@code grep} and {@code jq -c}). A space that does not exist yet is listed as
 * empty (an empty array, or no line) and is not created.
 *
 * <p>JSON fields per object, the same in both forms: {@code name}, {@code kind} ({@code "lock"}…), {@code held},
 * {@code holderPid}, {@code holderTid}, {@code holderThread} (string or null), {@code heldSince}
 * (ISO-8601 UTC or null), {@code waiters}, {@code watchers} (owner-death watchers: not waiters,
 * not contention), {@code acquisitions}, {@code contendedAcquisitions},
 * {@code ownerDiedCount}, {@code fencingToken}, {@code abandoned}, {@code policy} ({@code "greedy"},
 * {@code "fair"}, or null for other kinds than locks), {@code spinLimit}, {@code readers} (read
 * holds of a read/write lock, permits in use of a semaphore), {@code permits} (a semaphore's),
 * {@code signaled} (an event's state; auto reset: signals pending), {@code eventMode}
 * ({@code "manual_reset"}, {@code "auto_reset"}, or null). Kinds: {@code "lock"},
 * {@code "read_write_lock"}, {@code "semaphore"}, {@code "event"}.
 */
final class ListCommand {

    private static final String[] HEADINGS = {"NAME", "KIND", "STATE", "HOLDER", "SINCE", "WAITERS", "ACQUIRED",
        "CONTENDED", "OWNER-DIED", "TOKEN"};

    private ListCommand() {
    }

    static int run(Invocation inv, Arguments args) {
        boolean json = false;
        boolean jsonLines = false;
        while (args.atOption()) {
            if (args.option("--json", false)) {
                json = true;
            } else if (args.option("--jsonl", false)) {
                jsonLines = true;
            } else {
                throw args.unknownOption("ls");
            }
        }
        args.expectEnd("ls");
        if (json && jsonLines) {
            throw CliException.usage("ls takes --json (one JSON array) or --jsonl (one object per line), not both");
        }
        List<ObjectInfo> objects = List.of();
        if (inv.spaceExists()) {
            try (LockSpace space = inv.openSpace()) {
                objects = space.objects();
            }
        } else if (!json && !jsonLines) {
            inv.err.println("futex-ra: space '" + inv.space + "' does not exist (yet) " + inv.where
                    + ": nothing to list");
        }
        inv.out.print(json ? json(objects) : jsonLines ? jsonLines(objects) : table(objects));
        inv.out.flush();
        return ExitCodes.OK;
    }

    /** A JSON array: {@code [}, one object per line (commas between them), {@code ]}. */
    static String json(List<ObjectInfo> objects) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < objects.size(); i++) {
            out.append(i == 0 ? "\n" : ",\n").append(object(objects.get(i)));
        }
        return out.append("\n]\n").toString();
    }

    /** JSON Lines: each object complete on its own line, no array around them; nothing if none. */
    static String jsonLines(List<ObjectInfo> objects) {
        StringBuilder out = new StringBuilder();
        for (ObjectInfo o : objects) {
            out.append(object(o)).append('\n');
        }
        return out.toString();
    }

    /** One object's fields as a JSON object on one line (strings are escaped: never a raw newline). */
    private static Json object(ObjectInfo o) {
        return new Json().beginObject()
                .field("name", o.name())
                .field("kind", kind(o))
                .field("held", o.isHeld())
                .field("holderPid", o.holderPid())
                .field("holderTid", o.holderTid())
                .field("holderThread", o.holderThread())
                .field("holderPidNamespace", o.holderPidNamespace())
                .field("holderInOtherPidNamespace", o.holderInOtherPidNamespace())
                .field("heldSince", o.heldSince() == null ? null : o.heldSince().toString())
                .field("waiters", o.waiters())
                .field("watchers", o.watchers())
                .field("acquisitions", o.acquisitions())
                .field("contendedAcquisitions", o.contendedAcquisitions())
                .field("ownerDiedCount", o.ownerDiedCount())
                .field("fencingToken", o.fencingToken())
                .field("abandoned", o.abandoned())
                .field("policy", o.policy() == null ? null : lower(o.policy().name()))
                .field("spinLimit", o.spinLimit())
                .field("readers", o.readers())
                .field("permits", o.permits())
                .field("signaled", o.signaled())
                .field("eventMode", o.eventMode() == null ? null : lower(o.eventMode().name()))
                .endObject();
    }

    static String table(List<ObjectInfo> objects) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (ObjectInfo o : objects) {
            rows.add(new String[] {
                Text.printable(o.name()),
                shortKind(o),
                state(o),
                o.isHeld() ? o.holderPid() + "/" + o.holderTid()
                        + (o.holderInOtherPidNamespace() ? " in pid:[" + o.holderPidNamespace() + "], another PID"
                                + " namespace" : "")
                        + (o.holderThread() != null ? " " + Text.printable(o.holderThread()) : "") : "-",
                o.heldSince() == null ? "-" : since(o.heldSince()),
                Integer.toString(o.waiters()),
                Long.toString(o.acquisitions()),
                Long.toString(o.contendedAcquisitions()),
                Long.toString(o.ownerDiedCount()),
                Long.toString(o.fencingToken()),
            });
        }
        int[] widths = new int[HEADINGS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                out.append(i == row.length - 1 ? row[i] : Text.padRight(row[i], widths[i] + 2));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String kind(ObjectInfo o) {
        return o.kind() == null ? "unknown" : lower(o.kind().name());
    }

    private static String shortKind(ObjectInfo o) {
        if (o.kind() == null) {
            return "unknown";
        }
        switch (o.kind()) {
            case READ_WRITE_LOCK:
                return "rw-lock";
            case EVENT:
                return o.eventMode() == EventMode.AUTO_RESET ? "event/auto" : "event";
            default:
                return lower(o.kind().name());
        }
    }

    /** held / free / abandoned for locks; reading:N / writing for read/write locks; N/M used; signaled. */
    private static String state(ObjectInfo o) {
        if (o.kind() == null) {
            return "malformed"; // a registration the backend could not read (JSON: holderThread says what it holds)
        }
        if (o.kind() == ObjectKind.SEMAPHORE) {
            return o.readers() + "/" + o.permits() + " used";
        }
        if (o.kind() == ObjectKind.EVENT) {
            return o.signaled() ? (o.eventMode() == EventMode.AUTO_RESET ? "pending" : "signaled") : "clear";
        }
        if (o.isHeld()) {
            return o.kind() == ObjectKind.READ_WRITE_LOCK ? "writing" : "held";
        }
        if (o.readers() > 0) {
            return "reading:" + o.readers();
        }
        return o.abandoned() ? "abandoned" : "free";
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static String since(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
