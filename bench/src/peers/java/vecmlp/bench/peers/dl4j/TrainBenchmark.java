package vecmlp.bench.peers.dl4j;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * The training step of {@code vecmlp.bench.TrainBenchmark} in DeepLearning4J (ND4J CPU backend, one
 * thread), same networks, batches, data size and unit (samples/s), so the report puts it in the same table
 * ({@code impl} column {@code dl4j}). A step is {@code MultiLayerNetwork.fit(features, labels)}: one forward,
 * backward and SGD update of the mini-batch. Features and one-hot labels are float32 INDArrays made in
 * {@code @Setup}. Built only with {@code -Ppeers}.
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

    @Param({"dl4j"})
    public String impl;

    private MultiLayerNetwork network;
    private INDArray[] batchX;
    private INDArray[] batchY;
    private int next;

    @Setup
    public void setUp() {
        if (!impl.equals("dl4j")) {
            throw new IllegalArgumentException("impl must be dl4j: '" + impl + "'");
        }
        Dl4jMlp.configure();
        int[] sizes = Dl4jMlp.sizes(net);
        int inputs = sizes[0];
        int classes = sizes[sizes.length - 1];
        network = Dl4jMlp.network(net);
        SplittableRandom random = new SplittableRandom(1);
        int batches = SAMPLES / batch;
        batchX = new INDArray[batches];
        batchY = new INDArray[batches];
        for (int b = 0; b < batches; b++) {
            float[] x = new float[batch * inputs];
            float[] y = new float[batch * classes];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextDouble();
            }
            for (int i = 0; i < batch; i++) {
                y[i * classes + random.nextInt(classes)] = 1f;
            }
            batchX[b] = Nd4j.create(x, new long[] {batch, inputs}, DataType.FLOAT);
            batchY[b] = Nd4j.create(y, new long[] {batch, classes}, DataType.FLOAT);
        }
        next = 0;
    }

    /** Forward, backward, SGD update of one mini-batch; returns the network. */
    @Benchmark
    public MultiLayerNetwork step(SampleCounter samples) {
        int b = next;
        next = next + 1 == batchX.length ? 0 : next + 1;
        network.fit(batchX[b], batchY[b]);
        samples.samples += batch;
        return network;
    }
}
