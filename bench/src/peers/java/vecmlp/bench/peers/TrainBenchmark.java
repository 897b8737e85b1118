package vecmlp.bench.peers;

import java.util.SplittableRandom;
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
import smile.base.mlp.Layer;
import smile.base.mlp.OutputFunction;
import smile.classification.MLP;
import smile.math.TimeFunction;
import vecmlp.bench.SampleCounter;

/**
 * The training step of {@code vecmlp.bench.TrainBenchmark} in a peer library, same networks, batches and
 * unit (samples/s), so the report puts it in the same table ({@code impl} column {@code smile}):
 * Smile 3.1.1's {@code MLP} (ReLU hidden layers, softmax output with log-likelihood loss, plain SGD at
 * learning rate 0.01) and one {@code update(double[][], int[])} mini-batch step. Smile computes in
 * float64, one sample at a time (matrix-vector products through its BLAS, bytedeco's OpenBLAS here).
 * Built only with {@code -Ppeers}, into {@code benchmarks-peers.jar}.
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

    @Param({"smile"})
    public String impl;

    private MLP mlp;
    private double[][][] batchX;
    private int[][] batchY;
    private int next;

    @Setup
    public void setUp() {
        if (!impl.equals("smile")) {
            throw new IllegalArgumentException("impl must be smile: '" + impl + "'");
        }
        String[] parts = net.split("-");
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            sizes[i] = Integer.parseInt(parts[i]);
        }
        smile.base.mlp.LayerBuilder[] layers = new smile.base.mlp.LayerBuilder[sizes.length];
        layers[0] = Layer.input(sizes[0]);
        for (int l = 1; l < sizes.length - 1; l++) {
            layers[l] = Layer.rectifier(sizes[l]);
        }
        int classes = sizes[sizes.length - 1];
        layers[sizes.length - 1] = Layer.mle(classes, OutputFunction.SOFTMAX);
        mlp = new MLP(layers);
        mlp.setLearningRate(TimeFunction.constant(0.01));
        SplittableRandom random = new SplittableRandom(1);
        int batches = SAMPLES / batch;
        batchX = new double[batches][batch][sizes[0]];
        batchY = new int[batches][batch];
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < sizes[0]; j++) {
                    batchX[b][i][j] = random.nextDouble();
                }
                batchY[b][i] = random.nextInt(classes);
            }
        }
        next = 0;
    }

    /** One mini-batch SGD step. */
    @Benchmark
    public MLP step(SampleCounter samples) {
        int b = next;
        next = next + 1 == batchX.length ? 0 : next + 1;
        mlp.update(batchX[b], batchY[b]);
        samples.samples += batch;
        return mlp;
    }
}
