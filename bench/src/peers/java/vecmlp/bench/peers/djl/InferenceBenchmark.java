package vecmlp.bench.peers.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import vecmlp.bench.SampleCounter;

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
public class InferenceBenchmark {

    static final String NET = "784-256-128-10";
    static final int BATCH = 128;
    static final int SAMPLES = 1024;
    static final int INPUTS = 784;

    @Param({"djl"})
    public String impl;

    private Model model;
    private Trainer trainer;
    private Block block;
    private ParameterStore parameters;
    private NDManager manager;
    private float[][] one;
    private float[][] batches;
    private int oneNext;
    private int batchNext;

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

    @TearDown
    public void tearDown() {
        trainer.close();
        manager.close();
        model.close();
    }

    private float[] predict(float[] x, int rows) {
        try (NDManager call = manager.newSubManager()) {
            NDArray in = call.create(x, new Shape(rows, INPUTS));
            NDArray logits = block.forward(parameters, new NDList(in), false).singletonOrThrow();
            return logits.softmax(-1).toFloatArray();
        }
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
