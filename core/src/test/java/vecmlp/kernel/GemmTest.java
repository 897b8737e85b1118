package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The blocked SIMD GEMM ({@link Gemm}) against a float64 reference, over shapes that cross every block
 * boundary of {@link GemmShape} (MR, NR, KC, MC, NC, each ± 1, for the species this JVM runs: the
 * surefire executions run this class with 512-, 256- and 128-bit vectors), all four transposes, non-zero
 * offsets, leading dimensions larger than a row, NaN poison around C, several alpha/beta pairs including
 * {@code beta = 0} over a C full of NaN; the small-m path; and bit-identical results for 1, 2 and 3 threads.
 *
 * <p>Bound: with {@code u = 2⁻²⁴} and {@code γ_N = N·u/(1 − N·u)}, an element is a float sum of {@code k}
 * products by FMA (k roundings), scaled by alpha and added to C once per depth pass (two roundings per pass,
 * at most {@code ⌈k/KC⌉} passes, and one when the product is scaled and added once), so
 * {@code |c − c64| ≤ γ_N · (|alpha|·Σ_p |a_ip||b_pj| + |beta·c0|)} with {@code N = k + 2·⌈k/KC⌉ + 2}
 * (Higham, §3.1). The reference is computed in double from the same float inputs.
 */
class GemmTest {

    static final double U = 0x1p-24;

    static double gamma(int n) {
        return n * U / (1 - n * U);
    }

    /** A {@code rows × cols} operand or result inside a NaN-poisoned array, at offset 5 with ld = cols + 3. */
    static final class Mat {
        final int rows;
        final int cols;
        final int off;
        final int ld;
        final float[] a;

        Mat(int rows, int cols) {
            this.rows = rows;
            this.cols = cols;
            this.off = 5;
            this.ld = cols + 3;
            this.a = new float[off + Math.max(0, rows * ld) + 4];
            java.util.Arrays.fill(a, Float.NaN);
        }

        float get(int i, int j) {
            return a[off + i * ld + j];
        }

        void set(int i, int j, float v) {
            a[off + i * ld + j] = v;
        }

