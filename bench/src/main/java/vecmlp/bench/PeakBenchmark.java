package vecmlp.bench;

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

/**
 * The measured fp32 peak of one core: a register-only loop of independent FMAs (no loads, no stores),
 * in GFLOP/s (secondary metric {@code gflop}; one FMA = 2 FLOP per lane). {@code species=preferred} is
 * what the SIMD kernels use ({@code FloatVector.SPECIES_PREFERRED}); {@code 256} is the AVX2 width. The
 * report tool takes the best {@code preferred} score as the machine's peak when it is in the same run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class PeakBenchmark {

    /** FMA loop iterations per call: long enough to amortise the call, short enough to sample often. */
    static final int ITERATIONS = 4096;

    @Param({"preferred", "256"})
    public String species;

    private boolean preferred;
    private double gflopPerCall;
    private final float[] seed = FmaPeak.seed();

    @Setup
    public void setUp() {
        if (!species.equals("preferred") && !species.equals("256")) {
            throw new IllegalArgumentException("species must be preferred or 256: '" + species + "'");
        }
        preferred = species.equals("preferred");
        gflopPerCall = 2.0 * ITERATIONS * FmaPeak.CHAINS * FmaPeak.lanes(preferred) * 1e-9;
    }

    /** {@code 12 × 4096} vector FMAs. */
    @Benchmark
    public float fma(FlopCounter flops) {
        flops.gflop += gflopPerCall;
        return FmaPeak.run(preferred, seed, ITERATIONS);
    }
}
