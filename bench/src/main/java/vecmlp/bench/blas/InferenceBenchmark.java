package vecmlp.bench.blas;

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
import vecmlp.bench.Networks;
import vecmlp.bench.SampleCounter;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Mlp;

/**
 * {@code vecmlp.bench.InferenceBenchmark} in {@link BlasMlp} (netlib {@code sgemm}; run with
 * {@code OPENBLAS_NUM_THREADS=1}): the same 784-256-128-10 weights and inputs, batch-1 latency and batch-128
 * throughput, {@code impl} column {@code netlib}. The setup fails unless its probabilities match vecmlp's.
 */
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class InferenceBenchmark {

    /** The network, batch and sample count of vecmlp's InferenceBenchmark. */
    static final String NET = "784-256-128-10";
    static final int BATCH = 128;
    static final int SAMPLES = 1024;

    @Param({"netlib"})
    public String impl;

    private BlasMlp mlp;
    private float[] x;
    private float[] out;
    private int inputs;
    private int oneNext;
    private int batchNext;

    @Setup
    public void setUp() {
        if (!impl.equals("netlib")) {
            throw new IllegalArgumentException("impl must be netlib: '" + impl + "'");
        }
        Mlp reference = Networks.classifier(NET, Kernels.scalar());
        mlp = new BlasMlp(reference, Netlib.instance(), BATCH);
        inputs = reference.inputSize();
        x = Networks.inputs(SAMPLES, inputs, 3);
        out = new float[BATCH * reference.outputSize()];
        mlp.check(reference, x, BATCH, Networks.labels(BATCH, reference.outputSize(), 2));
    }

    /** One sample through the network. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] latency() {
        int row = oneNext;
        oneNext = oneNext + 1 == SAMPLES ? 0 : oneNext + 1;
        mlp.predict(x, row * inputs, 1, out);
        return out;
    }

    /** A batch of {@value #BATCH} samples through the network. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] throughput(SampleCounter samples) {
        int row = batchNext * BATCH;
        batchNext = batchNext + 1 == SAMPLES / BATCH ? 0 : batchNext + 1;
        mlp.predict(x, row * inputs, BATCH, out);
        samples.samples += BATCH;
        return out;
    }
}