        Mat fill(SplittableRandom rnd) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    set(i, j, (float) (rnd.nextDouble() * 2 - 1));
                }
            }
            return this;
        }

        Mat copy() {
            Mat c = new Mat(rows, cols);
            System.arraycopy(a, 0, c.a, 0, a.length);
            return c;
        }

        /** Every element outside the matrix is still NaN. */
        void assertPoisonIntact(String what) {
            for (int x = 0; x < a.length; x++) {
                int rel = x - off;
                boolean inside = rel >= 0 && rel / ld < rows && rel % ld < cols;
                if (!inside && !Float.isNaN(a[x])) {
                    fail(what + ": wrote outside C at array index " + x);
                }
            }
        }
    }

    /** One product: shape, transposes, alpha, beta; beta = 0 cases start from a C full of NaN. */
    record Case(Transpose ta, Transpose tb, int m, int n, int k, float alpha, float beta) {
        @Override
        public String toString() {
            return (ta == Transpose.YES ? "T" : "N") + (tb == Transpose.YES ? "T" : "N")
                    + " " + m + "x" + n + "x" + k + " alpha=" + alpha + " beta=" + beta;
        }
    }

    static final float[][] ALPHA_BETA = {{1f, 0f}, {-0.5f, 0.25f}, {2f, 1f}, {0.75f, -1.5f}};

    /** Shapes one either side of every block boundary of the species under test. */
    static Stream<Arguments> cases() {
        int mr = GemmShape.MR;
        int nr = GemmShape.NR;
        int kc = GemmShape.KC;
        int mc = GemmShape.MC;
        int nc = GemmShape.NC;
        int[][] shapes = {
            {1, 1, 1}, {1, 7, 3}, {2, 1, 5}, {Gemm.SMALL_M, 2 * nr + 3, 9}, {Gemm.SMALL_M + 1, 3, 2},
            {mr - 1, nr - 1, 7}, {mr, nr, 8}, {mr + 1, nr + 1, 9}, {2 * mr + 1, 3 * nr - 1, 33},
            {mr + 2, nr + 3, kc + 5}, {2 * mr + 2, 2 * nr, 40}, // last panels of one or two rows: GemmKernel.kernel2
            {Gemm.TT_SWAP_MAX_M, nr + 3, 2 * kc + 5}, {Gemm.TT_SWAP_MAX_M + 1, nr + 3, 2 * kc + 5}, // TT swapped or not
            {13, 29, kc - 1}, {13, 29, kc}, {13, 29, kc + 1}, {7, 2 * nr + 1, 2 * kc + 3},
            {mc - 1, nr + 2, 3}, {mc, 2 * nr, 4}, {mc + 1, nr - 3 > 0 ? nr - 3 : 1, 5}, {2 * mc + 7, 19, 11},
            {7, nc - 1, 3}, {8, nc, 2}, {9, nc + 1, 3}, {mr + 1, nc + nr + 5, 2},
            {mc + 1, 2 * nr + 1, kc + 1},
            {Gemm.B_IN_PLACE_MAX_M, 3 * nr - 2, 70}, {Gemm.B_IN_PLACE_MAX_M + 1, 3 * nr - 2, 70},
            {125, nr + 3, 40}, // a transposed A then has lda = 128: packed, not read in place
            // A read in place, then packed whole (GemmKernel.kernelPacked), around PACK_A_MIN_PANELS
            {Gemm.B_IN_PLACE_MAX_M + 1, Gemm.PACK_A_MIN_PANELS * nr - 1, 9},
            {Gemm.B_IN_PLACE_MAX_M + 1, Gemm.PACK_A_MIN_PANELS * nr, 9},
            {mc + 7, Gemm.PACK_A_MIN_PANELS * nr + 5, kc + 3},
            // Around the narrow swap (n ≤ L, m ≥ 2L; Gemm.swapsOperands), one and several depth passes
            {nr, nr / 2, 9}, {nr - 1, nr / 2, 9}, {nr, nr / 2 + 1, 9}, {3 * nr + 5, Math.max(nr / 2 - 3, 5), kc + 7},
            {128, 10, 128}, {mc + 3, nr / 2, 2 * kc + 1}, {nr + 1, nr / 2, kc + 3}, {nr + 5, nr / 2, kc + 3},
        };
        List<Arguments> out = new ArrayList<>();
        int variant = 0;
        for (int[] s : shapes) {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    float[] ab = ALPHA_BETA[variant++ % ALPHA_BETA.length];
                    out.add(Arguments.of(new Case(ta, tb, s[0], s[1], s[2], ab[0], ab[1])));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesFloat64Reference(Case c) {
        check(Kernels.simd().withThreads(1), c, 11);
    }

    @Test
    void degenerateAlphaZeroAndKZeroScaleC() {
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                check(Kernels.simd().withThreads(1), new Case(ta, tb, 9, 21, 0, 1f, 0f), 1);
                check(Kernels.simd().withThreads(1), new Case(ta, tb, 9, 21, 0, 1f, 0.5f), 2);
                check(Kernels.simd().withThreads(1), new Case(ta, tb, 9, 21, 13, 0f, -2f), 3);
                check(Kernels.simd().withThreads(1), new Case(ta, tb, 9, 21, 13, 0f, 0f), 4);
            }
        }
    }

    /**
     * {@link GemmPack#packA} against its definition, element by element: both transposes of A, with and without
     * the register transposes of full panels (whose whole-vector stores must stop short of the last panel's
     * end), depths around multiples of 16, A ending exactly at its array's end (the transposed A's vector copies
     * too), NaN poison around the panels.
     */
    @Test
    void packingAWritesItsPanelsAndNothingElse() {
        int mr = GemmShape.MR;
        GemmWorkspace ws = new GemmWorkspace();
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transpose : new boolean[] {false, true}) {
                for (int mc : new int[] {mr, 2 * mr, 2 * mr + 1, 3 * mr - 1}) {
                    for (int kc : new int[] {1, 2, 7, 15, 16, 17, 31, 32, 33, 48, 50}) {
                        int lda = (transA ? mc : kc) + 3;
                        int rowsOfA = transA ? kc : mc;
                        float[] a = new float[rowsOfA * lda]; // exactly: the last vector reads end at a's end
                        for (int i = 0; i < a.length; i++) {
                            a[i] = i + 1;
                        }
                        int panels = (mc + mr - 1) / mr;
                        int off = 5;
                        float[] pa = new float[off + panels * mr * kc + 2 * GemmShape.L];
                        java.util.Arrays.fill(pa, Float.NaN);
                        GemmPack.packA(transA, a, 0, lda, 0, 0, mc, kc, pa, off, transpose);
                        String where = (transA ? "T" : "N") + (transpose ? " transposes" : "") + " mc=" + mc + " kc="
                                + kc;
                        for (int i = 0; i < pa.length; i++) {
                            int at = i - off;
                            if (at < 0 || at >= panels * mr * kc) {
                                assertTrue(Float.isNaN(pa[i]), where + ": written outside the panels at " + i);
                                continue;
                            }
                            int q = at / (mr * kc);
                            int p = at % (mr * kc) / mr;
                            int r = q * mr + at % mr;
                            float expected = r >= mc ? 0f : a[transA ? p * lda + r : r * lda + p];
                            assertEquals(expected, pa[i], where + ": row " + r + ", depth " + p);
                        }
                    }
                }
            }
        }
    }

    /**
     * Products whose A is packed whole (more than {@link Gemm#B_IN_PLACE_MAX_M} rows, at least
     * {@link Gemm#PACK_A_MIN_PANELS} column panels), A row-major: the same bits with the packing's register
     * transposes ({@link GemmPack#transposes}) and without, and the float64 reference's, on one thread and three.
     */
    @Test
    void theRegisterTransposesOfThePackingChangeNoBit() {
        int nr = GemmShape.NR;
        boolean before = GemmPack.transposes;
        try {
            for (Transpose tb : Transpose.values()) {
                for (int[] s : new int[][] {{Gemm.B_IN_PLACE_MAX_M + 1, Gemm.PACK_A_MIN_PANELS * nr + 3, 40},
                    {128, Gemm.PACK_A_MIN_PANELS * nr, 2 * GemmShape.KC + 17}, {GemmShape.MC + 13, 5 * nr, 16}}) {
                    Case c = new Case(Transpose.NO, tb, s[0], s[1], s[2], 0.75f, -1.5f);
                    for (int threads : new int[] {1, 3}) {
                        GemmPack.transposes = true;
                        Mat with = check(Kernels.simd().withThreads(threads), c, 21);
                        GemmPack.transposes = false;
                        Mat without = check(Kernels.simd().withThreads(threads), c, 21);
                        for (int i = 0; i < with.a.length; i++) {
                            assertEquals(Float.floatToRawIntBits(without.a[i]), Float.floatToRawIntBits(with.a[i]),
                                    c + " on " + threads + " threads, C's array index " + i);
                        }
                    }
                }
            }
        } finally {
            GemmPack.transposes = before;
        }
    }

    /**
     * {@link GemmPack#packB} against its definition, element by element: both transposes, with and without the
     * register transposes of a transposed B's full panels, depths around multiples of 16, column counts around a
     * panel, an offset and a leading dimension longer than a row, B
     * ending exactly at its array's end, NaN poison past the panels.
     */
    @Test
    void packingBWritesItsPanelsAndNothingElse() {
        int nr = GemmShape.NR;
        for (boolean transB : new boolean[] {false, true}) {
            for (boolean transpose : new boolean[] {false, true}) {
                for (int nc : new int[] {1, nr - 1, nr, nr + 1, 2 * nr, 3 * nr - 5}) {
                    for (int kc : new int[] {1, 15, 16, 17, 33, 48, 50}) {
                        int p0 = 2;
                        int j0 = 3;
                        int bOff = 7;
                        int ldb = (transB ? p0 + kc : j0 + nc) + 5;
                        int rowsOfB = transB ? j0 + nc : p0 + kc;
                        float[] b = new float[bOff + (rowsOfB - 1) * ldb + (transB ? p0 + kc : j0 + nc)];
                        for (int i = 0; i < b.length; i++) {
                            b[i] = i + 1;
                        }
                        int panels = (nc + nr - 1) / nr;
                        float[] pb = new float[panels * nr * kc + 3 * GemmShape.L];
                        java.util.Arrays.fill(pb, Float.NaN);
                        GemmPack.packB(transB, b, bOff, ldb, p0, j0, kc, nc, pb, transpose);
                        String where = (transB ? "T" : "N") + (transpose ? " transposes" : "") + " nc=" + nc + " kc="
                                + kc;
                        for (int i = 0; i < pb.length; i++) {
                            if (i >= panels * nr * kc) {
                                assertTrue(Float.isNaN(pb[i]), where + ": written outside the panels at " + i);
                                continue;
                            }
                            int q = i / (nr * kc);
                            int p = i % (nr * kc) / nr;
                            int j = q * nr + i % nr;
                            float expected = j >= nc ? 0f
                                    : b[bOff + (transB ? (j0 + j) * ldb + p0 + p : (p0 + p) * ldb + j0 + j)];
                            assertEquals(expected, pb[i], where + ": depth " + p + ", column " + j);
                        }
                    }
                }
            }
        }
    }

    /**
     * A transposed A whose last row panel ends a few floats before the end of its array (no padding after it):
     * the packing reads whole vectors along A's rows where they fit and the last depths of that panel float by
     * float. TT with few depths (not swapped), B packed, A packed whole.
     */
    @Test
    void aTransposedAThatEndsItsArrayIsPackedExactly() {
        int m = 5 * GemmShape.MR;
        int n = Gemm.PACK_A_MIN_PANELS * GemmShape.NR + 1;
        int k = 3;
        SplittableRandom rnd = new SplittableRandom(17);
        float[] a = new float[k * m]; // op(A)(i, p) = a[p·m + i]
        float[] b = new float[n * k]; // op(B)(p, j) = b[j·k + p]
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        float[] c = new float[m * n];
        Kernels.simd().withThreads(1).sgemm(Transpose.YES, Transpose.YES, m, n, k, 1f, a, 0, m, b, 0, k, 0f, c, 0, n);
        double g = gamma(k + 4);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double x = (double) a[p * m + i] * b[j * k + p];
                    sum += x;
                    abs += Math.abs(x);
                }
                assertTrue(Math.abs(c[i * n + j] - sum) <= g * abs, "C[" + i + "][" + j + "] = " + c[i * n + j]
                        + ", expected " + sum + " ± " + g * abs);
            }
        }
    }

    /** Runs one case on poisoned operands and checks every element against the float64 bound. */
    static Mat check(Kernels kernels, Case c, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + c.m() * 7919L + c.n() * 104729L + c.k());
        boolean ta = c.ta() == Transpose.YES;
        boolean tb = c.tb() == Transpose.YES;
        Mat a = (ta ? new Mat(c.k(), c.m()) : new Mat(c.m(), c.k())).fill(rnd);
        Mat b = (tb ? new Mat(c.n(), c.k()) : new Mat(c.k(), c.n())).fill(rnd);
        Mat c0 = new Mat(c.m(), c.n());
        if (c.beta() != 0f) {
            c0.fill(rnd);
        }
        Mat out = c0.copy();
        kernels.sgemm(c.ta(), c.tb(), c.m(), c.n(), c.k(), c.alpha(), a.a, a.off, a.ld, b.a, b.off, b.ld,
                c.beta(), out.a, out.off, out.ld);
        out.assertPoisonIntact(c.toString());
        int passes = (c.k() + GemmShape.KC - 1) / GemmShape.KC;
        double g = gamma(c.k() + 2 * passes + 2);
        for (int i = 0; i < c.m(); i++) {
            for (int j = 0; j < c.n(); j++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < c.k(); p++) {
                    double x = (double) (ta ? a.get(p, i) : a.get(i, p)) * (tb ? b.get(j, p) : b.get(p, j));
                    sum += x;
                    abs += Math.abs(x);
                }
                double cOld = c.beta() == 0f ? 0 : c0.get(i, j);
                double expected = c.alpha() * sum + c.beta() * cOld;
                double tol = g * (Math.abs(c.alpha()) * abs + Math.abs(c.beta() * cOld));
                float actual = out.get(i, j);
                if (!(Math.abs(actual - expected) <= tol)) {
                    fail(c + ": C[" + i + "][" + j + "] = " + actual + ", expected " + expected + " ± " + tol);
                }
            }
        }
        return out;
    }

    /** Shapes large enough to be split between threads, on both paths and both partition directions. */
    static Stream<Arguments> threadedCases() {
        int nr = GemmShape.NR;
        return Stream.of(
                parallel(Transpose.NO, Transpose.NO, 150, 5 * nr + 151, 301, 1f, 0f),   // split by columns
                parallel(Transpose.NO, Transpose.NO, 257, 4 * nr + 1, 300, 1f, 0.5f),   // and rows; a GEMV edge
                parallel(Transpose.YES, Transpose.NO, 401, nr + 1, 300, -1f, 0.5f),     // split by rows
                parallel(Transpose.NO, Transpose.YES, 131, 5 * nr - 1, 257, 0.5f, 1f),
                parallel(Transpose.YES, Transpose.YES, 97, 6 * nr + 5, 300, 1f, 0f),     // swapped: Cᵀ = B·A
                parallel(Transpose.YES, Transpose.YES, 20, 8 * nr + 1, 400, -0.5f, 1.5f), // swapped, split by rows of Cᵀ
                parallel(Transpose.YES, Transpose.YES, 301, 4 * nr + 3, 300, 1f, 0.5f),  // 2m > k: not swapped
                // lda = m + 3 a multiple of 128: op(A) packed once, shared by the threads (columns, rows; 3 passes)
                parallel(Transpose.YES, Transpose.NO, 253, 3 * nr + 7, 300, 1f, 0.5f),
                parallel(Transpose.YES, Transpose.NO, 509, nr + 1, 300, -1f, 0f),
                parallel(Transpose.YES, Transpose.YES, 125, 6 * nr + 3, 530, 0.5f, 0f),
                parallel(Transpose.NO, Transpose.NO, 1, 1500, 800, 1f, 0f),             // small-m path
                parallel(Transpose.YES, Transpose.YES, 3, 1501, 700, 2f, -1f))
                .map(Arguments::of);
    }

    /** A case with k raised, if needed, to reach the work above which the GEMM uses several threads. */
    static Case parallel(Transpose ta, Transpose tb, int m, int n, int k, float alpha, float beta) {
        int kMin = (int) (Gemm.PARALLEL_MIN_WORK / ((long) m * n) + 1);
        return new Case(ta, tb, m, n, Math.max(k, kMin), alpha, beta);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadedCases")
    void bitIdenticalForAnyThreadCount(Case c) {
        Mat one = check(Kernels.simd().withThreads(1), c, 5);
        for (int threads : new int[] {2, 3}) {
            Mat many = check(Kernels.simd().withThreads(threads), c, 5);
            for (int x = 0; x < one.a.length; x++) {
                if (Float.floatToRawIntBits(one.a[x]) != Float.floatToRawIntBits(many.a[x])) {
                    fail(c + ", " + threads + " threads: bits differ from 1 thread at array index " + x
                            + ": " + many.a[x] + " vs " + one.a[x]);
                }
            }
        }
        assertTrue((long) c.m() * c.n() * c.k() >= Gemm.PARALLEL_MIN_WORK, "large enough to be split");
    }

    @Test
    void withOneDepthPassARowHasTheSameBitsInABatchAsAlone() {
        // NN with k ≤ KC: the micro-kernel's sums and the few-row path's are the same FMA sequence, and the
        // narrow-edge GEMV is not used, so a network's prediction for a row does not depend on its batch.
        Kernels simd = Kernels.simd().withThreads(1);
        int m = 37;
        for (int k : new int[] {1, 19, GemmShape.KC}) {
            for (int n : new int[] {1, 3, GemmShape.NR + 1, 2 * GemmShape.NR + 4, 2 * GemmShape.NR + GemmShape.L - 1}) {
                SplittableRandom rnd = new SplittableRandom(k * 131L + n);
                Mat a = new Mat(m, k).fill(rnd);
                Mat b = new Mat(k, n).fill(rnd);
                Mat batch = new Mat(m, n);
                simd.sgemm(Transpose.NO, Transpose.NO, m, n, k, 1f, a.a, a.off, a.ld, b.a, b.off, b.ld,
                        0f, batch.a, batch.off, batch.ld);
                float[] row = new float[n];
                for (int i = 0; i < m; i++) {
                    simd.sgemm(Transpose.NO, Transpose.NO, 1, n, k, 1f, a.a, a.off + i * a.ld, a.ld, b.a, b.off, b.ld,
                            0f, row, 0, n);
                    for (int j = 0; j < n; j++) {
                        assertEquals(Float.floatToRawIntBits(row[j]), Float.floatToRawIntBits(batch.get(i, j)),
                                "k=" + k + " n=" + n + ": C[" + i + "][" + j + "] alone " + row[j] + ", in the batch " + batch.get(i, j));
                    }
                }
            }
        }
    }

    @Test
    void transposedProductsOfFewRowsForTheirDepthAreComputedSwapped() {
        int kc = GemmShape.KC;
        // Cases of cases() on each side of the rule, so both TT paths are checked against float64.
        assertTrue(Gemm.swapsOperands(true, true, 13, 29, kc - 1, 1f, 0f, GemmShape.L));
        assertTrue(Gemm.swapsOperands(true, true, 7, 2 * GemmShape.NR + 1, 2 * kc + 3, 1f, 0f, GemmShape.L));
        assertFalse(Gemm.swapsOperands(true, true, 2 * GemmShape.MC + 7, 19, 11, 1f, 0f, GemmShape.L));
        // With 16 lanes (B transposed in registers), only up to TT_SWAP_MAX_M rows
        int most = Gemm.TT_SWAP_MAX_M;
        assertTrue(Gemm.swapsOperands(true, true, most, 29, 2 * kc + 5, 1f, 0f, 16));
        assertFalse(Gemm.swapsOperands(true, true, most + 1, 29, 2 * kc + 5, 1f, 0f, 16));
        assertTrue(Gemm.swapsOperands(true, true, most + 1, 29, 2 * kc + 5, 1f, 0f, 8));
        assertFalse(Gemm.swapsOperands(true, true, GemmShape.MR + 1, GemmShape.NR + 1, 9, 1f, 0f, GemmShape.L));
        assertFalse(Gemm.swapsOperands(true, false, 13, 29, kc - 1, 1f, 0f, GemmShape.L), "TN is not swapped");
        assertFalse(Gemm.swapsOperands(false, true, 13, 29, kc - 1, 1f, 0f, GemmShape.L), "NT is not swapped");
        assertFalse(Gemm.swapsOperands(true, true, Gemm.SMALL_M, 29, kc - 1, 1f, 0f, GemmShape.L),
                "few rows: small path");
        assertFalse(Gemm.swapsOperands(true, true, 13, Gemm.SMALL_M, kc - 1, 1f, 0f, GemmShape.L), "few columns");
        assertFalse(Gemm.swapsOperands(true, true, 1 << 11, (Gemm.SWAP_MAX_ELEMENTS >> 11) + 1, 1 << 13, 1f, 0f,
                GemmShape.L),
                "scratch too large");
        // A narrow C (n ≤ L) of at least 2L rows, where the roundings stay the direct product's.
        for (int l : new int[] {8, 16}) { // the lanes are an argument: the twin decides for its own
            for (boolean ta : new boolean[] {false, true}) {
                assertTrue(Gemm.swapsOperands(ta, false, 2 * l, l, kc, 0.5f, 2f, l), "narrow, one depth pass");
                assertTrue(Gemm.swapsOperands(false, ta, 2 * l, l, kc + 1, 1f, 0f, l), "narrow, alpha 1, beta 0");
                assertFalse(Gemm.swapsOperands(ta, false, 2 * l, l, kc + 1, 0.5f, 0f, l), "alpha per depth pass");
                assertFalse(Gemm.swapsOperands(false, ta, 2 * l, l, kc + 1, 1f, 1f, l), "beta per depth pass");
                assertFalse(Gemm.swapsOperands(ta, false, 2 * l - 1, l, kc, 1f, 0f, l), "too few rows");
                assertFalse(Gemm.swapsOperands(false, ta, 2 * l, l + 1, kc, 1f, 0f, l), "too wide");
                assertFalse(Gemm.swapsOperands(ta, false, 2 * l + 1, l, kc + 1, 1f, 0f, l),
                        "several depth passes and a GEMV edge in the transposed product");
                assertTrue(Gemm.swapsOperands(ta, false, 2 * l + 1, l, kc, 1f, 0f, l), "an edge, one depth pass");
                assertTrue(Gemm.swapsOperands(false, ta, 2 * l + Gemm.EDGE_MAX_COLS + 1, l, kc + 1, 1f, 0f, l));
            }
        }
    }

    @Test
    void columnChunksOfAWideProductShareOnePackedA() {
        // TwinKernelsTest compares the bits of such products on three threads with the twin's.
        Gemm.Job job = new Gemm.Job();
        job.kernels = new SimdKernels(2);
        job.m = 128;
        job.n = Gemm.PACK_A_MIN_PANELS * GemmShape.NR; // one thread packs A
        job.k = 4096;
        assertEquals(2, Gemm.partition(job, 2));
        assertTrue(job.splitN && job.n / job.chunks < Gemm.PACK_A_MIN_PANELS * GemmShape.NR,
                "narrow column chunks");
        assertTrue(Gemm.packsAOfColumnChunks(job));
        job.m = Gemm.B_IN_PLACE_MAX_M; // B read in place: A is not packed on one thread either
        Gemm.partition(job, 2);
        assertFalse(Gemm.packsAOfColumnChunks(job));
        job.m = 128;
        job.n = Gemm.PACK_A_MIN_PANELS * GemmShape.NR - 1;
        job.k = 8192;
        assertEquals(2, Gemm.partition(job, 2));
        assertFalse(Gemm.packsAOfColumnChunks(job), "too few column panels for one thread to pack A");
    }

    @Test
    void partitionSplitsOnlyWholeBlocks() {
        Gemm.Job job = new Gemm.Job();
        job.kernels = new SimdKernels(2);
        job.m = 401;
        job.n = GemmShape.NR + 1;
        job.k = (int) (Gemm.PARALLEL_MIN_WORK / (job.m * job.n) + 1);
        int parts = Gemm.partition(job, 2);
        assertTrue(job.chunks >= parts && job.chunks <= job.units, "chunks " + job.chunks);
        assertEquals(2, parts);
        assertTrue(!job.splitN && job.unit == GemmShape.MR, "two column panels, many rows: split by rows of MR");
        job.m = 150;
        job.n = 5 * GemmShape.NR + 151;
        Gemm.partition(job, 2);
        assertTrue(job.splitN && job.unit == GemmShape.NR, "split by columns of NR");
        // Four column panels and a one-column edge (k > KC: computed by the GEMV path with the last panel):
        // four units, too few for 2 × CHUNKS_PER_THREAD chunks, so the rows are cut in two groups as well.
        job.m = 257;
        job.n = 4 * GemmShape.NR + 1;
        job.k = (int) Math.max(GemmShape.KC + 1, Gemm.PARALLEL_MIN_WORK / ((long) job.m * job.n) + 1);
        assertEquals(2, Gemm.partition(job, 2));
        assertEquals(4, job.units);
        assertEquals(2, job.rowGroups);
        assertEquals(8, job.chunks);
    }
}
