package vecmlp.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A tiny SVG line-chart writer: one or more panels side by side, each with a title, labelled axes,
 * "nice" ticks (1, 2, 5 × 10ᵏ) with grid lines, one polyline per series (with point markers when there
 * are few points) and a legend. No dependencies; the output is standalone SVG 1.1 that browsers and
 * {@code rsvg-convert} render.
 *
 * <p>Not thread-safe while being built.
 */
public final class SvgChart {

    /** Series colours (colour-blind-safe Tableau 10 order: blue, orange, green, red, purple). */
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"};
    private static final int PANEL_W = 480;
    private static final int PANEL_H = 340;
    private static final int MARGIN_L = 70;
    private static final int MARGIN_R = 20;
    private static final int MARGIN_T = 40;
    private static final int MARGIN_B = 55;
    private static final int HEADER = 36;

    private final String title;
    private final List<Panel> panels = new ArrayList<>();

    /** A chart with an overall title (shown above the panels). */
    public SvgChart(String title) {
        this.title = Objects.requireNonNull(title, "title must not be null");
    }

    /** Adds a panel and returns it for adding series. */
    public Panel panel(String panelTitle, String xLabel, String yLabel) {
        Panel p = new Panel(panelTitle, xLabel, yLabel);
        panels.add(p);
        return p;
    }

    /** One plot: axes, series, legend. */
    public static final class Panel {
        final String title;
        final String xLabel;
        final String yLabel;
        final List<String> names = new ArrayList<>();
        final List<double[]> xs = new ArrayList<>();
        final List<double[]> ys = new ArrayList<>();
        Double yMinFixed;
        Double yMaxFixed;

        Panel(String title, String xLabel, String yLabel) {
            this.title = Objects.requireNonNull(title, "title must not be null");
            this.xLabel = Objects.requireNonNull(xLabel, "xLabel must not be null");
            this.yLabel = Objects.requireNonNull(yLabel, "yLabel must not be null");
        }

        /**
         * Adds a series of points {@code (x[i], y[i])}; non-finite points are skipped.
         *
         * @throws IllegalArgumentException if the lengths differ
         */
        public Panel series(String name, double[] x, double[] y) {
            Objects.requireNonNull(name, "name must not be null");
            if (x.length != y.length) {
                throw new IllegalArgumentException("x.length " + x.length + " must equal y.length " + y.length);
            }
            names.add(name);
            xs.add(x.clone());
            ys.add(y.clone());
            return this;
        }

        /** Fixes the y-axis range instead of fitting it to the data (e.g. accuracy in [0, 1]). */
        public Panel yRange(double min, double max) {
            if (!(min < max)) {
                throw new IllegalArgumentException("min " + min + " must be < max " + max);
            }
            yMinFixed = min;
            yMaxFixed = max;
            return this;
        }
    }

