package vecmlp.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A line chart as a standalone SVG document: one polyline per series over a log₂ x axis (matrix sizes
 * 64, 128, …), a linear y axis from zero, and an optional dashed reference line (the machine's peak).
 * Immutable input, no state; {@link #render} is a pure function.
 */
public final class SvgChart {

    /** One line of the chart: its legend label and its (x, y) points; x must be > 0. */
    public record Series(String label, List<double[]> points) {
    }

    private static final String[] COLORS = {
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
    };
    private static final int WIDTH = 760;
    private static final int HEIGHT = 440;
    private static final int LEFT = 70;
    private static final int RIGHT = 230;
    private static final int TOP = 40;
    private static final int BOTTOM = 55;

    private SvgChart() {
    }

    /**
     * Renders the chart.
     *
     * @param title      the heading
     * @param xLabel     the x axis label
     * @param yLabel     the y axis label
     * @param series     the lines, drawn in order; at least one point in total
     * @param reference  a y value drawn as a dashed line, or NaN for none
     * @param refLabel   the reference line's label
     */
    public static String render(String title, String xLabel, String yLabel, List<Series> series,
                                double reference, String refLabel) {
        TreeSet<Double> xs = new TreeSet<>();
        double yMax = Double.isNaN(reference) ? 0 : reference;
        for (Series s : series) {
            for (double[] p : s.points()) {
                if (!(p[0] > 0)) {
                    throw new IllegalArgumentException("x must be > 0 on a log axis: " + p[0]);
                }
                xs.add(p[0]);
                yMax = Math.max(yMax, p[1]);
            }
        }
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("no points to draw");
        }
        double step = niceStep(yMax <= 0 ? 1 : yMax * 1.05 / 5);
        double yTop = Math.ceil((yMax <= 0 ? 1 : yMax * 1.05) / step) * step;
        double lx0 = log2(xs.first());
        double lx1 = log2(xs.last());
        if (lx1 - lx0 < 1e-9) {
            lx0 -= 0.5;
            lx1 += 0.5;
        }
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        final double fx0 = lx0;
        final double fx1 = lx1;
        java.util.function.DoubleUnaryOperator px = x -> LEFT + (log2(x) - fx0) / (fx1 - fx0) * plotW;
        java.util.function.DoubleUnaryOperator py = y -> TOP + plotH - y / yTop * plotH;

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title)));
        // grid and y ticks
        for (double y = 0; y <= yTop + step / 2; y += step) {
            double yy = py.applyAsDouble(y);
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>%n", LEFT, yy, LEFT + plotW, yy));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, yy + 4, Report.format(y)));
        }
        // x ticks: every size present
        for (double x : xs) {
            double xx = px.applyAsDouble(x);
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e0e0e0\"/>%n", xx, TOP, xx, TOP + plotH));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    xx, TOP + plotH + 16, Report.format(x)));
        }
        sb.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
                LEFT, TOP, plotW, plotH));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + plotW / 2, HEIGHT - 14, escape(xLabel)));
        sb.append(String.format(Locale.ROOT,
                "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">%s</text>%n",
                TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));
        if (!Double.isNaN(reference)) {
            double yy = py.applyAsDouble(reference);
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#000\" stroke-dasharray=\"6 4\"/>%n",
                    LEFT, yy, LEFT + plotW, yy));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\">%s</text>%n",
                    LEFT + 6, yy - 5, escape(refLabel)));
        }
        // series and legend
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String color = COLORS[i % COLORS.length];
            String dash = i < COLORS.length ? "" : " stroke-dasharray=\"3 3\"";
            List<double[]> pts = new ArrayList<>(s.points());
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            StringBuilder line = new StringBuilder();
            for (double[] p : pts) {
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", px.applyAsDouble(p[0]), py.applyAsDouble(p[1])));
            }
            sb.append(String.format(Locale.ROOT,
                    "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    line.toString().trim(), color, dash));
            for (double[] p : pts) {
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
                        px.applyAsDouble(p[0]), py.applyAsDouble(p[1]), color));
            }
            int ly = TOP + 10 + i * 18;
            int lx = LEFT + plotW + 14;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    lx, ly, lx + 22, ly, color, dash));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 28, ly + 4,
                    escape(s.label())));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
