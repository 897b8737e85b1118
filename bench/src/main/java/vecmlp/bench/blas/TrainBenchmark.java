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
 * The training step of {@code vecmlp.bench.TrainBenchmark} in {@link BlasMlp}, a plain Java MLP whose products are
 * netlib {@code sgemm} calls (OpenBLAS through JNI; run with {@code OPENBLAS_NUM_THREADS=1}): same networks, initial
 * weights, batches, data and unit (samples/s), so the report puts it in the same table ({@code impl} column
 * {@code netlib}). The setup fails unless its probabilities, loss and gradient on the first batch match vecmlp's.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class TrainBenchmark {

    /** Samples in the data set the batches are taken from, as in vecmlp's TrainBenchmark. */
    static final int SAMPLES = 2048;

    @Param({"784-256-128-10", "64-128-10"})
    public String net;

    @Param({"32", "128"})
    public int batch;

    @Param({"netlib"})
    public String impl;

    private BlasMlp mlp;
    private float[] x;
    private int[] labels;
    private int inputs;
    private int batches;
    private int next;

    @Setup
    public void setUp() {
        if (!impl.equals("netlib")) {
            throw new IllegalArgumentException("impl must be netlib: '" + impl + "'");
        }
        Mlp reference = Networks.classifier(net, Kernels.scalar());
        mlp = new BlasMlp(reference, Netlib.instance(), batch);
        inputs = reference.inputSize();
        x = Networks.inputs(SAMPLES, inputs, 1);
        labels = Networks.labels(SAMPLES, reference.outputSize(), 2);
        mlp.check(reference, x, batch, labels);
        batches = SAMPLES / batch;
        next = 0;
    }

    /** Forward, backward, SGD update of one mini-batch; returns the batch's loss. */
    @Benchmark
    public float step(SampleCounter samples) {
        int row = next * batch;
        next = next + 1 == batches ? 0 : next + 1;
        float loss = mlp.computeGradient(x, row * inputs, batch, labels, row);
        mlp.sgdStep(0.01f);
        samples.samples += batch;
        return loss;
    }
}
