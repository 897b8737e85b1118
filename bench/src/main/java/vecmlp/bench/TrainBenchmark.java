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
import vecmlp.nn.Normalization;
import vecmlp.nn.Workspace;
import vecmlp.optim.Optimizer;

/**
 * One full training step of a classifier (ReLU hidden layers, softmax + cross-entropy): forward pass,
 * backward pass into a gradient buffer ({@code Mlp.computeGradient}), and an SGD update
 * ({@code Optimizer.step}), on a mini-batch drawn in turn from a fixed set of {@value #SAMPLES} random
 * samples (so the inputs stream through the caches as in an epoch). In samples/s (secondary metric
 * {@code samples}). Network, workspace, gradient buffer and data are made in {@code @Setup}; a step
 * allocates nothing ({@code -prof gc}). With {@code -p dropout=P}, dropout after every hidden layer (its masks
 * drawn anew each step); with {@code -p norm=batch}, batch normalization of every hidden layer.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class TrainBenchmark {

    /** Samples in the data set the batches are taken from. */
    static final int SAMPLES = 2048;

    @Param({"784-256-128-10", "64-128-10"})
    public String net;

    @Param({"32", "128"})
    public int batch;

    @Param({"scalar", "simd", "simd-2t"})
    public String impl;

    /** Dropout after every hidden layer (0: none): its cost is {@code -p dropout=0,0.2} side by side. */
    @Param({"0"})
    public float dropout;

    /** Normalization of every hidden layer: {@code none}, {@code batch} or {@code layer} ({@code -p norm=none,batch}). */
    @Param({"none"})
    public String norm;

    private Mlp mlp;
    private Optimizer sgd;
    private Workspace ws;
    private float[] grad;
    private float[] x;
    private int[] labels;
    private int inputs;
    private int batches;
    private int next;

    @Setup
    public void setUp() {
        mlp = Networks.classifier(net, Impls.kernels(impl));
        if (dropout > 0f || !norm.equals("none")) {
            int layers = mlp.layerCount();
            float[] p = new float[layers];
            java.util.Arrays.fill(p, 0, layers - 1, dropout);
            Normalization[] norms = new Normalization[layers];
            java.util.Arrays.fill(norms, Normalization.valueOf(norm.toUpperCase(java.util.Locale.ROOT)));
            norms[layers - 1] = Normalization.NONE;
            float[] params = new float[(int) Mlp.parameterCount(mlp.layerSizes(), norms)];
            Mlp with = Mlp.of(mlp.layerSizes(), mlp.activations(), p, norms, mlp.loss(), params, mlp.kernels());
            for (int l = 0; l < layers; l++) { // the same W and b; γ = 1, β = 0
                int n = mlp.layer(l).outputSize();
                System.arraycopy(mlp.parameters(), mlp.weightOffset(l), params, with.weightOffset(l),
                        mlp.layer(l).weightCount() + n);
                if (with.gammaOffset(l) >= 0) {
                    java.util.Arrays.fill(params, with.gammaOffset(l), with.gammaOffset(l) + n, 1f);
                }
            }
            mlp = with;
        }
        sgd = Optimizer.sgd(0.01f).kernels(mlp.kernels());
        ws = mlp.newWorkspace(batch);
        grad = mlp.newGradients();
        inputs = mlp.inputSize();
        x = Networks.inputs(SAMPLES, inputs, 1);
        labels = Networks.labels(SAMPLES, mlp.outputSize(), 2);
        batches = SAMPLES / batch;
        next = 0;
    }

    /** Forward, backward, SGD update of one mini-batch; returns the batch's loss. */
    @Benchmark
    public float step(SampleCounter samples) {
        int row = next * batch;
        next = next + 1 == batches ? 0 : next + 1;
        float loss = mlp.computeGradient(x, row * inputs, batch, labels, row, grad, ws);
        sgd.step(mlp.parameters(), grad);
        samples.samples += batch;
        return loss;
    }
}
