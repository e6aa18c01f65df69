package io.futexra.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * SVG charts of a run, built as plain strings: grouped horizontal bars, one row per thing measured
 * and one bar per series, on a linear or logarithmic axis, with the machine and the date under the
 * title.
 */
final class Charts {

    private static final String[] COLORS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"};
    private static final int LABEL_WIDTH = 300;
    private static final int PLOT_WIDTH = 560;
    private static final int BAR = 13;
    private static final int TOP = 78;

    private Charts() {
    }

    /** One row: a label and one value per series (NaN: no bar). */
    record Row(String label, double... values) {
    }

    /**
     * Writes a chart of {@code rows} to {@code file}.
     *
     * @param series the names of the values of each row, in order
     * @param log whether the axis is logarithmic (values spanning orders of magnitude)
     */
    static void bars(Path file, String title, String machine, String unit, List<String> series, List<Row> rows,
                     boolean log) throws IOException {
        double max = 0;
        double min = Double.MAX_VALUE;
        for (Row r : rows) {
            for (double v : r.values()) {
                if (!Double.isNaN(v) && v > 0) {
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                }
            }
        }
        if (max == 0) {
            max = 1;
            min = 1;
        }
        double lo = log ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
        double hi = log ? Math.pow(10, Math.ceil(Math.log10(max))) : niceCeiling(max);
        int rowHeight = series.size() * BAR + 10;
        int height = TOP + rows.size() * rowHeight + 60;
        int width = LABEL_WIDTH + PLOT_WIDTH + 90;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"40\" fill=\"#555\">%s</text>%n", escape(machine)));
        int legendX = 10;
        for (int s = 0; s < series.size(); s++) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"50\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"60\">%s</text>%n", legendX, COLORS[s % COLORS.length], legendX + 16,
                    escape(series.get(s))));
            legendX += 24 + 7 * series.get(s).length();
        }
        int plotBottom = TOP + rows.size() * rowHeight;
        for (double tick : ticks(lo, hi, log)) {
            double x = LABEL_WIDTH + position(tick, lo, hi, log) * PLOT_WIDTH;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n", x, TOP - 4, x,
                    plotBottom, x, plotBottom + 16, number(tick)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
                LABEL_WIDTH + PLOT_WIDTH / 2, plotBottom + 36, escape(unit + (log ? " (log scale)" : ""))));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int y = TOP + i * rowHeight;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL_WIDTH - 8, y + rowHeight / 2 + 4, escape(r.label())));
            for (int s = 0; s < r.values().length && s < series.size(); s++) {
                double v = r.values()[s];
                if (Double.isNaN(v)) {
                    continue;
                }
                double w = Math.max(1, position(Math.max(v, lo), lo, hi, log) * PLOT_WIDTH);
                int by = y + 4 + s * BAR;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                        + "<title>%s: %s %s</title></rect><text x=\"%.1f\" y=\"%d\" font-size=\"10\">%s</text>%n",
                        LABEL_WIDTH, by, w, BAR - 2, COLORS[s % COLORS.length], escape(series.get(s)), number(v),
                        escape(unit), LABEL_WIDTH + w + 3, by + BAR - 3, number(v)));
            }
        }
        svg.append("</svg>\n");
        Files.writeString(file, svg, StandardCharsets.UTF_8);
    }

    private static double position(double v, double lo, double hi, boolean log) {
        return log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
    }

    private static double[] ticks(double lo, double hi, boolean log) {
        if (log) {
            int n = (int) Math.round(Math.log10(hi / lo)) + 1;
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = lo * Math.pow(10, i);
            }
            return t;
        }
        double[] t = new double[6];
        for (int i = 0; i < t.length; i++) {
            t[i] = lo + (hi - lo) * i / 5;
        }
        return t;
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String number(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
