package vecmlp.bench.peers.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
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
 * The training step of {@code vecmlp.bench.TrainBenchmark} in DJL on PyTorch (libtorch from the
 * {@code pytorch-native-cpu} jar, one thread), same networks, batches, data size and unit (samples/s), so the
 * report puts it in the same table ({@code impl} column {@code djl}). A step is
 * {@code trainer.forward}, the loss, {@code GradientCollector.backward} and {@code trainer.step()} (SGD),
 * with the step's intermediate arrays freed by closing a sub-manager. The batches are made as float32
 * NDArrays in {@code @Setup}, as a data loader would have them ready. Built only with {@code -Ppeers}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector",
    "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-Dai.djl.offline=true"})
@State(Scope.Thread)
public class TrainBenchmark {

    /** Samples in the data set the batches are taken from, as in vecmlp's TrainBenchmark. */
    static final int SAMPLES = 2048;

    @Param({"784-256-128-10", "64-128-10"})
    public String net;

    @Param({"32", "128"})
    public int batch;

    @Param({"djl"})
    public String impl;

    private NDManager manager;
    private Model model;
    private Trainer trainer;
    private NDArray[] batchX;
    private NDArray[] batchY;
    private int next;

    @Setup
    public void setUp() {
        if (!impl.equals("djl")) {
            throw new IllegalArgumentException("impl must be djl: '" + impl + "'");
        }
        int[] sizes = DjlMlp.sizes(net);
        int inputs = sizes[0];
        int classes = sizes[sizes.length - 1];
        model = DjlMlp.model(net);
        trainer = DjlMlp.trainer(model, batch, inputs);
        manager = model.getNDManager().newSubManager();
        DjlMlp.describe(manager);
        SplittableRandom random = new SplittableRandom(1);
        int batches = SAMPLES / batch;
        batchX = new NDArray[batches];
        batchY = new NDArray[batches];
        for (int b = 0; b < batches; b++) {
            float[] x = new float[batch * inputs];
            long[] y = new long[batch];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextDouble();
            }
            for (int i = 0; i < batch; i++) {
                y[i] = random.nextInt(classes);
            }
            batchX[b] = manager.create(x, new Shape(batch, inputs));
            batchY[b] = manager.create(y, new Shape(batch));
        }
        next = 0;
    }

    @TearDown
    public void tearDown() {
        trainer.close();
        manager.close();
        model.close();
    }

    /** Forward, loss, backward, SGD update of one mini-batch; returns the batch's loss. */
    @Benchmark
    public float step(SampleCounter samples) {
        int b = next;
        next = next + 1 == batchX.length ? 0 : next + 1;
        float loss;
        try (NDManager step = manager.newSubManager()) {
            NDArray x = batchX[b];
            NDArray y = batchY[b];
            x.tempAttach(step);
            y.tempAttach(step);
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(new NDList(x));
                NDArray l = trainer.getLoss().evaluate(new NDList(y), predictions);
                collector.backward(l);
                loss = l.getFloat();
            }
            trainer.step();
        }
        samples.samples += batch;
        return loss;
    }
}
