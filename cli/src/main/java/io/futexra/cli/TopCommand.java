package io.futexra.cli;

import io.futexra.LockSpace;
import io.futexra.LockStatistics;
import io.futexra.ObjectInfo;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code top [--once] [--interval DUR] [--limit N]}: a live view of a space, one line per object,
 * hottest first. The space is read as {@code ls} reads it ({@link LockSpace#objects()}, no lock
 * taken), every interval; rates are the change of the space's counters between two reads.
 *
 * <p>Columns: NAME, KIND, HOLDER ({@code pid/tid thread}; {@code remote} when a holder has no pid
 * here: another host or PID namespace), HELD-FOR (from the holder's stamp, about 10 ms), WAITERS
 * (asleep now), ACQ/S, ACQUIRED, WAITS (contended acquisitions) and DEATHS (acquisitions that
 * found the owner dead); their counts are {@link LockStatistics}'s, the figures JMX, Micrometer
 * and the adapter show. Hottest first: most waiters, then most acquisitions per second, then most
 * contended acquisitions, then held longest, then most acquisitions, then by name.
 *
 * <p>Interactive (the default) it needs a terminal ({@code /dev/tty}, so it works over
 * {@code ssh -t}): the terminal is put in non-canonical mode without echo with {@code stty},
 * restored on exit (also on SIGINT/SIGTERM); the screen is redrawn in place with ANSI escapes,
 * cut to the terminal's size; {@code q} quits. {@code --once} prints one screen as plain text,
 * after two reads {@code --interval} apart (for the rates), and exits: for scripts and logs.
 */
final class TopCommand {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    private static final String[] HEADINGS = {"NAME", "KIND", "HOLDER", "HELD-FOR", "WAITERS", "ACQ/S", "ACQUIRED",
        "WAITS", "DEATHS"};
    private static final String HOME = "\033[H";
    private static final String CLEAR_LINE = "\033[K";
    private static final String CLEAR_BELOW = "\033[J";
    private static final String CLEAR_SCREEN = "\033[2J";
    private static final String HIDE_CURSOR = "\033[?25l";
    private static final String SHOW_CURSOR = "\033[?25h";

    private TopCommand() {
    }

    static int run(Invocation inv, Arguments args) {
        boolean once = false;
        Duration interval = DEFAULT_INTERVAL;
        int limit = Integer.MAX_VALUE;
        while (args.atOption()) {
            if (args.option("--once", false)) {
                once = true;
            } else if (args.option("--interval", true)) {
                interval = Durations.parse("--interval", args.value("--interval"));
                if (interval.toMillis() < 100) {
                    throw CliException.usage("--interval must be at least 100ms, not " + Durations.format(interval));
                }
            } else if (args.option("--limit", true)) {
                String n = args.value("--limit");
                try {
                    limit = Integer.parseInt(n);
                } catch (NumberFormatException e) {
                    limit = 0;
                }
                if (limit < 1) {
                    throw CliException.usage("--limit needs a number of lines of at least 1, not '" + Text.printable(n) + "'");
                }
            } else {
                throw args.unknownOption("top");
            }
        }
        args.expectEnd("top");
        if (!inv.spaceExists()) {
            inv.err.println("futex-ra: space '" + inv.space + "' does not exist (yet) " + inv.where + ": nothing to show");
            return ExitCodes.OK;
        }
        try (LockSpace space = inv.openSpace()) {
            return once ? once(inv, space, interval, limit) : interactive(inv, space, interval, limit);
        }
    }

    private static int once(Invocation inv, LockSpace space, Duration interval, int limit) {
        Reading first = Reading.of(space);
        sleep(interval);
        inv.out.print(screen(inv.space, Reading.of(space), first, limit, Integer.MAX_VALUE));
        inv.out.flush();
        return ExitCodes.OK;
    }

    private static int interactive(Invocation inv, LockSpace space, Duration interval, int limit) {
        Terminal terminal = Terminal.open();
        try (terminal) {
            inv.out.print(HIDE_CURSOR + HOME + CLEAR_SCREEN);
            Reading previous = Reading.of(space);
            Reading current = previous;
            while (true) {
                int[] size = terminal.size();
                String text = screen(inv.space, current, previous, Math.min(limit, Math.max(1, size[0] - 3)), size[1]);
                StringBuilder frame = new StringBuilder(HOME);
                text.lines().forEach(l -> frame.append(l).append(CLEAR_LINE).append("\r\n"));
                frame.append("q quits").append(CLEAR_LINE).append(CLEAR_BELOW);
                inv.out.print(frame);
                inv.out.flush();
                if (terminal.quitWithin(interval)) {
                    break;
                }
                previous = current;
                current = Reading.of(space);
            }
        } finally {
            inv.out.print(SHOW_CURSOR + "\r\n");
            inv.out.flush();
        }
        return ExitCodes.OK;
    }

    /** One read of the space: its objects and when. */
    record Reading(long nanos, Instant at, List<ObjectInfo> objects) {
        static Reading of(LockSpace space) {
            return new Reading(System.nanoTime(), Instant.now(), space.objects());
        }
    }

    /** A header line, the headings, and one line per object (at most {@code limit}), each at most {@code width} wide. */
    static String screen(String spaceName, Reading now, Reading before, int limit, int width) {
        Map<String, Long> earlier = new HashMap<>();
        for (ObjectInfo o : before.objects()) {
            earlier.put(o.name(), o.acquisitions());
        }
        double seconds = Math.max(1e-3, (now.nanos() - before.nanos()) / 1e9);
        List<Row> rows = new ArrayList<>();
        long holders = 0;
        long waiters = 0;
        double rate = 0;
        for (ObjectInfo o : now.objects()) {
            LockStatistics s = LockStatistics.of(o);
            long delta = Math.max(0, s.acquisitions() - earlier.getOrDefault(o.name(), s.acquisitions()));
            double perSecond = now == before ? 0 : delta / seconds;
            Duration heldFor = o.heldSince() == null ? null
                    : Duration.between(o.heldSince(), now.at()).isNegative() ? Duration.ZERO
                    : Duration.between(o.heldSince(), now.at());
            rows.add(new Row(o, s, perSecond, heldFor));
            holders += s.holders();
            waiters += s.waiters();
            rate += perSecond;
        }
        rows.sort(Row.HOTTEST_FIRST);
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADINGS);
        for (Row r : rows.subList(0, Math.min(limit, rows.size()))) {
            cells.add(r.cells());
        }
        StringBuilder out = new StringBuilder();
        out.append(cut("futex-ra top: space " + Text.printable(spaceName) + "  " + now.at().truncatedTo(ChronoUnit.SECONDS)
                + "  objects " + rows.size() + "  holders " + holders + "  waiters " + waiters
                + "  acq/s " + rate(rate), width)).append('\n');
        int[] widths = new int[HEADINGS.length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : Text.padRight(row[i], widths[i] + 2));
            }
            out.append(cut(line.toString().stripTrailing(), width)).append('\n');
        }
        if (rows.size() > limit) {
            out.append(cut("(" + (rows.size() - limit) + " more)", width)).append('\n');
        }
        return out.toString();
    }

    /** One object's line. */
    private record Row(ObjectInfo info, LockStatistics stats, double perSecond, Duration heldFor) {

        static final Comparator<Row> HOTTEST_FIRST = Comparator.comparingInt((Row r) -> r.stats().waiters()).reversed()
                .thenComparing(Comparator.comparingDouble(Row::perSecond).reversed())
                .thenComparing(Comparator.comparingLong((Row r) -> r.stats().contendedAcquisitions()).reversed())
                .thenComparing(Comparator.comparing((Row r) -> r.heldFor() == null ? Duration.ZERO : r.heldFor()).reversed())
                .thenComparing(Comparator.comparingLong((Row r) -> r.stats().acquisitions()).reversed())
                .thenComparing(r -> r.info().name());

        String[] cells() {
            return new String[] {
                Text.printable(info.name()),
                info.kind() == null ? "unknown" : info.kind().name().toLowerCase(Locale.ROOT).replace("read_write_lock", "rw-lock"),
                holder(info),
                heldFor == null ? "-" : held(heldFor),
                Integer.toString(stats.waiters()),
                rate(perSecond),
                Long.toString(stats.acquisitions()),
                Long.toString(stats.contendedAcquisitions()),
                Long.toString(stats.ownerDeaths()),
            };
        }
    }

    private static String holder(ObjectInfo o) {
        if (o.isHeld()) {
            if (o.holderPid() == 0) {
                return "remote";
            }
            return o.holderPid() + "/" + o.holderTid() + (o.holderThread() != null ? " " + Text.printable(o.holderThread()) : "");
        }
        return o.readers() > 0 ? o.readers() + (o.permits() > 0 ? " permits" : " readers") : "-";
    }

    /** 850ms, 12.3s, 5m02s, 3h04m. */
    static String held(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        if (ms < 3_600_000) {
            return String.format(Locale.ROOT, "%dm%02ds", ms / 60_000, ms / 1000 % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", ms / 3_600_000, ms / 60_000 % 60);
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    private static String cut(String line, int width) {
        return line.length() <= width ? line : line.substring(0, Math.max(0, width));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED_BY_INT, "interrupted");
        }
    }

    /**
     * The controlling terminal, {@code /dev/tty}, in non-canonical mode without echo (a key is
     * read as it is pressed, a read returns after at most 0.1 s), its settings restored on close
     * or when the JVM exits.
     */
    private static final class Terminal implements AutoCloseable {

        private final String saved;
        private final InputStream keys;
        private final Thread restorer;

        private Terminal(String saved, InputStream keys) {
            this.saved = saved;
            this.keys = keys;
            this.restorer = new Thread(this::restore, "futex-ra top: restore the terminal");
            Runtime.getRuntime().addShutdownHook(restorer);
        }

        static Terminal open() {
            String saved;
            try {
                saved = stty("-g").strip();
                stty("-icanon", "-echo", "min", "0", "time", "1");
                return new Terminal(saved, new FileInputStream("/dev/tty"));
            } catch (IOException e) {
                throw CliException.usage("top needs a terminal (/dev/tty: " + e.getMessage()
                        + "); use 'top --once' in scripts, or 'ssh -t' to run it remotely");
            }
        }

        /** Rows and columns, or 24x80 if the terminal does not say. */
        int[] size() {
            try {
                String[] rc = stty("size").strip().split("\\s+");
                int rows = Integer.parseInt(rc[0]);
                int cols = Integer.parseInt(rc[1]);
                return new int[] {rows > 0 ? rows : 24, cols > 0 ? cols : 80};
            } catch (IOException | RuntimeException e) {
                return new int[] {24, 80};
            }
        }

        /** Whether {@code q} is pressed before {@code interval} passes. */
        boolean quitWithin(Duration interval) {
            long deadline = System.nanoTime() + interval.toNanos();
            try {
                do {
                    int key = keys.read(); // returns after 0.1 s at most (time 1), -1 when no key came
                    if (key == 'q' || key == 'Q') {
                        return true;
                    }
                } while (System.nanoTime() < deadline);
            } catch (InterruptedIOException e) {
                return true;
            } catch (IOException e) {
                throw new CliException(ExitCodes.SOFTWARE, "cannot read the terminal: " + e.getMessage());
            }
            return false;
        }

        @Override
        public void close() {
            restore();
            try {
                Runtime.getRuntime().removeShutdownHook(restorer);
            } catch (IllegalStateException exiting) {
                // the hook runs anyway
            }
            try {
                keys.close();
            } catch (IOException ignored) {
                // nothing to restore in a stream
            }
        }

        private synchronized void restore() {
            try {
                stty(saved);
            } catch (IOException e) {
                System.err.println("futex-ra: cannot restore the terminal (" + e.getMessage() + "): run 'stty sane'");
            }
        }

        /** Runs {@code stty ARGS} on {@code /dev/tty}; returns what it printed. */
        private static String stty(String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add("stty");
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .redirectError(ProcessBuilder.Redirect.PIPE);
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (p.waitFor() != 0) {
                    throw new IOException("stty " + String.join(" ", args) + ": " + err.strip());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("stty interrupted");
            }
            return out;
        }
    }
}
