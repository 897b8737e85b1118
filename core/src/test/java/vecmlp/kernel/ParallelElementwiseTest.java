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
 * The optimizer updates and the sum of squares over ranges long enough to be shared between threads
 * ({@link ParallelElementwise}): the same bits on 1, 2 and 3 threads, at an offset, with a tail shorter
 * than a vector, and nothing written outside the range; the blocked sum of squares against a float64 sum.
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
