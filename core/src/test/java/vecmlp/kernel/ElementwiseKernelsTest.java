package vecmlp.kernel;

import static vecmlp.kernel.KernelTestSupport.SIZES;
import static vecmlp.kernel.KernelTestSupport.U;
import static vecmlp.kernel.KernelTestSupport.assertClose;
import static vecmlp.kernel.KernelTestSupport.assertSameBits;
import static vecmlp.kernel.KernelTestSupport.gamma;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecmlp.kernel.KernelTestSupport.Mat;

/**
 * Every non-GEMM kernel of both implementations against a float64 reference (bounds derived in each
 * test from the operations it performs), and SIMD against scalar, over lengths that hit every tail, in
 * NaN-poisoned buffers at non-zero offsets with leading dimensions larger than a row.
 */
class ElementwiseKernelsTest {

    private static final double TINY = Float.MIN_NORMAL;

    static Stream<Arguments> implsAndSizes() {
        List<Arguments> list = new ArrayList<>();
        for (Kernels k : List.of(Kernels.scalar(), Kernels.simd())) {
            for (int n : SIZES) {
                list.add(Arguments.of(k, n));
            }
        }
        return list.stream();
    }

    private static final Activation[] ACTIVATIONS = {
        Activation.IDENTITY, Activation.RELU, Activation.LEAKY_RELU, Activation.leakyRelu(0.2f),
        Activation.SIGMOID, Activation.TANH, Activation.SOFTMAX, Activation.ELU, Activation.elu(0.5f),
        Activation.SILU, Activation.GELU_TANH, Activation.SOFTPLUS, Activation.GELU
    };

    private static final double GELU_C = Math.sqrt(2 / Math.PI);
    private static final double GELU_K = 0.044715;

