package vecmlp.bench.peers.dl4j;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vecmlp.bench.peers.PeerInference;

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
public class InferenceBenchmark extends PeerInference {

    @Param({"dl4j"})
    public String impl;

    private MultiLayerNetwork network;

    @Setup
    public void setUp() {
        if (!impl.equals("dl4j")) {
            throw new IllegalArgumentException("impl must be dl4j: '" + impl + "'");
        }
        Dl4jMlp.configure();
        network = Dl4jMlp.network(NET);
        makeInputs();
    }

    @Override
    protected float[] predict(float[] x, int rows) {
        return network.output(Nd4j.create(x, new long[] {rows, INPUTS}, DataType.FLOAT)).reshape(rows * 10L).toFloatVector();
    }
}
