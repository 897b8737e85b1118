package vecmlp.bench;

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
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.kernel.Transpose;

/**
 * One dense layer, the first hidden layer of the MNIST network (784 → 256, ReLU), forward and backward,
 * made of the same kernel calls, in the same order, as {@code vecmlp.nn.Mlp}'s passes. In GFLOP/s
 * (secondary metric {@code gflop}), counting only the matrix products:
 * <ul>
 *   <li>forward, {@code A = relu(X·W + b)}: {@code 2·B·784·256} FLOP;</li>
 *   <li>backward, {@code dW = Xᵀ·G} (TN), {@code db = Σ_rows G}, {@code G_prev = (G·Wᵀ) ⊙ relu'(X)} (NT):
 *       {@code 4·B·784·256} FLOP (the input is treated as the previous layer's ReLU output, as for a hidden
 *       layer, so {@code G_prev} is computed).</li>
 * </ul>
 * The bias, activation and column-sum passes are done and timed but not counted (O(B·n) against O(B·k·n)).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class LayerBenchmark {

    /** Inputs of the layer. */
    static final int IN = 784;
    /** Outputs of the layer. */
    static final int OUT = 256;

    @Param({"scalar", "simd", "simd-2t"})
    public String impl;

    @Param({"1", "32", "128"})
    public int batch;

    private Kernels kernels;
    private float[] x;
    private float[] weights;
    private float[] bias;
    private float[] a;
    private float[] delta;
    private float[] gradWeights;
    private float[] gradBias;
    private float[] deltaPrev;
    private double forwardGflop;
    private double backwardGflop;

    @Setup
    public void setUp() {
        kernels = Impls.kernels(impl);
        SplittableRandom random = new SplittableRandom(42);
        // x ≥ 0 with zeros, like a ReLU output; He-scaled weights.
        x = new float[batch * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(0f, (float) random.nextDouble(-0.5, 1.0));
        }
        float scale = (float) Math.sqrt(2.0 / IN);
        weights = KernelBenchmark.random(random, IN * OUT, -scale, scale);
        bias = KernelBenchmark.random(random, OUT, -0.1f, 0.1f);
        a = new float[batch * OUT];
        delta = KernelBenchmark.random(random, batch * OUT, -1f, 1f);
        gradWeights = new float[IN * OUT];
        gradBias = new float[OUT];
        deltaPrev = new float[batch * IN];
        forwardGflop = 2.0 * batch * IN * OUT * 1e-9;
        backwardGflop = 2 * forwardGflop;
    }

    /** {@code A = relu(X·W + 1·bᵀ)}, fused. */
    @Benchmark
    public float[] forward(FlopCounter flops) {
        kernels.sgemmBiasActivation(Transpose.NO, Transpose.NO, batch, OUT, IN, x, 0, IN, weights, 0, OUT,
                bias, 0, Activation.RELU, a, 0, OUT);
        flops.gflop += forwardGflop;
        return a;
    }

    /** {@code dW = Xᵀ·G}, {@code db = Σ_rows G}, {@code G_prev = (G·Wᵀ) ⊙ relu'(X)}. */
    @Benchmark
    public float[] backward(FlopCounter flops) {
        kernels.sgemm(Transpose.YES, Transpose.NO, IN, OUT, batch, 1f, x, 0, IN, delta, 0, OUT,
                0f, gradWeights, 0, OUT);
        kernels.columnSums(batch, OUT, delta, 0, OUT, gradBias, 0);
        kernels.sgemm(Transpose.NO, Transpose.YES, batch, IN, OUT, 1f, delta, 0, OUT, weights, 0, OUT,
                0f, deltaPrev, 0, IN);
        kernels.activationBackward(Activation.RELU, batch, IN, x, 0, IN, deltaPrev, 0, IN);
        flops.gflop += backwardGflop;
        return deltaPrev; // the other outputs are state fields too: their stores cannot be eliminated
    }
}
