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
 * Inference with the 784-256-128-10 classifier ({@code Mlp.predict}): the latency of one sample
 * ({@link #latency}, µs per call) and the throughput of batches of {@value #BATCH} ({@link #throughput},
 * samples/s, secondary metric {@code samples}). Inputs cycle through {@value #SAMPLES} random samples;
 * everything is allocated in {@code @Setup}, a call allocates nothing. {@code simd-predictor} is {@code simd}
 * through the network's {@link Predictor} ({@code Mlp.predictor()}), whose weights are laid out once for the
 * GEMM instead of packed in every call (the same outputs).
 */
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class InferenceBenchmark {

    /** The network. */
    static final String NET = "784-256-128-10";
    /** The batch of {@link #throughput}. */
    static final int BATCH = 128;
    /** Samples the inputs are taken from, in turn. */
    static final int SAMPLES = 1024;

    @Param({"scalar", "simd", "simd-2t", "simd-predictor"})
    public String impl;

    private Mlp mlp;
    /** {@code simd-predictor}'s snapshot of {@link #mlp}, else null. */
    private Predictor predictor;
    private Workspace ws;
    private float[] x;
    private float[] out;
    private int inputs;
    private int oneNext;
    private int batchNext;

    @Setup
    public void setUp() {
        boolean snapshot = impl.equals("simd-predictor");
        mlp = Networks.classifier(NET, Impls.kernels(snapshot ? "simd" : impl));
        predictor = snapshot ? mlp.predictor() : null;
        ws = mlp.newWorkspace(BATCH);
        inputs = mlp.inputSize();
        x = Networks.inputs(SAMPLES, inputs, 3);
        out = new float[BATCH * mlp.outputSize()];
    }

    /** One sample through the network. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] latency() {
        int row = oneNext;
        oneNext = oneNext + 1 == SAMPLES ? 0 : oneNext + 1;
        if (predictor != null) {
            predictor.predict(x, row * inputs, 1, out, 0, ws);
        } else {
            mlp.predict(x, row * inputs, 1, out, 0, ws);
        }
        return out;
    }

    /** A batch of {@value #BATCH} samples through the network. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] throughput(SampleCounter samples) {
        int row = batchNext * BATCH;
        batchNext = batchNext + 1 == SAMPLES / BATCH ? 0 : batchNext + 1;
        if (predictor != null) {
            predictor.predict(x, row * inputs, BATCH, out, 0, ws);
        } else {
            mlp.predict(x, row * inputs, BATCH, out, 0, ws);
        }
        samples.samples += BATCH;
        return out;
    }
}
