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
 * {@code C = op(A)·op(B)} (alpha 1, beta 0) of {@link Kernels#sgemm}: the scalar reference, the SIMD GEMM on
 * one thread and on every processor, and a peer, netlib's {@code BLAS.getInstance()} ({@code dev.ludovic.netlib}:
 * the system OpenBLAS through JNI when {@code libblas.so.3} loads, else its pure-Java port; the fork prints
 * which one ran). Run the peer single-threaded with {@code OPENBLAS_NUM_THREADS=1} in the environment.
 *
 * <p>The score is calls per second; the secondary metric {@code gflops} counts {@code 2·m·n·k / 10⁹} per call,
 * so its per-second rate is GFLOP/s. The {@code gemm} parameter is {@code TRANSPOSES:MxNxK}: the three
 * products of an MLP layer at batch 128 in 784-256 (forward {@code NN 128×256×784}, {@code dW = Aᵀ·G} as
 * {@code TN 784×256×128}, {@code G·Wᵀ} as {@code NT 128×784×256}), squares, awkward sizes one off every block
 * multiple (127×255×781 and 129×257×783 in all four transposes), the four transposes at 1024, and batch-1
 * and batch-16 inference. The scalar reference is too slow for products over 128·256·784 multiply-adds: those
 * configurations fail in setup on purpose ("skipped").
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Two one-second warm-up iterations (C2 must compile the Vector API kernels first) and three of 500 ms
// measured keep a default run of the whole suite near 10 minutes; the published tables pass -wi/-i/-r.
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class GemmBenchmark {

    /** Products above this many multiply-adds are not run for the scalar reference. */
    static final long SCALAR_MAX_WORK = 128L * 256 * 784;

    @Param({"scalar", "simd", "simdAll", "netlib"})
    public String impl;

    @Param({"NN:128x256x784", "TN:784x256x128", "NT:128x784x256",
            "NN:64x64x64", "NN:128x128x128", "NN:256x256x256", "NN:512x512x512", "NN:1024x1024x1024",
            "NT:1024x1024x1024", "TN:1024x1024x1024", "TT:1024x1024x1024",
            "NN:127x255x781", "NN:129x257x783", "TT:127x255x781", "NT:129x783x257",
            "NT:127x255x781", "TN:127x255x781", "NT:129x257x783", "TN:129x257x783", "TT:129x257x783",
            "NN:1x256x784", "NT:1x784x256", "NN:16x256x784"})
    public String gemm;

    GemmCall call;

    /** The secondary metric: GFLOP per call, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
        }
    }

    @Setup
    public void setUp() {
        switch (impl) {
            case "scalar":
                call = new GemmCall(gemm, Kernels.scalar(), null);
                if ((long) call.m * call.n * call.k > SCALAR_MAX_WORK) {
                    throw new IllegalStateException("skipped: the scalar reference is too slow for " + gemm);
                }
                break;
            case "simd":
                call = new GemmCall(gemm, Kernels.simd().withThreads(1), null);
                break;
            case "simdAll":
                call = new GemmCall(gemm, Kernels.simd().withThreads(Runtime.getRuntime().availableProcessors()), null);
                break;
            case "netlib":
                call = new GemmCall(gemm, null, vecmlp.bench.blas.Netlib.instance());
                break;
            default:
                throw new IllegalArgumentException("impl must be scalar, simd, simdAll or netlib: '" + impl + "'");
        }
    }

    @Benchmark
    public float[] sgemm(Flops flops) {
        flops.gflops += call.gflop;
        return call.run();
    }
}
