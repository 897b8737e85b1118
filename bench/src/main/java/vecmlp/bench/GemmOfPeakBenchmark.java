package vecmlp.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vecmlp.kernel.Kernels;

/**
 * The GEMM's speed as a fraction of the core's FMA peak measured at the same moment, for machines whose
 * speed drifts (a shared host: on the 2-vCPU Intel machine, {@link PeakBenchmark}'s register-only FMA loop
 * itself ran at 77–137 GFLOP/s from one second to the next, with no recompilation to blame). Each call runs
 * one product, then {@link FmaPeak}'s loop for half the product's FLOPs, timing each; the secondary metrics
 * are, per iteration, {@code gemmGflops} and {@code peakGflops} (each over its own time) and {@code ofPeak},
 * their ratio, which a drift that slows both alike leaves unchanged. One thread; {@code impl} is
 * {@code simd} (vecmlp's kernels) or {@code netlib} (the system BLAS, e.g. OpenBLAS; see
 * {@link GemmBenchmark}). The primary score (calls per second) mixes both parts: read the secondary ones.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar GemmOfPeakBenchmark -p impl=simd -p gemm=NN:1024x1024x1024 -f 10 -i 10
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class GemmOfPeakBenchmark {

    @Param({"simd", "netlib"})
    public String impl;

    @Param({"NN:1024x1024x1024", "NN:128x256x784", "TN:784x256x128", "NT:128x784x256"})
    public String gemm;

    private GemmCall product;
    private int peakIterations;
    private double peakGflopPerCall;
    private final float[] seed = FmaPeak.seed();

    /**
     * The two timings of an iteration. JMH divides a counter of type {@code OPERATIONS} by the iteration's
     * time; each metric here returns its value times the time this iteration's calls took (from the first
     * call's start to the last call's end, within a call of JMH's own interval), so that JMH reports the value.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Ratio {
        long gemmNanos;
        long peakNanos;
        double gemmGflop;
        double peakGflop;
        long first;
        long last;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            gemmNanos = 0;
            peakNanos = 0;
            gemmGflop = 0;
            peakGflop = 0;
            first = 0;
            last = 0;
        }

        /** The GEMM's GFLOP/s over the time of its calls. */
        public double gemmGflops() {
            return perIteration(gemmNanos == 0 ? 0 : gemmGflop / (gemmNanos * 1e-9));
        }

        /** The FMA loop's GFLOP/s over the time of its calls. */
        public double peakGflops() {
            return perIteration(peakNanos == 0 ? 0 : peakGflop / (peakNanos * 1e-9));
        }

        /** {@link #gemmGflops} over {@link #peakGflops}. */
        public double ofPeak() {
            return gemmNanos == 0 || peakGflop == 0 ? 0
                    : perIteration((gemmGflop / gemmNanos) / (peakGflop / peakNanos));
        }

        private double perIteration(double value) {
            return value * ((last - first) * 1e-9);
        }
    }

    @Setup
    public void setUp() {
        switch (impl) {
            case "simd":
                product = new GemmCall(gemm, Kernels.simd().withThreads(1), null);
                break;
            case "netlib":
                product = new GemmCall(gemm, null, vecmlp.bench.blas.Netlib.instance());
                break;
            default:
                throw new IllegalArgumentException("impl must be simd or netlib: '" + impl + "'");
        }
        double flopPerIteration = 2.0 * FmaPeak.CHAINS * FmaPeak.lanes(true);
        peakIterations = (int) Math.max(1, Math.round(product.gflop * 1e9 / 2 / flopPerIteration));
        peakGflopPerCall = peakIterations * flopPerIteration * 1e-9;
    }

    /** One product, then the FMA loop for half its FLOPs (about as long, at half the peak), each timed. */
    @Benchmark
    public float call(Ratio ratio) {
        long t0 = System.nanoTime();
        float[] c = product.run();
        long t1 = System.nanoTime();
        float peak = FmaPeak.run(true, seed, peakIterations);
        long t2 = System.nanoTime();
        if (ratio.first == 0) {
            ratio.first = t0;
        }
        ratio.last = t2;
        ratio.gemmNanos += t1 - t0;
        ratio.peakNanos += t2 - t1;
        ratio.gemmGflop += product.gflop;
        ratio.peakGflop += peakGflopPerCall;
        return c[0] + peak;
    }
}
