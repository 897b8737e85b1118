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
import vecmlp.nn.Mlp;
import vecmlp.nn.Predictor;
import vecmlp.nn.Workspace;

/**
 * The latency of one {@code predict} of a small batch ({@code rows} 2, 4 and 8) of the 784-256-128-10 classifier,
 * as a service answering a few requests at once sees it, µs per call: {@code simd} through {@code Mlp.predict},
 * {@code simd-predictor} through its {@link Predictor}. Up to four rows take the few-row (GEMV) path, from five
 * the blocked GEMM. Inputs cycle through {@value #SAMPLES} random samples; a call allocates nothing.
 */
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class SmallBatchBenchmark {

    /** Samples the inputs are taken from, in turn. */
    static final int SAMPLES = 1024;

    @Param({"simd", "simd-predictor"})
    public String impl;

    @Param({"2", "4", "8"})
    public int rows;

    private Mlp mlp;
    private Predictor predictor;
    private Workspace ws;
    private float[] x;
    private float[] out;
    private int inputs;
    private int next;

    @Setup
    public void setUp() {
        if (!impl.equals("simd") && !impl.equals("simd-predictor")) {
            throw new IllegalArgumentException("impl must be simd or simd-predictor: '" + impl + "'");
        }
        mlp = Networks.classifier(InferenceBenchmark.NET, Impls.kernels("simd"));
        predictor = impl.equals("simd-predictor") ? mlp.predictor() : null;
        ws = mlp.newWorkspace(rows);
        inputs = mlp.inputSize();
        x = Networks.inputs(SAMPLES, inputs, 3);
        out = new float[rows * mlp.outputSize()];
    }

    /** One batch of {@code rows} samples through the network. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] latency() {
        int row = next;
        next = next + rows > SAMPLES - rows ? 0 : next + rows;
        if (predictor != null) {
            predictor.predict(x, row * inputs, rows, out, 0, ws);
        } else {
            mlp.predict(x, row * inputs, rows, out, 0, ws);
        }
        return out;
    }
}
