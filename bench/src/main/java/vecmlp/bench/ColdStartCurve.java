package vecmlp.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import vecmlp.bench.report.SvgChart;

/**
 * The warm-up curve of a fresh JVM: the time of each of the first training steps (forward, backward, Adam)
 * for {@code scalar}, {@code simd} and {@code auto}, each in its own new JVM, drawn as one chart (µs per step
 * on a log scale against the step number on a log scale; steps grouped in bins that double in length, each
 * bin's mean). Not a JMH benchmark: one run, to show the shape that {@link ColdStartBenchmark} measures
 * with many forks.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar vecmlp.bench.ColdStartCurve [layers:batch] [steps] [out.svg]
 * </pre>
 * defaults {@code 64-128-10:32}, 3000 steps, {@code cold-start.svg}.
 */
public final class ColdStartCurve {

    private ColdStartCurve() {
    }

    /** Runs the three JVMs and writes the chart; with {@code --run impl net steps}, is one of them. */
    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("--run")) {
            run(args[1], args[2], Integer.parseInt(args[3]));
            return;
        }
        String net = args.length > 0 ? args[0] : "64-128-10:32";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        Path out = Path.of(args.length > 2 ? args[2] : "cold-start.svg");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<SvgChart.Series> series = new ArrayList<>();
        for (String impl : new String[] {"scalar", "simd", "auto"}) {
            Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", cp,
                    ColdStartCurve.class.getName(), "--run", impl, net, Integer.toString(steps))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<double[]> points = new ArrayList<>();
            double total = 0;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    String[] f = line.trim().split(" ");
                    double micros = Double.parseDouble(f[1]);
                    total += Double.parseDouble(f[2]);
                    points.add(new double[] {Double.parseDouble(f[0]), Math.log10(micros)});
                }
            }
            if (p.waitFor() != 0) {
                throw new IllegalStateException(impl + " run failed with exit status " + p.exitValue());
            }
            System.out.printf(Locale.ROOT, "%-6s first %d steps of %s: %.0f ms%n", impl, steps, net, total / 1e3);
            series.add(new SvgChart.Series(impl, points));
        }
        Files.writeString(out, SvgChart.render("The first " + steps + " training steps of " + net
                        + " in a fresh JVM", "step (log scale)", "log10 of µs per step", series, Double.NaN, ""),
                StandardCharsets.UTF_8);
        System.out.println("chart: " + out);
    }

    /**
     * One JVM's steps: prints, per bin of steps {@code [2^i, 2^(i+1))}, its last step, mean µs and total µs.
     * The times are kept and printed after the last step: printing between steps put the JDK's first
     * {@code printf} (its Formatter, 25–50 ms in a fresh JVM) into the bin of steps 2–3.
     */
    private static void run(String impl, String net, int steps) {
        ColdStartBenchmark state = new ColdStartBenchmark(); // the benchmark's network, optimizer and data
        state.net = net;
        state.impl = impl;
        state.setUp();
        long[] ends = new long[steps + 1];
        ends[0] = System.nanoTime();
        for (int s = 1; s <= steps; s++) {
            state.step(s - 1);
            ends[s] = System.nanoTime();
        }
        int binFirst = 1;
        for (int s = 1; s <= steps; s++) {
            if (s == steps || Integer.bitCount(s + 1) == 1) { // bins 1, 2-3, 4-7, …
                double micros = (ends[s] - ends[binFirst - 1]) / 1e3;
                System.out.printf(Locale.ROOT, "%d %.3f %.1f%n", s, micros / (s - binFirst + 1), micros);
                binFirst = s + 1;
            }
        }
    }
}
