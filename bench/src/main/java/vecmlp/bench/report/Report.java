package vecmlp.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a JMH result file into a Markdown report and an SVG chart.
 *
 * <pre>
 *   java -cp benchmarks.jar vecmlp.bench.report.Report result.json [out-dir]
 *        [--peak-gflops P | --clock-ghz G] [--flop-per-cycle F]
 * </pre>
 *
 * <p>Prints one Markdown table per benchmark class: a row per method and parameter point, a column per
 * {@code impl} (scalar, simd, and any peer), the SIMD/scalar speed-up, and the allocation per operation
 * of the SIMD row when the run used {@code -prof gc}. Scores are shown in their natural unit: GFLOP/s
 * when the benchmark counts FLOPs (secondary metric {@code gflop}, see {@code FlopCounter}, or the
 * GEMM FLOP count 2·m·n·k from its parameters), samples/s when it counts samples ({@code samples}), the ratio
 * {@code ofPeak} for {@code GemmOfPeakBenchmark}, JMH's own unit otherwise. A GFLOP/s cell also shows its share of the fp32 peak of the cores it ran on.
 *
 * <p>The peak per core is, in order of preference: {@code --peak-gflops}; the best
 * {@code PeakBenchmark.fma} score with {@code species=preferred} in the same file (measured); or
 * {@code --flop-per-cycle} (default 32: two FMA pipes × 8 lanes × 2 FLOP) × the clock, from
 * {@code --clock-ghz} or the highest "cpu MHz" in {@code /proc/cpuinfo}. The report says which.
 *
 * <p>Writes {@code report.md} and, when the file has GFLOP/s results over square sizes, {@code gflops.svg}
 * to {@code out-dir} (default: the directory of the result file).
 */
public final class Report {

    /** The file name of the chart in the output directory. */
    public static final String CHART = "gflops.svg";
    /** The unit of {@code GemmOfPeakBenchmark}'s ratio. */
    static final String OF_PEAK = "× the FMA peak measured alongside";
    /** The file name of the Markdown report in the output directory. */
    public static final String MARKDOWN = "report.md";

    /** The fp32 peak of one core and how it was obtained; NaN when unknown. */
    public record Peak(double gflopsPerCore, String how) {
    }

    /** A score in the unit it is shown in, with its relative error (NaN if unknown). */
    record Shown(double value, double relError, String unit) {
        boolean higherIsBetter() {
            return unit.endsWith("/s");
        }
    }

    private Report() {
    }