    /** Writes the chart to {@code file} (UTF-8), creating parent directories. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toSvg(), StandardCharsets.UTF_8);
    }

    /** The chart as an SVG document. */
    public String toSvg() {
        int width = Math.max(1, panels.size()) * PANEL_W;
        int height = HEADER + PANEL_H;
        StringBuilder s = new StringBuilder(8192);
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n");
        s.append("<title>").append(esc(title)).append("</title>\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(text(width / 2.0, 24, "middle", 17, "bold", title));
        for (int p = 0; p < panels.size(); p++) {
            panel(s, panels.get(p), p * PANEL_W, HEADER);
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static void panel(StringBuilder s, Panel p, double ox, double oy) {
        double left = ox + MARGIN_L;
        double right = ox + PANEL_W - MARGIN_R;
        double top = oy + MARGIN_T;
        double bottom = oy + PANEL_H - MARGIN_B;
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < p.xs.size(); k++) {
            double[] x = p.xs.get(k);
            double[] y = p.ys.get(k);
            for (int i = 0; i < x.length; i++) {
                if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                    xMin = Math.min(xMin, x[i]);
                    xMax = Math.max(xMax, x[i]);
                    yMin = Math.min(yMin, y[i]);
                    yMax = Math.max(yMax, y[i]);
                }
            }
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
            yMin = 0;
            yMax = 1;
        }
        if (p.yMinFixed != null) {
            yMin = p.yMinFixed;
            yMax = p.yMaxFixed;
        }
        Ticks xt = Ticks.of(xMin, xMax, 8, true);
        Ticks yt = Ticks.of(yMin, yMax, 6, false);
        s.append("<g class=\"panel\">\n");
        s.append(text((left + right) / 2, oy + 24, "middle", 14, "bold", p.title));
        s.append("<rect x=\"").append(fixed(left, 1)).append("\" y=\"").append(fixed(top, 1)).append("\" width=\"")
                .append(fixed(right - left, 1)).append("\" height=\"").append(fixed(bottom - top, 1))
                .append("\" fill=\"#fbfbfb\" stroke=\"none\"/>\n");
        // grid and ticks
        for (double v : yt.values()) {
            double y = map(v, yt.min, yt.max, bottom, top);
            s.append(line(left, y, right, y, "#e0e0e0", 1));
            s.append(line(left - 5, y, left, y, "#333", 1));
            s.append(text(left - 8, y + 4, "end", 11, "normal", yt.label(v)));
        }
        for (double v : xt.values()) {
            double x = map(v, xt.min, xt.max, left, right);
            s.append(line(x, top, x, bottom, "#e0e0e0", 1));
            s.append(line(x, bottom, x, bottom + 5, "#333", 1));
            s.append(text(x, bottom + 18, "middle", 11, "normal", xt.label(v)));
        }
        // axes
        s.append(line(left, bottom, right, bottom, "#333", 1.2));
        s.append(line(left, top, left, bottom, "#333", 1.2));
        s.append(text((left + right) / 2, bottom + 40, "middle", 12, "normal", p.xLabel));
        double ly = (top + bottom) / 2;
        double lx = ox + 16;
        s.append("<text x=\"").append(fixed(lx, 1)).append("\" y=\"").append(fixed(ly, 1))
                .append("\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 ").append(fixed(lx, 1))
                .append(' ').append(fixed(ly, 1)).append(")\">").append(esc(p.yLabel)).append("</text>\n");
        // series, clipped to the plot area
        String clip = "clip" + (int) ox;
        s.append("<clipPath id=\"").append(clip).append("\"><rect x=\"").append(fixed(left - 4, 1)).append("\" y=\"")
                .append(fixed(top - 4, 1)).append("\" width=\"").append(fixed(right - left + 8, 1)).append("\" height=\"")
                .append(fixed(bottom - top + 8, 1)).append("\"/></clipPath>\n");
        for (int k = 0; k < p.xs.size(); k++) {
            String colour = COLOURS[k % COLOURS.length];
            double[] x = p.xs.get(k);
            double[] y = p.ys.get(k);
            StringBuilder pts = new StringBuilder();
            int n = 0;
            for (int i = 0; i < x.length; i++) {
                if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                    pts.append(fixed(map(x[i], xt.min, xt.max, left, right), 2)).append(',')
                            .append(fixed(map(y[i], yt.min, yt.max, bottom, top), 2)).append(' ');
                    n++;
                }
            }
            s.append("<g class=\"series\" data-name=\"").append(esc(p.names.get(k))).append("\" clip-path=\"url(#")
                    .append(clip).append(")\">\n");
            s.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" ")
                    .append("stroke-linejoin=\"round\" points=\"").append(pts.toString().strip()).append("\"/>\n");
            if (n <= 40) {
                for (int i = 0; i < x.length; i++) {
                    if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                        s.append("<circle cx=\"").append(fixed(map(x[i], xt.min, xt.max, left, right), 2))
                                .append("\" cy=\"").append(fixed(map(y[i], yt.min, yt.max, bottom, top), 2))
                                .append("\" r=\"2.5\" fill=\"").append(colour).append("\"/>\n");
                    }
                }
            }
            s.append("</g>\n");
        }
        // legend, top right inside the plot area
        double legendW = 0;
        for (String name : p.names) {
            legendW = Math.max(legendW, 7.0 * name.length());
        }
        legendW += 40;
        double legendH = 8 + 18 * p.names.size();
        // the corner whose box covers the fewest points of the curves (top right first on ties)
        double[][] corners = {
            {right - legendW - 8, top + 8}, {right - legendW - 8, bottom - legendH - 8},
            {left + 8, top + 8}, {left + 8, bottom - legendH - 8}};
        double gx = corners[0][0];
        double gy = corners[0][1];
        int fewest = Integer.MAX_VALUE;
        for (double[] corner : corners) {
            int hits = 0;
            for (int k = 0; k < p.xs.size(); k++) {
                double[] x = p.xs.get(k);
                double[] y = p.ys.get(k);
                for (int i = 0; i + 1 < x.length; i++) {
                    for (int t = 0; t <= 10; t++) { // sample each segment, not only its ends
                        double px = map(x[i] + (x[i + 1] - x[i]) * t / 10, xt.min, xt.max, left, right);
                        double py = map(y[i] + (y[i + 1] - y[i]) * t / 10, yt.min, yt.max, bottom, top);
                        // a margin of 12 px: a curve running just past the box also makes it hard to read
                        if (px >= corner[0] - 12 && px <= corner[0] + legendW + 12 && py >= corner[1] - 12
                                && py <= corner[1] + legendH + 12) {
                            hits++;
                        }
                    }
                }
            }
            if (hits < fewest) {
                fewest = hits;
                gx = corner[0];
                gy = corner[1];
            }
        }
        s.append("<rect x=\"").append(fixed(gx, 1)).append("\" y=\"").append(fixed(gy, 1)).append("\" width=\"")
                .append(fixed(legendW, 1)).append("\" height=\"").append((int) legendH)
                .append("\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#bbb\"/>\n");
        for (int k = 0; k < p.names.size(); k++) {
            double y = gy + 16 + 18 * k;
            s.append(line(gx + 8, y - 4, gx + 28, y - 4, COLOURS[k % COLOURS.length], 2.5));
            s.append(text(gx + 34, y, "start", 12, "normal", p.names.get(k)));
        }
        s.append("</g>\n");
    }

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};

    /**
     * {@code v} rounded to {@code decimals} places, as {@code String.format(Locale.ROOT, "%.<decimals>f", v)}
     * writes it, except that a value within a rounding error of half-way may round the other way (the same
     * chart to the eye) and a negative value that rounds to zero has no minus sign; without the Formatter,
     * whose first few hundred calls took 65–80 ms of README's main job in a fresh JVM (the chart writes
     * about 600 numbers). Past 7 places or 10¹⁸ units of the last place, the Formatter's.
     */
    static String fixed(double v, int decimals) {
        if (decimals < 0 || decimals >= POWERS_OF_TEN.length || !(Math.abs(v) * POWERS_OF_TEN[decimals] < 1e18)) {
            return String.format(Locale.ROOT, "%." + Math.max(0, decimals) + "f", v);
        }
        long scale = POWERS_OF_TEN[decimals];
        long r = Math.round(Math.abs(v) * scale);
        StringBuilder b = new StringBuilder(24);
        if (v < 0 && r != 0) {
            b.append('-');
        }
        b.append(r / scale);
        if (decimals > 0) {
            String fraction = Long.toString(r % scale);
            b.append('.');
            for (int i = fraction.length(); i < decimals; i++) {
                b.append('0');
            }
            b.append(fraction);
        }
        return b.toString();
    }

    private static double map(double v, double from0, double from1, double to0, double to1) {
        return to0 + (v - from0) / (from1 - from0) * (to1 - to0);
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, double width) {
        return "<line x1=\"" + fixed(x1, 1) + "\" y1=\"" + fixed(y1, 1) + "\" x2=\"" + fixed(x2, 1) + "\" y2=\""
                + fixed(y2, 1) + "\" stroke=\"" + colour + "\" stroke-width=\"" + fixed(width, 1) + "\"/>\n";
    }

    private static String text(double x, double y, String anchor, int size, String weight, String content) {
        return "<text x=\"" + fixed(x, 1) + "\" y=\"" + fixed(y, 1) + "\" text-anchor=\"" + anchor + "\" font-size=\""
                + size + "\" font-weight=\"" + weight + "\">" + esc(content) + "</text>\n";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&apos;"); break;
                default:
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        b.append('?');
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.toString();
    }

    /** Evenly spaced "nice" tick values covering [lo, hi]; the axis spans the outermost ticks. */
    static final class Ticks {
        final double min;
        final double max;
        final double step;

        private Ticks(double min, double max, double step) {
            this.min = min;
            this.max = max;
            this.step = step;
        }

        static Ticks of(double lo, double hi, int maxTicks, boolean integers) {
            if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
                double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
                lo -= pad;
                hi += pad;
            }
            double step = nice((hi - lo) / (maxTicks - 1));
            if (integers) {
                step = Math.max(1, Math.round(step));
            }
            double min = Math.floor(lo / step + 1e-9) * step;
            double max = Math.ceil(hi / step - 1e-9) * step;
            return new Ticks(min, max, step);
        }

        private static double nice(double raw) {
            double exp = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / exp;
            double n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
            return n * exp;
        }

        double[] values() {
            int n = (int) Math.round((max - min) / step) + 1;
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = min + i * step;
            }
            return v;
        }

        String label(double v) {
            if (Math.abs(v) < step * 1e-6) {
                v = 0;
            }
            int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
            if (step * Math.pow(10, decimals) % 1 > 1e-6) {
                decimals++; // 2.5, 0.25
            }
            return fixed(v, decimals);
        }
    }
}
