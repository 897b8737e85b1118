package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecmlp.kernel.KernelTestSupport.Mat;

/**
 * The scalar twin against the SIMD kernels it stands in for: the same bits, exactly, for every kernel, over
 * shapes that take every path of the GEMM (few rows, blocked, narrow and partial panels, several depth
 * passes, the narrow last columns of a deep product, the swapped TT product, a transposed A packed whole),
 * every epilogue, every tail of the vector loops, offsets, leading dimensions larger than a row, NaN poison
 * around every output, and the SIMD side on one and on three threads. Runs with the species this machine
 * prefers and, in the {@code simd128}/{@code simd256} executions, with the narrower ones.
 */
class TwinKernelsTest {

    private static final Kernels SIMD = Kernels.simd().withThreads(1);
    private static final Kernels SIMD3 = Kernels.simd().withThreads(3);
    /** The twin past its first calls (no pieces); {@link #early()} gives one before them. */
    private static final TwinKernels TWIN = early().withoutEarlyPieces();
    private static final int L = GemmShape.L;
    private static final int NR = GemmShape.NR;

    static Stream<Arguments> gemmCases() {
        int[] ms = {1, 2, 3, 4, 5, 6, 7, 13, 49, 50};
        int[] ns = {1, L - 1, L, L + 1, NR - 1, NR, NR + 1, NR + 4, NR + 5, 2 * NR + 3};
        int[] ks = {0, 1, 3, 4, 5, 17, 64, 256, 257, 300, 513};
        List<Arguments> list = new ArrayList<>();
        Random pick = new Random(7);
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                for (int m : ms) {
                    for (int n : ns) {
                        // every (m, n) with two depths drawn from ks, so each k meets many shapes
                        list.add(Arguments.of(ta, tb, m, Math.max(1, n), ks[pick.nextInt(ks.length)]));
                        list.add(Arguments.of(ta, tb, m, Math.max(1, n), ks[pick.nextInt(ks.length)]));
                    }
                }
                list.add(Arguments.of(ta, tb, 128, 256, 784));
                list.add(Arguments.of(ta, tb, 129, 257, 783));
                list.add(Arguments.of(ta, tb, 5, 300, 10)); // a swapped TT with m > 4 and 2m ≤ k
                list.add(Arguments.of(ta, tb, 128, 10, 128)); // a narrow C, swapped (Gemm.swapsOperands)
                list.add(Arguments.of(ta, tb, 2 * L, L, 513)); // swapped with alpha 1 and beta 0 only
                list.add(Arguments.of(ta, tb, NR + 1, L, 300)); // not swapped there: a GEMV edge
                list.add(Arguments.of(ta, tb, NR + 1, L, 200)); // swapped: one depth pass, no GEMV edge
                list.add(Arguments.of(ta, tb, 1, 520, 6)); // more than one column block of the GEMV path
                // the GEMV path's sums in registers, then a vector and single columns of the block of sums
                int registerColumns = GemmSmall.REGISTER_VECTORS * L;
                list.add(Arguments.of(ta, tb, 1, 2 * registerColumns + L + 3, 257));
                list.add(Arguments.of(ta, tb, 3, registerColumns, 300));
                // with sixteen vectors of sums (AVX-512): sixteen, then eight, then the block of sums
                list.add(Arguments.of(ta, tb, 2, 24 * L + L + 3, 257));
            }
        }
        // A transposed A whose rows are a multiple of 128 floats apart is packed whole (TN 784x256x128).
        list.add(Arguments.of(Transpose.YES, Transpose.NO, 784, 256, 128));
        return list.stream();
    }

    private static final Activation[] ACTIVATIONS = {Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.1f),
        Activation.SIGMOID, Activation.TANH, Activation.SOFTMAX, Activation.elu(0.7f), Activation.SILU,
        Activation.GELU_TANH, Activation.SOFTPLUS, Activation.GELU};

    @ParameterizedTest(name = "{0}{1} m={2} n={3} k={4}")
    @MethodSource("gemmCases")
    void gemmHasTheBitsOfSimd(Transpose ta, Transpose tb, int m, int n, int k) {
        Operands o = new Operands(ta, tb, m, n, k, 31L * m + 7L * n + k);
        Mat a = o.a;
        Mat b = o.b;
        Mat c0 = o.c;
        Mat bias = o.bias;
        float[][] alphaBeta = {{1f, 0f}, {-0.5f, 0.75f}, {2f, 1f}, {0f, 2f}};
        for (float[] ab : alphaBeta) {
            same("sgemm alpha " + ab[0] + " beta " + ab[1], c0, (kernels, c) -> kernels.sgemm(ta, tb, m, n, k, ab[0], a.a, a.off, a.ld, b.a, b.off, b.ld, ab[1],
                    c.a, c.off, c.ld));
        }
        Activation act = ACTIVATIONS[(m + n + k) % ACTIVATIONS.length];
        Mat noBias = null;
        for (Mat bb : new Mat[] {bias, noBias}) {
            same("sgemmBiasActivation " + act + (bb == null ? " no bias" : " bias"), c0,
                    (kernels, c) -> kernels.sgemmBiasActivation(ta, tb, m, n, k, a.a, a.off, a.ld, b.a, b.off, b.ld,
                            bb == null ? null : bb.a, bb == null ? 0 : bb.off, act, c.a, c.off, c.ld));
        }
    }

    /**
     * A deep product with a bias, with and without ReLU (a hidden layer of 784 inputs): the last depth pass adds
     * the sums to C, then the bias ({@code TwinKernels.addToPlusBias}), where the other cases' epilogues differ.
     */
    @ParameterizedTest(name = "{0}{1} m={2} n={3} k={4}")
    @MethodSource("deepCases")
    void deepProductsWithABiasHaveTheBitsOfSimd(Transpose ta, Transpose tb, int m, int n, int k) {
        Operands o = new Operands(ta, tb, m, n, k, 17L * m + n + k);
        for (Activation act : new Activation[] {Activation.RELU, Activation.IDENTITY}) {
            same("sgemmBiasActivation " + act, o.c, (kernels, c) -> kernels.sgemmBiasActivation(ta, tb, m, n, k,
                    o.a.a, o.a.off, o.a.ld, o.b.a, o.b.off, o.b.ld, o.bias.a, o.bias.off, act, c.a, c.off, c.ld));
        }
    }

    /** op(A) m × k, op(B) k × n, C m × n and a bias of n, uniform in [-1, 1), NaN around each. */
    private static final class Operands {
        final Mat a;
        final Mat b;
        final Mat c;
        final Mat bias;

        Operands(Transpose ta, Transpose tb, int m, int n, int k, long seed) {
            Random rnd = new Random(seed);
            boolean tA = ta == Transpose.YES;
            boolean tB = tb == Transpose.YES;
            a = Mat.poisoned(tA ? k : m, tA ? m : k).fillUniform(rnd, -1f, 1f);
            b = Mat.poisoned(tB ? n : k, tB ? k : n).fillUniform(rnd, -1f, 1f);
            c = Mat.poisoned(m, n).fillUniform(rnd, -1f, 1f);
            bias = KernelTestSupport.vector(rnd, n);
        }
    }

    static Stream<Arguments> deepCases() {
        List<Arguments> list = new ArrayList<>();
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                list.add(Arguments.of(ta, tb, 128, 256, 784));
                list.add(Arguments.of(ta, tb, 33, NR + 5, 2 * GemmShape.KC + 3));
                list.add(Arguments.of(ta, tb, 7, 3, GemmShape.KC + 1));
            }
        }
        return list.stream();
    }

    /** Every activation forward and backward over rows with every tail, strided and (softmax) back to back. */
    @Test
    void activationsHaveTheBitsOfSimd() {
        Random rnd = new Random(3);
        for (Activation act : ACTIVATIONS) {
            for (int n : KernelTestSupport.SIZES) {
                for (int m : new int[] {1, 3, 40}) {
                    Mat z = Mat.poisoned(m, n).fillUniform(rnd, -30f, 30f);
                    if (n > 2) {
                        z.set(0, 1, 0f);
                        z.set(0, 2, -0f);
                    }
                    same(act + " forward " + m + "x" + n, Mat.poisoned(m, n),
                            (k, out) -> k.activationForward(act, m, n, z.a, z.off, z.ld, out.a, out.off, out.ld));
                    Mat contiguous = new Mat(m, n, 2, Math.max(1, n), 3).fillUniform(rnd, -30f, 30f);
                    same(act + " forward in place, rows back to back " + m + "x" + n, contiguous,
                            (k, out) -> k.activationForward(act, m, n, out.a, out.off, out.ld, out.a, out.off, out.ld));
                    // Activations of either sign (ReLU's derivative takes both paths) and, in the first row,
                    // the values where the SIMD code and a naive select could part: ±0, NaN, ±∞, the smallest
                    // positive float; deltas with ±0, NaN and ±∞ among them.
                    Mat s = Mat.poisoned(m, n).fillUniform(rnd, -1f, 1f);
                    Mat d = Mat.poisoned(m, n).fillUniform(rnd, -2f, 2f);
                    float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                        Float.MIN_VALUE, -Float.MIN_VALUE};
                    for (int j = 0; j < Math.min(n, special.length); j++) {
                        s.set(0, j, special[j]);
                        d.set(0, (j + 3) % n, special[j]);
                    }
                    for (Kernels k3 : new Kernels[] {SIMD, SIMD3}) {
                        Mat expected = d.copy();
                        k3.activationBackward(act, m, n, s.a, s.off, s.ld, expected.a, expected.off, expected.ld);
                        Mat actual = d.copy();
                        TWIN.activationBackward(act, m, n, s.a, s.off, s.ld, actual.a, actual.off, actual.ld);
                        assertSame(act + " backward " + m + "x" + n + " on " + k3.threads() + " threads",
                                expected.a, actual.a);
                        actual = d.copy();
                        early().activationBackward(act, m, n, s.a, s.off, s.ld, actual.a, actual.off, actual.ld);
                        assertSame(act + " backward " + m + "x" + n + ", a twin's first calls", expected.a, actual.a);
                    }
                }
            }
        }
        // A derivative large enough for the SIMD kernels to split it over threads.
        Mat s = Mat.poisoned(130, 300).fillUniform(rnd, 0f, 1f);
        Mat d = Mat.poisoned(130, 300).fillUniform(rnd, -2f, 2f);
        same("relu backward 130x300", d,
                (k, out) -> k.activationBackward(Activation.RELU, 130, 300, s.a, s.off, s.ld, out.a, out.off, out.ld));
        // A and delta contiguous at the same offset (the network's case: the twin's one-index ReLU path),
        // with the special values of A and delta among them.
        for (Activation act : new Activation[] {Activation.RELU, Activation.leakyRelu(0.1f)}) {
            for (int n : KernelTestSupport.SIZES) {
                if (n == 0) {
                    continue; // a leading dimension must be at least 1
                }
                Mat a = new Mat(3, n, 3, n, 7).fillUniform(rnd, -1f, 1f);
                Mat delta = new Mat(3, n, 3, n, 7).fillUniform(rnd, -2f, 2f);
                float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                    Float.MIN_VALUE, -Float.MIN_VALUE};
                for (int j = 0; j < Math.min(n, special.length); j++) {
                    a.set(1, j, special[j]);
                    delta.set(2, (j + 3) % n, special[j]);
                }
                same(act + " backward, contiguous at the same offset, 3x" + n, delta,
                        (k, out) -> k.activationBackward(act, 3, n, a.a, a.off, a.ld, out.a, out.off, out.ld));
            }
        }
        // A and delta at different offsets and leading dimensions (the twin's path for unequal places).
        for (Activation act : ACTIVATIONS) {
            for (int n : KernelTestSupport.SIZES) {
                Mat a = new Mat(3, n, 1, n + 2, 4).fillUniform(rnd, -1f, 1f);
                same(act + " backward, A and delta at different places, 3x" + n,
                        Mat.poisoned(3, n).fillUniform(rnd, -2f, 2f),
                        (k, out) -> k.activationBackward(act, 3, n, a.a, a.off, a.ld, out.a, out.off, out.ld));
            }
        }
    }

    @Test
    void vectorKernelsHaveTheBitsOfSimd() {
        Random rnd = new Random(5);
        int[] sizes = concat(KernelTestSupport.SIZES, new int[] {4 * L - 1, 4 * L, 4 * L + 1, 16 * L - 1, 16 * L,
            16 * L + 1, 20 * L + 3, 8192, 8193, 20000, 70001});
        for (int n : sizes) {
            Mat x = KernelTestSupport.vector(rnd, n);
            Mat y = KernelTestSupport.vector(rnd, n);
            for (Kernels k : new Kernels[] {SIMD, SIMD3}) {
                assertSameBits("dot n=" + n, k.dot(n, x.a, x.off, y.a, y.off), TWIN.dot(n, x.a, x.off, y.a, y.off));
                assertSameBits("sumOfSquares n=" + n, k.sumOfSquares(n, x.a, x.off), TWIN.sumOfSquares(n, x.a, x.off));
                assertSameBits("dot(x, x) n=" + n, k.dot(n, x.a, x.off, x.a, x.off), TWIN.dot(n, x.a, x.off, x.a, x.off));
            }
            same("axpy n=" + n, y, (k, out) -> k.axpy(n, -0.3f, x.a, x.off, out.a, out.off));
            same("scale n=" + n, y, (k, out) -> k.scale(n, 1.7f, out.a, out.off));
            for (int m : new int[] {1, 5}) {
                int cols = Math.min(n, 300);
                Mat g = Mat.poisoned(m, cols).fillUniform(rnd, -1f, 1f);
                same("columnSums " + m + "x" + cols, KernelTestSupport.vector(rnd, cols),
                        (k, out) -> k.columnSums(m, cols, g.a, g.off, g.ld, out.a, out.off));
                same("addBias " + m + "x" + cols, g,
                        (k, out) -> k.addBias(m, cols, x.a, x.off, out.a, out.off, out.ld));
            }
        }
    }

    @Test
    void optimizerStepsHaveTheBitsOfSimd() {
        Random rnd = new Random(9);
        int[] sizes = concat(KernelTestSupport.SIZES, new int[] {8192, 70001});
        for (int n : sizes) {
            Mat grad = KernelTestSupport.vector(rnd, n);
            float[] state = new float[3 * n + 2];
            for (int i = 0; i < state.length; i++) {
                state[i] = rnd.nextFloat() * 0.5f;
            }
            for (boolean flag : new boolean[] {false, true}) {
                for (Kernels k3 : new Kernels[] {SIMD, SIMD3}) {
                    float[] e = state.clone();
                    float[] t = state.clone();
                    k3.sgdStep(n, 0.1f, flag ? 0.01f : 0f, e, 1, grad.a, grad.off);
                    TWIN.sgdStep(n, 0.1f, flag ? 0.01f : 0f, t, 1, grad.a, grad.off);
                    assertSame("sgd n=" + n, e, t);
                    e = state.clone();
                    t = state.clone();
                    k3.momentumStep(n, 0.1f, 0.9f, 0.01f, flag, e, 1, grad.a, grad.off, e, 1 + n);
                    TWIN.momentumStep(n, 0.1f, 0.9f, 0.01f, flag, t, 1, grad.a, grad.off, t, 1 + n);
                    assertSame("momentum nesterov=" + flag + " n=" + n, e, t);
                    for (long step : new long[] {1, 7}) {
                        e = state.clone();
                        t = state.clone();
                        k3.adamStep(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, flag, step, e, 0, grad.a, grad.off,
                                e, n, e, 2 * n);
                        TWIN.adamStep(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, flag, step, t, 0, grad.a, grad.off,
                                t, n, t, 2 * n);
                        assertSame("adam decoupled=" + flag + " step " + step + " n=" + n, e, t);
                    }
                }
            }
        }
    }

    /** The dot product's lane sums with 16, 8 and 4 lanes against a float64 reference (a twin of any width is sound). */
    @Test
    void everyLaneCountComputesADotProduct() {
        Random rnd = new Random(11);
        for (int lanes : new int[] {4, 8, 16, 32}) {
            TwinKernels twin = new TwinKernels(lanes, lanes);
            for (int n : KernelTestSupport.SIZES) {
                Mat x = KernelTestSupport.vector(rnd, n);
                Mat y = KernelTestSupport.vector(rnd, n);
                double ref = 0;
                double abs = 0;
                for (int i = 0; i < n; i++) {
                    ref += (double) x.get(0, i) * y.get(0, i);
                    abs += Math.abs((double) x.get(0, i) * y.get(0, i));
                }
                KernelTestSupport.assertClose(ref, twin.dot(n, x.a, x.off, y.a, y.off),
                        KernelTestSupport.gamma(n) * abs, "dot with " + lanes + " lanes, n=" + n);
            }
        }
        assertEquals("simd twin (scalar loops, the bits of 8 float lanes)", new TwinKernels(8, 8).description());
    }

    /**
     * Adam over four arrays at one offset (the optimizer's case: the twin's pieces of {@code adamBody}), before
     * and after the twin's first calls.
     */
    @Test
    void adamAtOneOffsetHasTheBitsOfSimd() {
        Random rnd = new Random(5);
        for (int n : concat(KernelTestSupport.SIZES, new int[] {8192, 70001})) {
            float[][] start = new float[4][n + 5];
            for (float[] x : start) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = rnd.nextFloat() - 0.5f;
                }
            }
            for (float[] x : new float[][] {start[2], start[3]}) { // moments: m any sign, v >= 0
                for (int i = 0; i < x.length; i++) {
                    x[i] = Math.abs(x[i]);
                }
            }
            for (Kernels k : new Kernels[] {SIMD, SIMD3, early(), TWIN}) {
                float[][] e = {start[0].clone(), start[1], start[2].clone(), start[3].clone()};
                SIMD.adamStep(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, false, 3, e[0], 3, e[1], 3, e[2], 3, e[3], 3);
                float[][] t = {start[0].clone(), start[1], start[2].clone(), start[3].clone()};
                k.adamStep(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, false, 3, t[0], 3, t[1], 3, t[2], 3, t[3], 3);
                for (int x = 0; x < 4; x += 2) {
                    assertSame("adam at one offset, n=" + n + ", " + k.description() + ", array " + x, e[x], t[x]);
                }
                assertSame("adam at one offset, n=" + n + ", " + k.description() + ", v", e[3], t[3]);
            }
        }
    }

    // ------------------------------------------------------------------ machinery

    /** A twin before its first calls: the hot loops in pieces ({@code TwinKernels.early}). */
    private static TwinKernels early() {
        return new TwinKernels(SimdKernels.SPECIES.length(), GemmShape.L);
    }

    /** One kernel call on some kernels into a matrix. */
    private interface Call {
        void run(Kernels kernels, Mat out);
    }

    /**
     * Runs {@code call} with the SIMD kernels on one and on three threads and with the twin, each into its own
     * copy of {@code out}, and asserts the three arrays (poison included) are identical bit for bit.
     */
    private static void same(String what, Mat out, Call call) {
        Mat twin = out.copy();
        call.run(TWIN, twin);
        for (Kernels k : new Kernels[] {SIMD, SIMD3}) {
            Mat simd = out.copy();
            call.run(k, simd);
            assertSame(what + " (simd on " + k.threads() + " threads)", simd.a, twin.a);
        }
        Mat first = out.copy();
        call.run(early(), first);
        assertSame(what + " (a twin's first calls, in pieces)", twin.a, first.a);
    }

    private static void assertSame(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": element " + i + ": simd " + expected[i] + " (0x"
                        + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + "), twin " + actual[i] + " (0x"
                        + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + ")");
            }
        }
    }

    private static void assertSameBits(String what, float expected, float actual) {
        KernelTestSupport.assertSameBits(expected, actual, what);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
