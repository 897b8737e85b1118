package vecmlp.bench.peers.dl4j;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
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
import vecmlp.bench.SampleCounter;

/**
 * {@code vecmlp.bench.InferenceBenchmark} in DeepLearning4J (one thread): the 784-256-128-10 classifier's
 * softmax output for one sample ({@link #latency}, µs) and for batches of 128 ({@link #throughput},
 * samples/s), each call from a Java {@code float[]} to a Java {@code float[]} ({@code Nd4j.create},
 * {@code MultiLayerNetwork.output}, copy out), as {@code Mlp.predict} does. {@code impl} column {@code dl4j}.
 */
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class InferenceBenchmark {

    static final String NET = "784-256-128-10";
    static final int BATCH = 128;
    static final int SAMPLES = 1024;
    static final int INPUTS = 784;

    @Param({"dl4j"})
    public String impl;

    private MultiLayerNetwork network;
    private float[][] one;
    private float[][] batches;
    private int oneNext;
    private int batchNext;

    @Setup
    public void setUp() {
        if (!impl.equals("dl4j")) {
            throw new IllegalArgumentException("impl must be dl4j: '" + impl + "'");
        }
        Dl4jMlp.configure();
        network = Dl4jMlp.network(NET);
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[SAMPLES * INPUTS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        one = new float[SAMPLES][];
        for (int r = 0; r < SAMPLES; r++) {
            one[r] = java.util.Arrays.copyOfRange(x, r * INPUTS, (r + 1) * INPUTS);
        }
        batches = new float[SAMPLES / BATCH][];
        for (int b = 0; b < batches.length; b++) {
            batches[b] = java.util.Arrays.copyOfRange(x, b * BATCH * INPUTS, (b + 1) * BATCH * INPUTS);
        }
    }

    private float[] predict(float[] x, int rows) {
        return network.output(Nd4j.create(x, new long[] {rows, INPUTS}, DataType.FLOAT)).reshape(rows * 10L).toFloatVector();
    }

    /** One sample through the network. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] latency() {
        int row = oneNext;
        oneNext = oneNext + 1 == SAMPLES ? 0 : oneNext + 1;
        return predict(one[row], 1);
    }

    /** A batch of {@value #BATCH} samples through the network. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] throughput(SampleCounter samples) {
        int b = batchNext;
        batchNext = batchNext + 1 == batches.length ? 0 : batchNext + 1;
        samples.samples += BATCH;
        return predict(batches[b], BATCH);
    }
}
