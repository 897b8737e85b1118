package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The optimizer updates, the sum of squares and the activation derivative over ranges long enough to be
 * shared between threads ({@link ParallelElementwise}): the same bits on 1, 2 and 3 threads, at an offset,
 * with a tail shorter than a vector, and nothing written outside the range; the blocked sum of squares and
 * the derivative against float64.
 */
class ParallelElementwiseTest {

    /** Long enough to be split; not a multiple of the block or of any vector length. */
    private static final int N = 2 * ParallelElementwise.PARALLEL_MIN + 3;
    private static final int OFF = 7;
    private static final int PAD = 5;

    @BeforeAll
    static void simd() {
        assumeTrue(Kernels.isSimdAvailable(), "SIMD kernels need --add-modules jdk.incubator.vector");
    }

    private static float[] random(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] a = new float[OFF + N + PAD];
        Arrays.fill(a, Float.NaN);
        for (int i = 0; i < N; i++) {
            a[OFF + i] = (float) rnd.nextDouble(-1, 1);
        }
        return a;
    }

    /** Four arrays (param, grad, m or velocity, v) after three updates of the given kind on {@code threads}. */
    private static float[][] update(int kind, int threads) {
        Kernels k = Kernels.simd().withThreads(threads);
        float[] p = random(1);
        float[] g = random(2);
        float[] m = random(3);
        float[] v = random(4);
        for (int i = 0; i < N; i++) {
            v[OFF + i] = Math.abs(v[OFF + i]);
        }
        for (int t = 1; t <= 3; t++) {
            switch (kind) {
                case 0 -> k.sgdStep(N, 0.1f, 0.01f, p, OFF, g, OFF);
                case 1 -> k.momentumStep(N, 0.1f, 0.9f, 0.01f, true, p, OFF, g, OFF, m, OFF);
                case 2 -> k.adamStep(N, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, t, p, OFF, g, OFF, m, OFF, v, OFF);
                default -> k.adamStep(N, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, false, t, p, OFF, g, OFF, m, OFF, v, OFF);
            }
        }
        return new float[][] {p, g, m, v};
    }

    @Test
    void updatesAreBitIdenticalForAnyThreadCount() {
        String[] names = {"sgd", "nesterov", "adamW", "adam"};
        for (int kind = 0; kind < 4; kind++) {
            float[][] one = update(kind, 1);
            float[] before = random(1);
            assertTrue(before[OFF + N - 1] != one[0][OFF + N - 1] && before[OFF] != one[0][OFF],
                    names[kind] + ": the first and last parameters change");
            for (float[] a : one) {
                for (int i = 0; i < a.length; i++) {
                    if ((i < OFF || i >= OFF + N) && !Float.isNaN(a[i])) {
                        fail(names[kind] + ": wrote outside the range at " + i);
                    }
                }
            }
            for (int threads : new int[] {2, 3}) {
                float[][] many = update(kind, threads);
                for (int x = 0; x < 4; x++) {
                    for (int i = 0; i < one[x].length; i++) {
                        if (Float.floatToRawIntBits(one[x][i]) != Float.floatToRawIntBits(many[x][i])) {
                            fail(names[kind] + ", " + threads + " threads: array " + x + " differs at " + i
                                    + ": " + many[x][i] + " vs " + one[x][i]);
                        }
                    }
                }
            }
        }
    }

    /**
     * The activation derivative of a hidden layer's delta, large enough to be split by rows (128 × 300 with
     * leading dimensions 307 and 311, at offsets): the same bits on 2 and 3 threads as on 1, for every
     * activation, within a float64 evaluation of {@code delta · σ'}, and nothing written between or around
     * the rows.
     */
    @Test
    void activationBackwardIsBitIdenticalForAnyThreadCount() {
        int m = 128;
        int n = 300;
        int lda = 307;
        int ldd = 311;
        assertTrue((long) m * n >= ParallelElementwise.PARALLEL_MIN_2D, "large enough to be split");
        SplittableRandom rnd = new SplittableRandom(9);
        float[] a = new float[OFF + (m - 1) * lda + n + PAD];
        float[] delta0 = new float[OFF + (m - 1) * ldd + n + PAD];
        Arrays.fill(a, Float.NaN);
        Arrays.fill(delta0, Float.NaN);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a[OFF + i * lda + j] = (float) rnd.nextDouble(-0.5, 1); // a softmax row need not sum to 1 here
                delta0[OFF + i * ldd + j] = (float) rnd.nextDouble(-1, 1);
            }
        }
        Activation[] acts = {Activation.RELU, Activation.leakyRelu(0.1f), Activation.SIGMOID, Activation.TANH,
            Activation.SOFTMAX, Activation.elu(0.7f), Activation.SILU, Activation.GELU_TANH, Activation.SOFTPLUS,
            Activation.GELU};
        for (Activation act : acts) {
            float[] one = delta0.clone();
            Kernels.simd().withThreads(1).activationBackward(act, m, n, a, OFF, lda, one, OFF, ldd);
            for (int i = 0; i < one.length; i++) {
                int rel = i - OFF;
                boolean inside = rel >= 0 && rel / ldd < m && rel % ldd < n;
                if (!inside && !Float.isNaN(one[i])) {
                    fail(act + ": wrote outside the rows at " + i);
                }
            }
            for (int i = 0; i < m; i++) {
                double dot = 0;
                double dotAbs = 0;
                for (int j = 0; j < n; j++) {
                    dot += (double) a[OFF + i * lda + j] * delta0[OFF + i * ldd + j];
                    dotAbs += Math.abs((double) a[OFF + i * lda + j] * delta0[OFF + i * ldd + j]);
                }
                for (int j = 0; j < n; j++) {
                    double s = a[OFF + i * lda + j];
                    double d = delta0[OFF + i * ldd + j];
                    double ref;
                    double bound;
                    double u = Math.ulp(1f) / 2;
                    switch (act.kind()) {
                        case RELU: ref = s > 0 ? d : 0; bound = 0; break;
                        case LEAKY_RELU: ref = s > 0 ? d : act.slope() * d; bound = u * Math.abs(ref); break;
                        case SIGMOID: ref = d * s * (1 - s); bound = 4 * u * Math.abs(d * s) * (1 + Math.abs(s)); break;
                        case TANH: ref = d * (1 - s * s); bound = 4 * u * Math.abs(d) * (1 + s * s); break;
                        case SILU: { // a holds Z; sigmoid within 5u, then a few roundings of terms ≤ s(1 + 2|z|)
                            double sg = 1 / (1 + Math.exp(-s));
                            ref = d * sg * (1 + s * (1 - sg));
                            bound = 10 * u * Math.abs(d) * sg * (1 + 2 * Math.abs(s));
                            break;
                        }
                        case GELU_TANH: { // a holds Z; |z| ≤ 1 here, so tanh's and the factors' errors ≤ 30u
                            double c = Math.sqrt(2 / Math.PI);
                            double t = Math.tanh(c * (s + 0.044715 * s * s * s));
                            ref = d * (0.5 * (1 + t) + 0.5 * s * (1 - t * t) * c * (1 + 3 * 0.044715 * s * s));
                            bound = 30 * u * Math.abs(d);
                            break;
                        }
                        case GELU: { // a holds Z, |z| ≤ 1 here: Φ + z·φ within (10 + 4z²)u ≤ 14u of the terms' sum
                            ref = d * ReferenceMath.geluGrad(s);
                            double terms = ReferenceMath.normalCdf(s) + Math.abs(s) * Math.exp(-s * s / 2)
                                    / Math.sqrt(2 * Math.PI);
                            bound = Math.abs(d) * 14 * u * terms + 2 * u * Math.abs(ref);
                            break;
                        }
                        case SOFTPLUS: // a holds Z; sigmoid within 5u, the product u
                            ref = d / (1 + Math.exp(-s));
                            bound = 6 * u * Math.abs(ref);
                            break;
                        case ELU: // (a + α), then the product
                            ref = s > 0 ? d : d * (s + act.slope());
                            bound = 2 * u * Math.abs(d) * (Math.abs(s) + act.slope());
                            break;
                        default: // softmax: s ⊙ (d − d·s), the dot product in float: γ_n Σ|s d|
                            ref = s * (d - dot);
                            double gn = n * u / (1 - n * u);
                            bound = Math.abs(s) * (gn * dotAbs + 2 * u * (Math.abs(d) + Math.abs(dot))) + 2 * u * Math.abs(ref);
                    }
                    double got = one[OFF + i * ldd + j];
                    assertTrue(Math.abs(got - ref) <= bound + Float.MIN_NORMAL,
                            act + " (" + i + "," + j + "): " + got + " vs " + ref + " ± " + bound);
                }
            }
            for (int threads : new int[] {2, 3}) {
                float[] many = delta0.clone();
                Kernels.simd().withThreads(threads).activationBackward(act, m, n, a, OFF, lda, many, OFF, ldd);
                for (int i = 0; i < one.length; i++) {
                    if (Float.floatToRawIntBits(one[i]) != Float.floatToRawIntBits(many[i])) {
                        fail(act + ", " + threads + " threads: differs at " + i + ": " + many[i] + " vs " + one[i]);
                    }
                }
            }
        }
    }

    @Test
    void sumOfSquaresIsBitIdenticalForAnyThreadCountAndAccurate() {
        float[] x = random(5);
        float one = Kernels.simd().withThreads(1).sumOfSquares(N, x, OFF);
        for (int threads : new int[] {2, 3}) {
            assertEquals(Float.floatToRawIntBits(one),
                    Float.floatToRawIntBits(Kernels.simd().withThreads(threads).sumOfSquares(N, x, OFF)),
                    threads + " threads");
        }
        double exact = 0;
        for (int i = 0; i < N; i++) {
            exact += (double) x[OFF + i] * x[OFF + i];
        }
        // Each block's sum: at most BLOCK/(4·lanes) + 2·lanes roundings deep; then one per block: a bound of
        // γ_{BLOCK + blocks} · Σx² covers both (all terms are non-negative).
        int blocks = (N + ParallelElementwise.BLOCK - 1) / ParallelElementwise.BLOCK;
        double u = Math.ulp(1f) / 2;
        int depth = ParallelElementwise.BLOCK + blocks;
        double tol = depth * u / (1 - depth * u) * exact;
        assertTrue(Math.abs(one - exact) <= tol, one + " vs " + exact + " ± " + tol);
    }
}
