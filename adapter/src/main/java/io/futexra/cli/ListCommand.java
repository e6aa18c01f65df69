package io.futexra.cli;

import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ls [--json]}: every object of the space, read from shared memory without taking any
 * lock ({@link LockSpace#objects()}), as a table or as a JSON array. A space that does not exist
 * yet is listed as empty and is not created.
 *
 * <p>JSON fields per object: {@code name}, {@code kind} ({@code "lock"}…), {@code held},
 * {@code holderPid}, {@code holderTid}, {@code holderThread} (string or null), {@code heldSince}
 * (ISO-8601 UTC or null), {@code waiters}, {@code acquisitions}, {@code contendedAcquisitions},
 * {@code ownerDiedCount}, {@code fencingToken}, {@code abandoned}.
 */
final class ListCommand {

    private static final String[] HEADINGS = {"NAME", "KIND", "STATE", "HOLDER", "SINCE", "WAITERS", "ACQUIRED",
        "CONTENDED", "OWNER-DIED", "TOKEN"};

    private ListCommand() {
    }

    static int run(Invocation inv, Arguments args) {
        boolean json = false;
        while (args.atOption()) {
            if (args.option("--json", false)) {
                json = true;
            } else {
                throw args.unknownOption("ls");
            }
        }
        args.expectEnd("ls");
        List<ObjectInfo> objects = List.of();
        if (Files.exists(inv.spaceFile())) {
            try (LockSpace space = inv.openSpace()) {
                objects = space.objects();
            }
        } else if (!json) {
            inv.err.println("futex-ra: space '" + inv.space + "' does not exist (yet) in " + inv.directory
                    + ": nothing to list");
        }
        inv.out.print(json ? json(objects) : table(objects));
        inv.out.flush();
        return ExitCodes.OK;
    }

    static String json(List<ObjectInfo> objects) {
        Json json = new Json().beginArray();
        for (ObjectInfo o : objects) {
            json.newline().beginObject()
                    .field("name", o.name())
                    .field("kind", kind(o))
                    .field("held", o.isHeld())
                    .field("holderPid", o.holderPid())
                    .field("holderTid", o.holderTid())
                    .field("holderThread", o.holderThread())
                    .field("heldSince", o.heldSince() == null ? null : o.heldSince().toString())
                    .field("waiters", o.waiters())
                    .field("acquisitions", o.acquisitions())
                    .field("contendedAcquisitions", o.contendedAcquisitions())
                    .field("ownerDiedCount", o.ownerDiedCount())
                    .field("fencingToken", o.fencingToken())
                    .field("abandoned", o.abandoned())
                    .endObject();
        }
        return json.newline().endArray().newline().toString();
    }

    static String table(List<ObjectInfo> objects) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (ObjectInfo o : objects) {
            rows.add(new String[] {
                Text.printable(o.name()),
                kind(o),
                o.isHeld() ? "held" : o.abandoned() ? "abandoned" : "free",
                o.isHeld() ? o.holderPid() + "/" + o.holderTid()
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
        return o.kind() == null ? "unknown" : o.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String since(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
