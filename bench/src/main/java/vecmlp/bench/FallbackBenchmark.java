package vecmlp.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * One training step (64-128-10, batch 32, Adam; forward, backward, update) once warm, with {@code auto}
 * (what {@code Kernels.get()} chooses for the JVM), {@code simd} (the Vector API kernels, unguarded) and
 * {@code scalar}, on JVMs whose flags model those where the Vector API does not become vector instructions.
 * Run one JVM with {@code -jvmArgsAppend}, e.g.
 * <pre>
 * java -jar benchmarks.jar FallbackBenchmark -jvmArgsAppend "--add-modules jdk.incubator.vector -XX:TieredStopAtLevel=1"
 * </pre>
 * or every JVM of {@link #JVMS}, with a table of {@code auto} against the faster of the other two, by
 * <pre>
 * java -cp benchmarks.jar vecmlp.bench.FallbackBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class FallbackBenchmark {

    /** The JVM flags of the table: the default, C1 only, no FMA, SSE only (no FMA), AVX2. */
    static final String[] JVMS = {"", "-XX:TieredStopAtLevel=1", "-XX:-UseFMA", "-XX:UseAVX=0", "-XX:UseAVX=2"};

    @Param({"auto", "simd", "scalar"})
    public String impl;

    private final ColdStartBenchmark run = new ColdStartBenchmark();
    private int s;

    @Setup
    public void setUp() {
        run.net = "64-128-10:32";
        run.impl = impl;
        run.setUp();
    }

    /** One training step. */
    @Benchmark
    public float step() {
        return run.step(s++);
    }

    /** Runs the benchmark on every JVM of {@link #JVMS} and prints the table (µs per step). */
    public static void main(String[] args) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String flags : JVMS) {
            List<String> jvmArgs = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector"));
            if (!flags.isEmpty()) {
                jvmArgs.add(flags);
            }
            Collection<RunResult> results = new Runner(new OptionsBuilder()
                    .include(FallbackBenchmark.class.getName() + ".step")
                    .jvmArgsAppend(jvmArgs.toArray(new String[0]))
                    .build()).run();
            double auto = Double.NaN;
            double simd = Double.NaN;
            double scalar = Double.NaN;
            for (RunResult r : results) {
                double score = r.getPrimaryResult().getScore();
                switch (r.getParams().getParam("impl")) {
                    case "auto":
                        auto = score;
                        break;
                    case "simd":
                        simd = score;
                        break;
                    default:
                        scalar = score;
                }
            }
            rows.add(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.2f |",
                    flags.isEmpty() ? "default" : "`" + flags + "`", auto, simd, scalar, auto / Math.min(simd, scalar)));
        }
        System.out.println("| JVM flags | auto µs/step | simd | scalar | auto / faster of simd, scalar |");
        System.out.println("|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }
}