    /** Entry point; see the class comment. Exit status 2 on a usage error. */
    public static void main(String[] args) throws IOException {
        Path json = null;
        Path out = null;
        Double peakFlag = null;
        Double clockFlag = null;
        double flopPerCycle = 32;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            try {
                switch (a) {
                    case "--peak-gflops": peakFlag = Double.parseDouble(args[++i]); break;
                    case "--clock-ghz": clockFlag = Double.parseDouble(args[++i]); break;
                    case "--flop-per-cycle": flopPerCycle = Double.parseDouble(args[++i]); break;
                    default:
                        if (a.startsWith("--")) {
                            usage("unknown option " + a);
                        } else if (json == null) {
                            json = Path.of(a);
                        } else if (out == null) {
                            out = Path.of(a);
                        } else {
                            usage("too many arguments: " + a);
                        }
                }
            } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                usage("option " + a + " needs a number");
            }
        }
        if (json == null) {
            usage("no result file");
        }
        if (!Files.isRegularFile(json)) {
            usage("no such file: " + json);
        }
        List<BenchResult> results = BenchResult.parse(Files.readString(json, StandardCharsets.UTF_8));
        if (results.isEmpty()) {
            System.err.println("Report: " + json + " holds no results (did every benchmark fail?)");
            System.exit(1);
        }
        if (out == null) {
            Path parent = json.toAbsolutePath().getParent();
            out = parent == null ? Path.of(".") : parent;
        }
        Files.createDirectories(out);
        Peak peak = peak(results, peakFlag, clockFlag, flopPerCycle, Path.of("/proc/cpuinfo"));
        String svg = chart(results, peak);
        String md = markdown(results, peak, cpu(Path.of("/proc/cpuinfo")), svg == null ? null : CHART);
        Files.writeString(out.resolve(MARKDOWN), md, StandardCharsets.UTF_8);
        if (svg != null) {
            Files.writeString(out.resolve(CHART), svg, StandardCharsets.UTF_8);
        }
        System.out.print(md);
        System.out.println();
        System.out.println("Wrote " + out.resolve(MARKDOWN) + (svg == null ? " (no GFLOP/s-vs-size results, no chart)"
                : " and " + out.resolve(CHART)));
    }

    private static void usage(String problem) {
        System.err.println("Report: " + problem);
        System.err.println("usage: java -cp benchmarks.jar vecmlp.bench.report.Report result.json [out-dir]"
                + " [--peak-gflops P | --clock-ghz G] [--flop-per-cycle F]");
        System.exit(2);
    }

    // ------------------------------------------------------------------ peak

    /** The peak per core, by the rule in the class comment. */
    static Peak peak(List<BenchResult> results, Double peakFlag, Double clockFlag, double flopPerCycle,
                     Path cpuinfo) {
        if (peakFlag != null) {
            return new Peak(peakFlag, "given with --peak-gflops");
        }
        double measured = Double.NaN;
        for (BenchResult r : results) {
            if (r.className().equals("PeakBenchmark") && "preferred".equals(r.param("species"))) {
                Shown s = shown(r);
                if (s.unit().equals("GFLOP/s") && !(s.value() <= measured)) {
                    measured = s.value();
                }
            }
        }
        double ghz;
        String clockHow;
        if (clockFlag != null) {
            ghz = clockFlag;
            clockHow = "given with --clock-ghz";
        } else {
            ghz = cpuMhz(cpuinfo) / 1000;
            clockHow = "the highest \"cpu MHz\" in /proc/cpuinfo; a virtual machine may report its nominal clock";
        }
        double computed = flopPerCycle * ghz;
        String computedHow = String.format(Locale.ROOT, "computed: %s FLOP/cycle × %.3f GHz (%s)",
                format(flopPerCycle), ghz, clockHow);
        if (!Double.isNaN(measured)) {
            // A peak far below the computed one is a run that never reached compiled code (too short a warm-up).
            if (Double.isNaN(computed) || measured >= computed / 2) {
                return new Peak(measured, "measured by PeakBenchmark.fma (species=preferred: independent vector"
                        + " FMAs, registers only) in this run"
                        + (Double.isNaN(computed) ? "" : "; " + computedHow + " = " + format(computed)));
            }
            computedHow += "; the measured PeakBenchmark score " + format(measured)
                    + " GFLOP/s is under half of that (not warmed up?) and was ignored";
        }
        if (Double.isNaN(computed)) {
            return new Peak(Double.NaN, "unknown (no PeakBenchmark in the run, no clock): pass --peak-gflops");
        }
        return new Peak(computed, computedHow);
    }

    static double cpuMhz(Path cpuinfo) {
        double best = Double.NaN;
        for (String line : lines(cpuinfo)) {
            if (line.startsWith("cpu MHz")) {
                try {
                    double mhz = Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                    if (!(mhz <= best)) {
                        best = mhz;
                    }
                } catch (NumberFormatException ignored) {
                    // a malformed line: skip it
                }
            }
        }
        return best;
    }

    static String cpu(Path cpuinfo) {
        String model = null;
        int cpus = 0;
        for (String line : lines(cpuinfo)) {
            if (line.startsWith("model name") && model == null) {
                model = line.substring(line.indexOf(':') + 1).trim();
            }
            if (line.startsWith("processor")) {
                cpus++;
            }
        }
        return model == null ? "unknown" : model + ", " + cpus + " logical CPUs";
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    // ------------------------------------------------------------------ units

    /** The score in its natural unit (see the class comment). */
    static Shown shown(BenchResult r) {
        BenchResult.Metric ofPeak = r.secondary().get("ofPeak");
        if (ofPeak != null) {
            // GemmOfPeakBenchmark: its calls also run the FMA loop, so the GEMM's FLOPs over their time mislead
            return new Shown(ofPeak.score(), rel(ofPeak), OF_PEAK);
        }
        BenchResult.Metric gflop = r.secondary().containsKey("gflop") ? r.secondary().get("gflop")
                : r.secondary().get("gflops");
        if (gflop != null) {
            return new Shown(gflop.score() * perSecond(gflop.unit()), rel(gflop), "GFLOP/s");
        }
        BenchResult.Metric samples = r.secondary().get("samples");
        if (samples != null) {
            return new Shown(samples.score() * perSecond(samples.unit()), rel(samples), "samples/s");
        }
        BenchResult.Metric p = r.primary();
        double flop = gemmFlop(r);
        if (flop > 0) {
            double opsPerSecond = isThroughput(p.unit()) ? p.score() * perSecond(p.unit())
                    : 1 / (p.score() * secondsPerOp(p.unit()));
            if (!Double.isNaN(opsPerSecond)) {
                return new Shown(flop * opsPerSecond / 1e9, rel(p), "GFLOP/s");
            }
        }
        return new Shown(p.score(), rel(p), p.unit().replace("us/", "µs/"));
    }

    /**
     * FLOPs of one call of a GEMM benchmark (class name containing "Gemm"): 2·m·n·k from its shape
     * (see {@link #gemmShape}); 0 for anything else.
     */
    static double gemmFlop(BenchResult r) {
        if (!r.className().toLowerCase(Locale.ROOT).contains("gemm")) {
            return 0;
        }
        double[] mnk = gemmShape(r);
        return mnk == null ? 0 : 2 * mnk[0] * mnk[1] * mnk[2];
    }

    /**
     * The {@code m, n, k} of a GEMM result: from a parameter {@code gemm} of the form
     * {@code TRANSPOSES:MxNxK} ({@code NN:128x256x784}, GemmBenchmark's), from parameters {@code m, n, k},
     * or {@code size} for a square; null if none.
     */
    static double[] gemmShape(BenchResult r) {
        String gemm = r.param("gemm");
        if (gemm != null) {
            String[] dims = gemm.substring(gemm.indexOf(':') + 1).split("x");
            if (dims.length == 3) {
                double[] mnk = {num(dims[0]), num(dims[1]), num(dims[2])};
                if (mnk[0] > 0 && mnk[1] > 0 && mnk[2] > 0) {
                    return mnk;
                }
            }
        }
        double m = num(r.param("m"));
        double n = num(r.param("n"));
        double k = num(r.param("k"));
        if (m > 0 && n > 0 && k > 0) {
            return new double[] {m, n, k};
        }
        double size = num(r.param("size"));
        return size > 0 ? new double[] {size, size, size} : null;
    }

    /** The transposes of a {@code gemm} parameter ({@code NN}, {@code TN}, …), or "" if there is none. */
    static String transposes(BenchResult r) {
        String gemm = r.param("gemm");
        return gemm != null && gemm.indexOf(':') > 0 ? gemm.substring(0, gemm.indexOf(':')) : "";
    }

    private static double num(String s) {
        if (s == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double rel(BenchResult.Metric m) {
        return Math.abs(m.error() / m.score());
    }

    private static boolean isThroughput(String unit) {
        return unit.startsWith("ops/");
    }

    /** The factor from "x per {unit's time}" to "x per second": ops/ms → 1000. NaN if unknown. */
    static double perSecond(String unit) {
        String t = unit.substring(unit.indexOf('/') + 1);
        switch (t) {
            case "s": return 1;
            case "ms": return 1e3;
            case "us": case "µs": return 1e6;
            case "ns": return 1e9;
            case "min": return 1.0 / 60;
            default: return Double.NaN;
        }
    }

    /** The factor from "{unit's time}/op" to seconds per op: ns/op → 1e-9. NaN if unknown. */
    static double secondsPerOp(String unit) {
        String t = unit.substring(0, Math.max(0, unit.indexOf('/')));
        switch (t) {
            case "s": return 1;
            case "ms": return 1e-3;
            case "us": case "µs": return 1e-6;
            case "ns": return 1e-9;
            case "min": return 60;
            default: return Double.NaN;
        }
    }

    // ------------------------------------------------------------------ Markdown

    /** The whole report: a header naming the JVM, CPU and peak, then one table per benchmark class. */
    public static String markdown(List<BenchResult> results, Peak peak, String cpu, String chartFile) {
        StringBuilder sb = new StringBuilder();
        Set<String> jdks = new LinkedHashSet<>();
        Set<String> jmhs = new LinkedHashSet<>();
        Set<String> args = new LinkedHashSet<>();
        for (BenchResult r : results) {
            jdks.add(r.jdk() + " (" + r.vm() + ")");
            jmhs.add(r.jmh());
            args.add(String.join(" ", r.jvmArgs()));
        }
        sb.append("- JMH ").append(String.join(", ", jmhs)).append("; JDK ").append(String.join(", ", jdks))
                .append("\n");
        sb.append("- fork JVM arguments: `").append(String.join("` / `", args)).append("`\n");
        sb.append("- CPU (of the machine that ran the report): ").append(cpu).append("\n");
        if (results.stream().anyMatch(r -> "netlib".equals(r.param("impl")))) {
            sb.append("- netlib peer: `BLAS.getInstance()` is ").append(netlibBackend())
                    .append(" on the machine that ran the report\n");
        }
        sb.append("- fp32 peak per core: ").append(Double.isNaN(peak.gflopsPerCore()) ? "unknown"
                : format(peak.gflopsPerCore()) + " GFLOP/s").append(", ").append(peak.how()).append("\n");
        sb.append("- scores: mean ± JMH's 99.9% confidence half-width, as a % of the mean;"
                + " GFLOP/s cells show (% of the peak of the cores used); speed-up = simd over scalar"
                + " (time ratio for time per op, throughput ratio otherwise); B/op from -prof gc, ⚠ over 1 KiB"
                + " (the Vector API allocates only while C2 has not compiled the code: a warm-up too short)\n");

        Map<String, List<BenchResult>> byClass = new LinkedHashMap<>();
        for (BenchResult r : results) {
            byClass.computeIfAbsent(r.className(), c -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<BenchResult>> e : byClass.entrySet()) {
            sb.append("\n### ").append(e.getKey()).append("\n\n");
            table(sb, e.getValue(), peak);
        }
        if (chartFile != null) {
            sb.append("\n![GFLOP/s against matrix size](").append(chartFile).append(")\n");
        }
        return sb.toString();
    }

    /** Which implementation netlib picks here: JNIBLAS (system BLAS through JNI) or the Java fallback. */
    static String netlibBackend() {
        // netlib logs a warning for every implementation it could not load (VectorBLAS without the module)
        java.util.logging.Logger quiet = java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas");
        java.util.logging.Level before = quiet.getLevel();
        quiet.setLevel(java.util.logging.Level.SEVERE);
        try {
            String name = dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getName();
            if (!name.contains("JNI")) {
                return "`" + name + "` (the pure-Java fallback)";
            }
            String library = "";
            for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"}) {
                Path blas = Path.of(dir, "libblas.so.3");
                if (Files.exists(blas)) {
                    try {
                        library = ", libblas.so.3 = " + blas.toRealPath();
                    } catch (IOException e) {
                        library = ", libblas.so.3 in " + dir;
                    }
                    break;
                }
            }
            return "`" + name + "` (the system BLAS through JNI" + library + ")";
        } catch (LinkageError | RuntimeException e) {
            return "unavailable (" + e + ")";
        } finally {
            quiet.setLevel(before);
        }
    }

    private static void table(StringBuilder sb, List<BenchResult> results, Peak peak) {
        // Columns: impl values (scalar, simd first); rows: method + the other parameters.
        Set<String> impls = new LinkedHashSet<>();
        Set<String> paramNames = new LinkedHashSet<>();
        boolean alloc = false;
        for (BenchResult r : results) {
            if (r.param("impl") != null) {
                impls.add(r.param("impl"));
            }
            for (String p : r.params().keySet()) {
                if (!p.equals("impl")) {
                    paramNames.add(p);
                }
            }
            alloc |= r.secondary().containsKey("gc.alloc.rate.norm");
        }
        List<String> columns = new ArrayList<>();
        for (String first : new String[] {"scalar", "simd"}) {
            if (impls.remove(first)) {
                columns.add(first);
            }
        }
        columns.addAll(impls);
        boolean byImpl = !columns.isEmpty();
        if (!byImpl) {
            columns.add("score");
        }
        boolean speedUp = columns.contains("scalar") && columns.contains("simd");
        String allocImpl = columns.contains("simd") ? "simd" : columns.get(columns.size() - 1);

        Map<String, Map<String, BenchResult>> rows = new LinkedHashMap<>();
        for (BenchResult r : results) {
            StringBuilder key = new StringBuilder(r.method()).append('\u0000').append(r.mode());
            for (String p : paramNames) {
                key.append('\u0000').append(r.param(p));
            }
            String column = byImpl ? (r.param("impl") == null ? "score" : r.param("impl")) : "score";
            if (!columns.contains(column)) {
                columns.add(column);
            }
            rows.computeIfAbsent(key.toString(), k -> new LinkedHashMap<>()).put(column, r);
        }

        sb.append("| benchmark |");
        for (String p : paramNames) {
            sb.append(' ').append(p).append(" |");
        }
        sb.append(" unit |");
        for (String c : columns) {
            sb.append(' ').append(c).append(" |");
        }
        if (speedUp) {
            sb.append(" simd/scalar |");
        }
        if (alloc) {
            sb.append(' ').append(byImpl ? allocImpl + " " : "").append("B/op |");
        }
        sb.append("\n|---|");
        sb.append("---:|".repeat(paramNames.size())).append("---|").append("---:|".repeat(columns.size()));
        sb.append(speedUp ? "---:|" : "").append(alloc ? "---:|" : "").append("\n");

        for (Map<String, BenchResult> row : rows.values()) {
            BenchResult any = row.values().iterator().next();
            Shown unitOf = shown(any);
            sb.append("| ").append(any.method()).append(" |");
            for (String p : paramNames) {
                String v = any.param(p);
                sb.append(' ').append(v == null ? "" : v).append(" |");
            }
            sb.append(' ').append(unitOf.unit()).append(" |");
            for (String c : columns) {
                BenchResult r = row.get(c);
                sb.append(' ').append(r == null ? "" : cell(r, peak)).append(" |");
            }
            if (speedUp) {
                sb.append(' ').append(speedUp(row.get("scalar"), row.get("simd"))).append(" |");
            }
            if (alloc) {
                BenchResult r = row.get(byImpl ? allocImpl : "score");
                BenchResult.Metric m = r == null ? null : r.secondary().get("gc.alloc.rate.norm");
                // Kilobytes per op from a SIMD kernel mean boxed vectors: code C2 had not compiled yet.
                sb.append(' ').append(m == null ? "" : formatBytes(m.score()) + (m.score() > 1024 ? " ⚠" : ""))
                        .append(" |");
            }
            sb.append('\n');
        }
    }

    /** One score: {@code 123.4 ±2%}, and {@code (48%)} of the peak for GFLOP/s. */
    static String cell(BenchResult r, Peak peak) {
        Shown s = shown(r);
        StringBuilder sb = new StringBuilder(format(s.value()));
        if (!Double.isNaN(s.relError()) && !Double.isInfinite(s.relError())) {
            sb.append(" ±").append(Math.round(s.relError() * 100)).append('%');
        }
        if (s.unit().equals("GFLOP/s") && !Double.isNaN(peak.gflopsPerCore())
                && !r.className().equals("PeakBenchmark")) {
            double cores = cores(r);
            sb.append(" (").append(Math.round(100 * s.value() / (peak.gflopsPerCore() * cores))).append("%)");
        }
        return sb.toString();
    }

    /**
     * The cores a result ran on: its {@code threads} parameter, else the {@code -Nt} suffix of its
     * {@code impl} ({@code simd-2t}), else JMH's thread count.
     */
    static double cores(BenchResult r) {
        double t = num(r.param("threads"));
        if (t >= 1) {
            return t;
        }
        String impl = r.param("impl");
        if (impl != null && impl.endsWith("All")) {
            // GemmBenchmark's simdAll: every processor of the machine (assumed to be this one)
            return Runtime.getRuntime().availableProcessors();
        }
        if (impl != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("-(\\d+)t$").matcher(impl);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return Math.max(1, r.threads());
    }

    /** SIMD over scalar, as {@code 7.9×}; empty if either is missing. */
    static String speedUp(BenchResult scalar, BenchResult simd) {
        if (scalar == null || simd == null) {
            return "";
        }
        Shown a = shown(scalar);
        Shown b = shown(simd);
        if (!a.unit().equals(b.unit())) {
            return "";
        }
        double ratio = a.higherIsBetter() ? b.value() / a.value() : a.value() / b.value();
        return String.format(Locale.ROOT, ratio >= 10 ? "%.0f×" : "%.1f×", ratio);
    }

    private static String formatBytes(double bytes) {
        return bytes < 10 ? String.format(Locale.ROOT, "%.2f", bytes) : String.format(Locale.ROOT, "%.0f", bytes);
    }

    /** Three significant digits, no exponent below 10⁷: 0.0123, 1.23, 123, 12300. */
    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 1e7) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        int decimals = Math.min(6, 2 - (int) Math.floor(Math.log10(a)));
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    // ------------------------------------------------------------------ chart

    /**
     * The GFLOP/s-against-size chart of the square GEMM results ({@code size}, or {@code m = n = k}),
     * one line per implementation and remaining parameters; {@code null} if there are none.
     */
    public static String chart(List<BenchResult> results, Peak peak) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        Set<String> methods = new TreeSet<>();
        for (BenchResult r : results) {
            double size = squareSize(r);
            Shown s = shown(r);
            if (size > 0 && s.unit().equals("GFLOP/s")) {
                methods.add(r.className() + "." + r.method());
            }
        }
        for (BenchResult r : results) {
            double size = squareSize(r);
            Shown s = shown(r);
            if (!(size > 0) || !s.unit().equals("GFLOP/s")) {
                continue;
            }
            StringBuilder label = new StringBuilder();
            if (methods.size() > 1) {
                label.append(r.method()).append(' ');
            }
            label.append(r.param("impl") == null ? "" : r.param("impl")).append(' ').append(transposes(r));
            for (Map.Entry<String, String> p : r.params().entrySet()) {
                String k = p.getKey();
                if (!k.equals("impl") && !k.equals("gemm") && !k.equals("size") && !k.equals("m") && !k.equals("n")
                        && !k.equals("k")) {
                    label.append(' ').append(k).append('=').append(p.getValue());
                }
            }
            series.computeIfAbsent(label.toString().trim(), l -> new ArrayList<>()).add(new double[] {size, s.value()});
        }
        series.values().removeIf(points -> points.size() < 2); // a lone point (one transpose at one size) is no line
        if (series.isEmpty()) {
            return null;
        }
        List<SvgChart.Series> lines = new ArrayList<>();
        series.forEach((label, points) -> lines.add(new SvgChart.Series(label, points)));
        String title = "sgemm, square n × n · n × n: GFLOP/s (2n³ FLOP per call)";
        String refLabel = "fp32 peak, 1 core: " + format(peak.gflopsPerCore()) + " GFLOP/s";
        return SvgChart.render(title, "n (log scale)", "GFLOP/s", lines, peak.gflopsPerCore(), refLabel);
    }

    /** The side of a square product ({@code m = n = k}, see {@link #gemmShape}); else NaN. */
    static double squareSize(BenchResult r) {
        double[] mnk = gemmShape(r);
        return mnk != null && mnk[0] == mnk[1] && mnk[1] == mnk[2] ? mnk[0] : Double.NaN;
    }
}