    /**
     * The relative error of VectorMath's Φ and GELU (erf form): Numerical Recipes' erfcc within 2u, exp within
     * 2u, t = 1/(1 + z/2) and the products a few u, and rounding z = |x|/√2 and the exponent −z² + P(t) cost
     * about 1.5x² u (measured over 10⁷ inputs: within (10 + 4x²)·u wherever Φ(x) is a normal float); below
     * e^−87.34 the exp flushes to 0, which the callers' {@code |x|·MIN_NORMAL} terms cover.
     */
    private static double geluRelative(double x) {
        return (10 + 4 * x * x) * U;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Float64 σ(z) of one element (softmax handled per row by the caller). */
    private static double forward(Activation act, double z) {
        switch (act.kind()) {
            case IDENTITY: return z;
            case RELU: return Math.max(0, z);
            case LEAKY_RELU: return z > 0 ? z : act.slope() * z;
            case SIGMOID: return sigmoid(z);
            case TANH: return Math.tanh(z);
            case ELU: return z > 0 ? z : act.slope() * Math.expm1(z);
            case SILU: return z * sigmoid(z);
            case GELU_TANH: return 0.5 * z * (1 + Math.tanh(GELU_C * (z + GELU_K * z * z * z)));
            case SOFTPLUS: return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
            case GELU: return ReferenceMath.gelu(z);
            default: throw new AssertionError(act);
        }
    }

    /**
     * The error bound of one output element. The scalar reference rounds a float64 result once (u); the
     * SIMD kernels use VectorMath, measured within 1 ulp for exp, 1.5 ulp for tanh and 2.5 ulp for sigmoid
     * (1 ulp ≤ 2u relative): tanh ≤ 3u ≤ 4u, sigmoid ≤ 5u ≤ 6u. Softmax: exp within 2u, and rounding the
     * argument z − max costs u·|z − max| relative, the sum γ_n, the scaling u.
     */
    private static double forwardBound(Activation act, double ref, int n, double range) {
        return forwardBound(act, ref, n, range, 0);
    }

    /**
     * As above, with the input {@code z} for SiLU (sigmoid within 5u, the product u: 6u) and GELU: its inner
     * polynomial {@code w} is 4 roundings of same-sign terms (4u|w|), which moves tanh by at most that times
     * {@code 1 − t²}; tanh within 3u|t|; {@code 1 + t} one rounding; then the halving (exact) and the product (u).
     */
    private static double forwardBound(Activation act, double ref, int n, double range, double z) {
        if (act.kind() == Activation.Kind.SILU) {
            return 6 * U * Math.abs(ref) + TINY;
        }
        if (act.kind() == Activation.Kind.GELU) {
            return geluRelative(z) * Math.abs(ref) + 2 * Math.abs(z) * Float.MIN_NORMAL + TINY;
        }
        if (act.kind() == Activation.Kind.GELU_TANH) {
            double w = GELU_C * (z + GELU_K * z * z * z);
            double t = Math.tanh(w);
            double tErr = 3 * U * Math.abs(t) + 4 * U * Math.abs(w) * (1 - t * t);
            return 0.5 * Math.abs(z) * (tErr + U * Math.abs(1 + t)) + 2 * U * Math.abs(ref) + TINY;
        }
        switch (act.kind()) {
            case IDENTITY: case RELU: return 0;
            case LEAKY_RELU: return U * Math.abs(ref);
            case SIGMOID: return 6 * U * Math.abs(ref) + TINY;
            case TANH: return 4 * U * Math.abs(ref) + TINY;
            case SOFTMAX: return (6 + 2 * range + gamma(n) / U) * U * Math.abs(ref) + TINY;
            // z > 0: exact. Else (e − 1)·α with e = e^z within 2u·e, the subtraction (u|e − 1|) and the product
            // (u|ref|); e = ref/α + 1, so ≤ 2uα + 2u|ref| + u|ref| + u|ref|.
            case ELU: return ref > 0 ? 0 : 2 * U * act.slope() + 4 * U * Math.abs(ref) + TINY;
            // max(z, 0) + log1p(u), u = e^−|z|: u within 2u, u/(2 + u) two roundings, s² and the series a few u
            // each (measured ≤ 4.6u over 2·10⁷ inputs), then the sum (u of the result): ≤ 6u of the result.
            case SOFTPLUS: return 6 * U * Math.abs(ref) + TINY;
            default: throw new AssertionError(act);
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("implsAndSizes")
    void activationForwardMatchesFloat64AndScalar(Kernels k, int n) {
        Random rnd = new Random(1000 + n);
        for (Activation act : ACTIVATIONS) {
            for (int m : new int[] {1, 3}) {
                float range = act.kind() == Activation.Kind.SOFTMAX ? 20f : 30f;
                Mat z = Mat.poisoned(m, n).fillUniform(rnd, -range, range);
                if (act.kind() == Activation.Kind.SOFTMAX && n > 0) {
                    z.set(m - 1, n / 2, 1000f); // exp(1000) overflows unless the row maximum is subtracted
                }
                Mat zBefore = z.copy();
                Mat a = Mat.poisoned(m, n);
                k.activationForward(act, m, n, z.a, z.off, z.ld, a.a, a.off, a.ld);
                Mat s = Mat.poisoned(m, n);
                Kernels.scalar().activationForward(act, m, n, z.a, z.off, z.ld, s.a, s.off, s.ld);
                a.assertPoisonIntact(act + " output");
                for (int x = 0; x < z.a.length; x++) {
                    assertSameBits(zBefore.a[x], z.a[x], act + ": input changed at " + x);
                }
                for (int i = 0; i < m; i++) {
                    double[] ref = new double[n];
                    double rowRange = 0;
                    if (act.kind() == Activation.Kind.SOFTMAX) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < n; j++) {
                            max = Math.max(max, z.get(i, j));
                        }
                        double sum = 0;
                        for (int j = 0; j < n; j++) {
                            ref[j] = Math.exp(z.get(i, j) - max);
                            sum += ref[j];
                            rowRange = Math.max(rowRange, max - z.get(i, j));
                        }
                        for (int j = 0; j < n; j++) {
                            ref[j] /= sum;
                        }
                    } else {
                        for (int j = 0; j < n; j++) {
                            ref[j] = forward(act, z.get(i, j));
                        }
                    }
                    for (int j = 0; j < n; j++) {
                        String what = k + " " + act + " m=" + m + " n=" + n + " (" + i + "," + j + ")";
                        double bound = forwardBound(act, ref[j], n, rowRange, z.get(i, j));
                        assertClose(ref[j], a.get(i, j), bound, what);
                        assertClose(s.get(i, j), a.get(i, j), 2 * bound, what + " vs scalar");
                    }
                }
            }
        }
    }

    /**
     * Softmax over short rows stored back to back (leading dimension = n, the output layer's case, which the
     * SIMD kernels run as one exp pass over the whole block): the same bits as each row computed on its own,
     * out of place and in place, and within the float64 bound; nothing written outside the block.
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("implsAndSizes")
    void softmaxOfContiguousRowsMatchesRowByRow(Kernels k, int n) {
        if (n == 0) {
            return;
        }
        Random rnd = new Random(1500 + n);
        int m = 37;
        Mat z = new Mat(m, n, 3, n, 7).fillUniform(rnd, -20f, 20f);
        z.set(m / 2, n / 2, 1000f); // overflows unless the row maximum is subtracted
        Mat a = new Mat(m, n, 5, n, 7);
        k.activationForward(Activation.SOFTMAX, m, n, z.a, z.off, n, a.a, a.off, n);
        a.assertPoisonIntact("softmax block");
        Mat inPlace = z.copy();
        k.activationForward(Activation.SOFTMAX, m, n, inPlace.a, inPlace.off, n, inPlace.a, inPlace.off, n);
        inPlace.assertPoisonIntact("softmax block in place");
        float[] row = new float[n];
        for (int i = 0; i < m; i++) {
            k.activationForward(Activation.SOFTMAX, 1, n, z.a, z.off + i * n, n, row, 0, n);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, z.get(i, j));
            }
            double sum = 0;
            double rowRange = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(z.get(i, j) - max);
                rowRange = Math.max(rowRange, max - z.get(i, j));
            }
            for (int j = 0; j < n; j++) {
                String what = k + " softmax block m=" + m + " n=" + n + " (" + i + "," + j + ")";
                assertSameBits(row[j], a.get(i, j), what + " vs its row alone");
                assertSameBits(row[j], inPlace.get(i, j), what + " in place vs its row alone");
                double ref = Math.exp(z.get(i, j) - max) / sum;
                assertClose(ref, a.get(i, j), forwardBound(Activation.SOFTMAX, ref, n, rowRange), what);
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("implsAndSizes")
    void activationForwardInPlace(Kernels k, int n) {
        Random rnd = new Random(77 + n);
        for (Activation act : ACTIVATIONS) {
            Mat z = Mat.poisoned(2, n).fillUniform(rnd, -5f, 5f);
            Mat expected = Mat.poisoned(2, n);
            k.activationForward(act, 2, n, z.a, z.off, z.ld, expected.a, expected.off, expected.ld);
            k.activationForward(act, 2, n, z.a, z.off, z.ld, z.a, z.off, z.ld);
            z.assertPoisonIntact(act + " in place");
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < n; j++) {
                    assertSameBits(expected.get(i, j), z.get(i, j), act + " in place (" + i + "," + j + ")");
                }
            }
        }
    }

    /** σ'(z) from a = σ(z), in float64. */
    private static double derivative(Activation act, double a) {
        switch (act.kind()) {
            case IDENTITY: return 1;
            case RELU: return a > 0 ? 1 : 0;
            case LEAKY_RELU: return a > 0 ? 1 : act.slope();
            case SIGMOID: return a * (1 - a);
            case TANH: return 1 - a * a;
            case ELU: return a > 0 ? 1 : a + act.slope();
            case SILU: { // from z
                double s = sigmoid(a);
                return s * (1 + a * (1 - s));
            }
            case GELU_TANH: { // from z
                double t = Math.tanh(GELU_C * (a + GELU_K * a * a * a));
                return 0.5 * (1 + t) + 0.5 * a * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * a * a);
            }
            case SOFTPLUS: return sigmoid(a); // from z
            case GELU: return ReferenceMath.geluGrad(a); // from z
            default: throw new AssertionError(act);
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("implsAndSizes")
    void activationBackwardMatchesFloat64AndScalar(Kernels k, int n) {
        Random rnd = new Random(2000 + n);
        for (Activation act : ACTIVATIONS) {
            int m = 3;
            Mat z = Mat.poisoned(m, n).fillUniform(rnd, -4f, 4f);
            Mat a = Mat.poisoned(m, n);
            Kernels.scalar().activationForward(act, m, n, z.a, z.off, z.ld, a.a, a.off, a.ld);
            if (act.needsPreactivation()) {
                a = z; // SiLU, GELU: σ' from Z
            }
            Mat delta = Mat.poisoned(m, n).fillUniform(rnd, -1f, 1f);
            Mat d0 = delta.copy();
            Mat ds = delta.copy();
            k.activationBackward(act, m, n, a.a, a.off, a.ld, delta.a, delta.off, delta.ld);
            Kernels.scalar().activationBackward(act, m, n, a.a, a.off, a.ld, ds.a, ds.off, ds.ld);
            delta.assertPoisonIntact(act + " delta");
            for (int i = 0; i < m; i++) {
                double dot = 0;
                double dotAbs = 0;
                for (int j = 0; j < n; j++) {
                    dot += (double) d0.get(i, j) * a.get(i, j);
                    dotAbs += Math.abs((double) d0.get(i, j) * a.get(i, j));
                }
                for (int j = 0; j < n; j++) {
                    double aij = a.get(i, j);
                    double dij = d0.get(i, j);
                    double ref;
                    double bound;
                    if (act.kind() == Activation.Kind.SOFTMAX) {
                        ref = aij * (dij - dot);
                        // the row dot (γ_n), the subtraction and the product: one rounding each
                        bound = Math.abs(aij) * (gamma(n) * dotAbs + 2 * U * (Math.abs(dij) + Math.abs(dot))) + TINY;
                    } else if (act.kind() == Activation.Kind.SILU) {
                        ref = dij * derivative(act, aij);
                        // sigmoid within 5u; 1 − s (cancels as s → 1: 5u·s absolute), ·z, + 1, ·s, ·d: each u of
                        // its magnitude, all within s·(1 + 2|z|) of the terms
                        double sg = sigmoid(aij);
                        bound = Math.abs(dij) * 10 * U * sg * (1 + 2 * Math.abs(aij)) + TINY;
                    } else if (act.kind() == Activation.Kind.GELU_TANH) {
                        ref = dij * derivative(act, aij);
                        double w = GELU_C * (aij + GELU_K * aij * aij * aij);
                        double t = Math.tanh(w);
                        double tErr = 3 * U * Math.abs(t) + 4 * U * Math.abs(w) * (1 - t * t);
                        double slope = 0.5 * Math.abs(aij) * GELU_C * (1 + 3 * GELU_K * aij * aij);
                        // (1 + t)/2 moves by tErr/2 (+u); 1 − t² by 2|t|·tErr + 2u; the other factors a few u each
                        double dErr = 0.5 * (tErr + U * Math.abs(1 + t)) + slope * (2 * Math.abs(t) * tErr + 8 * U)
                                + 2 * U * Math.abs(derivative(act, aij));
                        bound = Math.abs(dij) * dErr + TINY;
                    } else if (act.kind() == Activation.Kind.GELU) {
                        ref = dij * derivative(act, aij);
                        // Φ + z·φ, each term within geluRelative of itself: the sum within that of their magnitudes
                        double terms = ReferenceMath.normalCdf(aij)
                                + Math.abs(aij) * Math.exp(-aij * aij / 2) / Math.sqrt(2 * Math.PI);
                        bound = Math.abs(dij) * (geluRelative(aij) * terms + 2 * Math.abs(aij) * Float.MIN_NORMAL)
                                + 2 * U * Math.abs(ref) + TINY;
                    } else if (act.kind() == Activation.Kind.SOFTPLUS) {
                        ref = dij * derivative(act, aij);
                        // sigmoid within 5u, the product u
                        bound = 6 * U * Math.abs(ref) + TINY;
                    } else if (act.kind() == Activation.Kind.ELU) {
                        ref = dij * derivative(act, aij);
                        // a + α (u·(|a| + α): it cancels as a → −α), then the product (u)
                        bound = Math.abs(dij) * 2 * U * (Math.abs(aij) + act.slope()) + TINY;
                    } else if (act.kind() == Activation.Kind.TANH) {
                        ref = dij * derivative(act, aij);
                        // a² (u·a²), 1 − a² (u·|1 − a²|), the product (u): cancellation makes it absolute
                        bound = Math.abs(dij) * U * (aij * aij + 3 * Math.abs(1 - aij * aij)) + TINY;
                    } else {
                        ref = dij * derivative(act, aij);
                        bound = 4 * U * Math.abs(ref) + TINY;
                    }
                    String what = k + " " + act + " n=" + n + " (" + i + "," + j + ")";
                    assertClose(ref, delta.get(i, j), bound, what);
                    assertClose(ds.get(i, j), delta.get(i, j), 2 * bound, what + " vs scalar");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("implsAndSizes")
    void addBiasAndColumnSums(Kernels k, int n) {
        Random rnd = new Random(3000 + n);
        for (int m : new int[] {0, 1, 5, 33}) {
            Mat bias = KernelTestSupport.vector(rnd, n);
            Mat c = Mat.poisoned(m, n).fillUniform(rnd, -1f, 1f);
            Mat c0 = c.copy();
            k.addBias(m, n, bias.a, bias.off, c.a, c.off, c.ld);
            c.assertPoisonIntact("addBias");
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double ref = (double) c0.get(i, j) + bias.get(0, j);
                    assertClose(ref, c.get(i, j), U * Math.abs(ref), k + " addBias (" + i + "," + j + ")");
                }
            }
            Mat sums = new Mat(1, n, 4, Math.max(1, n), 4).fill(42f);
            k.columnSums(m, n, c0.a, c0.off, c0.ld, sums.a, sums.off);
            sums.assertPoisonIntact("columnSums");
            for (int j = 0; j < n; j++) {
                double ref = 0;
                double abs = 0;
                for (int i = 0; i < m; i++) {
                    ref += c0.get(i, j);
                    abs += Math.abs(c0.get(i, j));
                }
                assertClose(ref, sums.get(0, j), gamma(m) * abs, k + " columnSums m=" + m + " j=" + j);
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("implsAndSizes")
    void vectorOps(Kernels k, int n) {
        Random rnd = new Random(4000 + n);
        Mat x = KernelTestSupport.vector(rnd, n);
        Mat y = KernelTestSupport.vector(rnd, n);
        Mat y0 = y.copy();
        float alpha = -1.75f;
        k.axpy(n, alpha, x.a, x.off, y.a, y.off);
        y.assertPoisonIntact("axpy");
        for (int i = 0; i < n; i++) {
            double ref = alpha * (double) x.get(0, i) + y0.get(0, i);
            // with or without a fused multiply-add: at most two roundings
            assertClose(ref, y.get(0, i), 2 * U * (Math.abs(alpha * x.get(0, i)) + Math.abs(y0.get(0, i))), k + " axpy " + i);
        }
        Mat s = x.copy();
        k.scale(n, alpha, s.a, s.off);
        s.assertPoisonIntact("scale");
        for (int i = 0; i < n; i++) {
            assertSameBits(alpha * x.get(0, i), s.get(0, i), k + " scale " + i); // one correctly rounded product
        }
        double dot = 0;
        double dotAbs = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            dot += (double) x.get(0, i) * y0.get(0, i);
            dotAbs += Math.abs((double) x.get(0, i) * y0.get(0, i));
            sq += (double) x.get(0, i) * x.get(0, i);
        }
        assertClose(dot, k.dot(n, x.a, x.off, y0.a, y0.off), gamma(n) * dotAbs, k + " dot");
        assertClose(sq, k.sumOfSquares(n, x.a, x.off), gamma(n) * sq, k + " sumOfSquares");
        assertClose(Kernels.scalar().dot(n, x.a, x.off, y0.a, y0.off), k.dot(n, x.a, x.off, y0.a, y0.off),
                2 * gamma(n) * dotAbs, k + " dot vs scalar");
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("implsAndSizes")
    void optimizerSteps(Kernels k, int n) {
        Random rnd = new Random(5000 + n);
        Mat grad = KernelTestSupport.vector(rnd, n);
        Mat grad0 = grad.copy();
        float lr = 0.05f;
        float wd = 0.01f;
        // SGD: p − lr·(g + wd·p): three roundings of terms bounded by |p| + lr·|g| + lr·wd·|p|
        Mat p = KernelTestSupport.vector(rnd, n);
        Mat p0 = p.copy();
        k.sgdStep(n, lr, wd, p.a, p.off, grad.a, grad.off);
        p.assertPoisonIntact("sgdStep");
        for (int i = 0; i < n; i++) {
            double pi = p0.get(0, i);
            double g = grad.get(0, i) + (double) wd * pi;
            double ref = pi - (double) lr * g;
            double scale = Math.abs(pi) + lr * (Math.abs(grad.get(0, i)) + wd * Math.abs(pi));
            assertClose(ref, p.get(0, i), 4 * U * scale, k + " sgd " + i);
        }
        for (boolean nesterov : new boolean[] {false, true}) {
            Mat q = p0.copy();
            Mat v = KernelTestSupport.vector(rnd, n);
            Mat v0 = v.copy();
            float mu = 0.9f;
            k.momentumStep(n, lr, mu, wd, nesterov, q.a, q.off, grad.a, grad.off, v.a, v.off);
            q.assertPoisonIntact("momentum param");
            v.assertPoisonIntact("momentum velocity");
            for (int i = 0; i < n; i++) {
                double pi = p0.get(0, i);
                double g = grad.get(0, i) + (double) wd * pi;
                double vi = mu * (double) v0.get(0, i) + g;
                double step = nesterov ? g + mu * vi : vi;
                double ref = pi - (double) lr * step;
                double gAbs = Math.abs(grad.get(0, i)) + wd * Math.abs(pi);
                double vAbs = mu * Math.abs(v0.get(0, i)) + gAbs;
                assertClose(vi, v.get(0, i), 4 * U * vAbs, k + " momentum velocity " + i);
                double stepAbs = nesterov ? gAbs + mu * vAbs : vAbs;
                assertClose(ref, q.get(0, i), 8 * U * (Math.abs(pi) + lr * stepAbs), k + " momentum " + nesterov + " " + i);
            }
        }
        for (boolean decoupled : new boolean[] {false, true}) {
            Mat q = p0.copy();
            Mat m1 = KernelTestSupport.vector(rnd, n);
            Mat m2 = KernelTestSupport.vector(rnd, n);
            for (int i = 0; i < n; i++) {
                m2.set(0, i, Math.abs(m2.get(0, i))); // the second moment is never negative
            }
            Mat m10 = m1.copy();
            Mat m20 = m2.copy();
            float b1 = 0.9f;
            float b2 = 0.999f;
            float eps = 1e-8f;
            long t = 3;
            k.adamStep(n, lr, b1, b2, eps, wd, decoupled, t, q.a, q.off, grad.a, grad.off, m1.a, m1.off, m2.a, m2.off);
            q.assertPoisonIntact("adam param");
            m1.assertPoisonIntact("adam m");
            m2.assertPoisonIntact("adam v");
            double bc1 = 1 - Math.pow(b1, t);
            double bc2 = 1 - Math.pow(b2, t);
            for (int i = 0; i < n; i++) {
                double pi = p0.get(0, i) * (decoupled ? 1 - (double) lr * wd : 1);
                double g = grad.get(0, i) + (decoupled ? 0 : (double) wd * pi);
                double mi = b1 * (double) m10.get(0, i) + (1 - (double) b1) * g;
                double vi = b2 * (double) m20.get(0, i) + (1 - (double) b2) * g * g;
                double step = lr * (mi / bc1) / (Math.sqrt(vi / bc2) + eps);
                double ref = pi - step;
                String what = k + " adam decoupled=" + decoupled + " " + i;
                assertClose(mi, m1.get(0, i), 4 * U * (b1 * Math.abs(m10.get(0, i)) + Math.abs(g)), what + " m");
                assertClose(vi, m2.get(0, i), 5 * U * (b2 * m20.get(0, i) + g * g), what + " v");
                // the moments (above), the square root, the division by the bias corrections (float), the
                // quotient and the subtraction: a relative error of at most 16u on the step, u on p
                assertClose(ref, q.get(0, i), 2 * U * Math.abs(pi) + 16 * U * Math.abs(step) + TINY, what);
            }
        }
        for (int x = 0; x < grad.a.length; x++) {
            assertSameBits(grad0.a[x], grad.a[x], k + " the optimizer steps must not modify grad, index " + x);
        }
    }
}
