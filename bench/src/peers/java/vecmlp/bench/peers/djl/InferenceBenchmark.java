package vecmlp.bench.peers.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import vecmlp.bench.peers.PeerInference;

/**
 * {@code vecmlp.bench.InferenceBenchmark} in DJL on PyTorch (one thread): the 784-256-128-10 classifier's
 * softmax output for one sample ({@link #latency}, µs) and for batches of 128 ({@link #throughput},
 * samples/s), each call from a Java {@code float[]} to a Java {@code float[]} (NDArray in, forward without
 * gradients, softmax, copy out), as {@code Mlp.predict} does. {@code impl} column {@code djl}.
 */
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector",
    "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-Dai.djl.offline=true"})
@State(Scope.Thread)
public class InferenceBenchmark extends PeerInference {

    @Param({"djl"})
    public String impl;

    private Model model;
    private Trainer trainer;
    private Block block;
    private ParameterStore parameters;
    private NDManager manager;

    @Setup
    public void setUp() {
        if (!impl.equals("djl")) {
            throw new IllegalArgumentException("impl must be djl: '" + impl + "'");
        }
        model = DjlMlp.model(NET);
        trainer = DjlMlp.trainer(model, BATCH, INPUTS);
        block = model.getBlock();
        manager = model.getNDManager().newSubManager();
        parameters = new ParameterStore(manager, false);
        DjlMlp.describe(manager);
        makeInputs();
    }

    @TearDown
    public void tearDown() {
        trainer.close();
        manager.close();
        model.close();
    }

    @Override
    protected float[] predict(float[] x, int rows) {
        try (NDManager call = manager.newSubManager()) {
            NDArray in = call.create(x, new Shape(rows, INPUTS));
            NDArray logits = block.forward(parameters, new NDList(in), false).singletonOrThrow();
            return logits.softmax(-1).toFloatArray();
        }
    }
}
