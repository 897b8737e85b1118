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

/**
 * The non-GEMM kernels of {@link Kernels}, scalar against SIMD: time per call (ns/op).
 *
 * <p>Matrix kernels (bias add, activations, column sums) run on a {@value Matrix#ROWS} × {@code cols}
 * batch: {@code cols = 10} is the output layer of the MNIST network (8 lanes + a 2-element tail),
 * {@code 1024} and {@code 1031} show the cost of a 7-element tail on every row. Vector kernels (axpy,
 * dot, optimizer updates) run on {@code n} elements: 1024 and 1031 again, and 235 146, the parameter
 * count of 784-256-128-10, the size of one optimizer step of that network.
 *
 * <p>All inputs are made in {@code @Setup}; every result is returned or written to a buffer that the
 * next call reads. The in-place kernels (bias add, activation backward, optimizer steps, axpy) run on
 * their own output over and over: bias adds, SGD/Adam steps and axpy drift linearly and stay normal
 * floats; an activation backward multiplies {@code delta} by σ' ≤ 1 on every call, so it reaches exactly
 * zero within the first warm-up iteration (the subnormal range, where x86 is slow, is passed there) and
 * is then measured on zeros, which cost the same as any normal float.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelBenchmark {

    static float[] random(SplittableRandom random, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * (float) random.nextDouble();
        }
        return x;
    }

    /** A {@value #ROWS} × {@code cols} batch: pre-activations, activations, deltas, a bias. */
    @State(Scope.Thread)
    public static class Matrix {
        /** Rows: a mini-batch of 32. */
        public static final int ROWS = 32;

        @Param({"scalar", "simd"})
        public String impl;

        @Param({"10", "1024", "1031"})
        public int cols;

        Kernels kernels;
        float[] z;
        float[] a;
        float[] out;
        float[] delta;
        float[] bias;
        float[] sums;
        /** The activations A = σ(Z) of each kind, as a backward pass reads them. */
        float[] reluA;
        float[] leakyA;
        float[] sigmoidA;
        float[] tanhA;
        float[] softmaxA;

        @Setup
        public void setUp() {
            kernels = Impls.kernels(impl);
            SplittableRandom random = new SplittableRandom(42);
            int size = ROWS * cols;
            z = random(random, size, -4f, 4f);
            a = random(random, size, -1f, 1f);
            out = new float[size];
            delta = random(random, size, -1f, 1f);
            bias = random(random, cols, -1f, 1f);
            sums = new float[cols];
            reluA = activations(Activation.RELU);
            leakyA = activations(Activation.LEAKY_RELU);
            sigmoidA = activations(Activation.SIGMOID);
            tanhA = activations(Activation.TANH);
            softmaxA = activations(Activation.SOFTMAX);
        }

        private float[] activations(Activation act) {
            float[] result = new float[z.length];
            Kernels.scalar().activationForward(act, ROWS, cols, z, 0, cols, result, 0, cols);
            return result;
        }

        float[] forward(Activation act) {
            kernels.activationForward(act, ROWS, cols, z, 0, cols, out, 0, cols);
            return out;
        }

        float[] backward(Activation act, float[] activations) {
            kernels.activationBackward(act, ROWS, cols, activations, 0, cols, delta, 0, cols);
            return delta;
        }
    }

    /** {@code n}-element vectors and the optimizer state for {@code n} parameters. */
    @State(Scope.Thread)
    public static class Vectors {
        @Param({"scalar", "simd"})
        public String impl;

        @Param({"1024", "1031", "235146"})
        public int n;

        Kernels kernels;
        float[] x;
        float[] y;
        float[] param;
        float[] grad;
        float[] velocity;
        float[] m;
        float[] v;
        long t;

        @Setup
        public void setUp() {
            kernels = Impls.kernels(impl);
            SplittableRandom random = new SplittableRandom(42);
            x = random(random, n, -1f, 1f);
            y = random(random, n, -1f, 1f);
            param = random(random, n, -0.1f, 0.1f);
            grad = random(random, n, -1f, 1f);
            velocity = new float[n];
            m = new float[n];
            v = new float[n];
            t = 1;
        }
    }

    // ------------------------------------------------------------------ matrix kernels

    /** {@code C ← C + 1·biasᵀ}. */
    @Benchmark
    public float[] addBias(Matrix s) {
        s.kernels.addBias(Matrix.ROWS, s.cols, s.bias, 0, s.a, 0, s.cols);
        return s.a;
    }

    /** {@code sums = Σ_rows G} (the bias gradient). */
    @Benchmark
    public float[] columnSums(Matrix s) {
        s.kernels.columnSums(Matrix.ROWS, s.cols, s.delta, 0, s.cols, s.sums, 0);
        return s.sums;
    }

    @Benchmark
    public float[] reluForward(Matrix s) {
        return s.forward(Activation.RELU);
    }

    @Benchmark
    public float[] leakyReluForward(Matrix s) {
        return s.forward(Activation.LEAKY_RELU);
    }

    @Benchmark
    public float[] sigmoidForward(Matrix s) {
        return s.forward(Activation.SIGMOID);
    }

    @Benchmark
    public float[] tanhForward(Matrix s) {
        return s.forward(Activation.TANH);
    }

    /** Row-wise softmax: max, exp, sum, scale per row. */
    @Benchmark
    public float[] softmaxForward(Matrix s) {
        return s.forward(Activation.SOFTMAX);
    }

    @Benchmark
    public float[] reluBackward(Matrix s) {
        return s.backward(Activation.RELU, s.reluA);
    }

    @Benchmark
    public float[] leakyReluBackward(Matrix s) {
        return s.backward(Activation.LEAKY_RELU, s.leakyA);
    }

    @Benchmark
    public float[] sigmoidBackward(Matrix s) {
        return s.backward(Activation.SIGMOID, s.sigmoidA);
    }

    @Benchmark
    public float[] tanhBackward(Matrix s) {
        return s.backward(Activation.TANH, s.tanhA);
    }

    /** The softmax Jacobian product per row: {@code s ⊙ (delta − (delta · s))}. */
    @Benchmark
    public float[] softmaxBackward(Matrix s) {
        return s.backward(Activation.SOFTMAX, s.softmaxA);
    }

    // ------------------------------------------------------------------ vector kernels

    /** {@code y ← α·x + y}. */
    @Benchmark
    public float[] axpy(Vectors s) {
        s.kernels.axpy(s.n, 1e-3f, s.x, 0, s.y, 0);
        return s.y;
    }

    /** {@code Σ x_i y_i}. */
    @Benchmark
    public float dot(Vectors s) {
        return s.kernels.dot(s.n, s.x, 0, s.y, 0);
    }

    /** Plain SGD with weight decay. */
    @Benchmark
    public float[] sgd(Vectors s) {
        s.kernels.sgdStep(s.n, 1e-3f, 1e-4f, s.param, 0, s.grad, 0);
        return s.param;
    }

    /** SGD with Nesterov momentum 0.9. */
    @Benchmark
    public float[] momentum(Vectors s) {
        s.kernels.momentumStep(s.n, 1e-3f, 0.9f, 1e-4f, true, s.param, 0, s.grad, 0, s.velocity, 0);
        return s.param;
    }

    /** AdamW (β₁ 0.9, β₂ 0.999, ε 1e-8, decoupled weight decay 0.01). */
    @Benchmark
    public float[] adam(Vectors s) {
        s.kernels.adamStep(s.n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, s.t++, s.param, 0, s.grad, 0,
                s.m, 0, s.v, 0);
        return s.param;
    }

    /** A scan of {@code n} normal values for subnormals (the optimizers' flush, every 16th step). */
    @Benchmark
    public int flushSubnormals(Vectors s) {
        return s.kernels.flushSubnormals(s.n, s.x, 0);
    }

    /**
     * The optimizer state of 784-256-128-10 with a quarter of its parameters dead (gradient exactly zero):
     * their moments at the subnormal values where, unflushed, they stay for good ({@code m} at 2⁻¹⁴⁹, which
     * β₁ = 0.9 rounds back to itself, {@code v} at 5·2⁻¹⁴⁹ likewise for β₂ = 0.999), or flushed to zero.
     */
    @State(Scope.Thread)
    public static class DeadUnits {
        @Param({"scalar", "simd"})
        public String impl;

        @Param({"true", "false"})
        public boolean subnormal;

        static final int N = 235_146;

        Kernels kernels;
        float[] param;
        float[] grad;
        float[] m;
        float[] v;
        long t;

        @Setup
        public void setUp() {
            kernels = Impls.kernels(impl);
            SplittableRandom random = new SplittableRandom(42);
            param = random(random, N, -0.1f, 0.1f);
            grad = random(random, N, -1f, 1f);
            m = new float[N];
            v = new float[N];
            for (int i = 0; i < N; i += 4) {
                grad[i] = 0f;
                m[i] = subnormal ? Float.MIN_VALUE : 0f;
                v[i] = subnormal ? 5 * Float.MIN_VALUE : 0f;
            }
            t = 1;
        }
    }

    /** AdamW as {@link #adam} over {@link DeadUnits}: the price of subnormal moments. */
    @Benchmark
    public float[] adamDeadUnits(DeadUnits s) {
        s.kernels.adamStep(DeadUnits.N, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, s.t++, s.param, 0, s.grad, 0,
                s.m, 0, s.v, 0);
        return s.param;
    }
}
