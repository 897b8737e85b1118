package vecmlp.kernel;

import static vecmlp.kernel.Gemm.EDGE_MAX_COLS;
import static vecmlp.kernel.Gemm.SMALL_M;
import static vecmlp.kernel.GemmShape.KC;

import java.util.Arrays;

/**
 * The exact scalar twin of {@link SimdKernels}: plain loops that perform, for every output element, the
 * same IEEE 754 operations in the same order as the Vector API kernels with the same lane counts, so the
 * two give the same bits. {@link WarmingKernels} runs it while the JIT has not yet compiled the Vector API
 * code (which until then runs the API's Java fallback, hundreds of times slower than these loops).
 *
 * <p>What "the same order" means, kernel by kernel:
 * <ul>
 * <li>GEMM: the path the SIMD driver takes is a function of the shape alone ({@link Gemm}): the blocked
 *     path sums each element of C by one fused multiply-add per depth, in depth order, from zero in each
 *     depth pass, and applies the epilogue after each pass ({@code beta} 1 after the first); the few-row
 *     path and the narrow last columns of a deep product sum either in depth order over all of {@code k}
 *     (B read along its rows) or as a dot product with {@code 4·L} lane-wise partial sums, added
 *     {@code (s0 + s1) + (s2 + s3)} lane by lane, then the lanes in order, then a scalar tail; a TT product
 *     with few rows is the NN product {@code B·A}, transposed with the epilogue.</li>
 * <li>dot and sums of squares: {@code 4·L} lane-wise partial sums, a rotate-and-add tree over the lanes,
 *     lane 0, then a scalar tail; sums of squares above {@link ParallelElementwise#BLOCK} elements add the
 *     blocks' sums in order.</li>
 * <li>Elementwise kernels: the vector body's formula for the first {@code n − n mod L} elements of a row,
 *     the scalar tail's for the rest (they differ where the SIMD code rounds differently in its tail,
 *     e.g. Adam's {@code g = p·λ + grad} against {@code fma(λ, p, grad)}); exp, sigmoid and tanh are
 *     {@link VectorMath}'s scalar forms, which equal its vector lanes.</li>
 * </ul>
 *
 * <p>The loops are written to be fast once C2 has compiled them (within the first few hundred milliseconds
 * of use): the GEMM reads its B operand from rows packed at offset 0 and accumulates into rows at offset 0
 * (for a C of few columns, rows of op(A)ᵀ into rows of Cᵀ), a form C2's auto-vectorizer turns into vector
 * FMAs without changing any element's order of operations; and their first calls are cut into short pieces,
 * so that C2 compiles them once ({@link #early}).
 * Single-threaded (a multi-threaded SIMD call gives the same bits). Buffers belong to the thread
 * ({@link TwinScratch}); the counts of first calls are shared, and change only the time.
 */
final class TwinKernels extends Kernels {

    /** Columns of C per block: 2 rows of sums (2 KiB) and up to KC rows of B (256 KiB) stay in L1/L2. */
    static final int NB = 256;

    /** Lanes of the elementwise kernels ({@link SimdKernels#SPECIES}). */
    private final int lanes;
    /** Lanes of the GEMM ({@link GemmShape#L}). */
    private final int gemmLanes;
    /** Columns of the GEMM's register block, {@link GemmShape#NR}. */
    private final int nr;
    /**
     * Rows of sums at least this long go through {@link #accumulate2Wide}: {@code 4·lanes} (four of C2's vectors,
     * as wide as the preferred species), at least {@link #PIECE}.
     */
    private final int wideColumns;
    /**
     * Calls made so far in short pieces, per kind ({@link #EARLY_GEMM}…): a fresh JVM's first calls of the
     * hot loops are cut into pieces of at most {@link #PIECE} iterations (see there), so that C2 compiles each
     * of those methods once, not first on stack. Only the time depends on these counts (shared by the threads,
     * updated without synchronization: a lost update only makes the pieces last a little longer), never a
     * result: a piece keeps every element's operations and their order.
     */
    private final int[] early = new int[5];
    static final int EARLY_GEMM = 0;
    static final int EARLY_PACK = 1;
    static final int EARLY_ADAM = 2;
    static final int EARLY_RELU = 3;
    static final int EARLY_ROWS = 4;
    /**
     * Calls of a kind made in pieces: enough for HotSpot to ask C2 for the standard compilation (600 calls
     * and more, times a factor of up to about 3 while C2's queue is long) before the calls grow long.
     */
    static final int EARLY_CALLS = 4096;

    /**
     * The twin of the SIMD kernels with {@code lanes} float lanes in the elementwise kernels and
     * {@code gemmLanes} in the GEMM.
     */
    TwinKernels(int lanes, int gemmLanes) {
        if (Integer.bitCount(lanes) != 1 || Integer.bitCount(gemmLanes) != 1) {
            throw new IllegalArgumentException("lanes must be powers of two: " + lanes + ", " + gemmLanes);
        }
        this.lanes = lanes;
        this.gemmLanes = gemmLanes;
        this.nr = 2 * gemmLanes;
        this.wideColumns = Math.max(PIECE, 4 * lanes);
    }

    /** These kernels with their first calls already made: no more pieces (tests of the other path). */
    TwinKernels withoutEarlyPieces() {
        Arrays.fill(early, EARLY_CALLS);
        return this;
    }

    /** True while calls of {@code kind} are still made in pieces, counting {@code calls} more of them. */
    private boolean early(int kind, int calls) {
        int made = early[kind];
        if (made >= EARLY_CALLS) {
            return false;
        }
        early[kind] = made + calls;
        return true;
    }

    /** Whether {@link TwinScratch#packRows} transposes {@code kc × w} in pieces ({@link #early}). */
    private boolean packInPieces(boolean transposed, int kc, int w) {
        return transposed && early(EARLY_PACK, ((kc + 7) / 8) * ((w + PIECE - 1) / PIECE));
    }

    /**
     * {@code acc0[j] += Σ_p A(0, p)·rows[p][j]} for {@code j < w}, and {@code acc1} likewise for the next row
     * ({@code acc1} null: one row): {@link #accumulate2Wide} for rows of at least {@link #wideColumns} in a
     * {@code large} product ({@link #large}), {@link #accumulate2} for the others, {@link #accumulate1} for one
     * row; while {@link #early}, in pieces of 4 depths and {@link #PIECE} columns, or for the wide rows equal
     * pieces of {@code wideColumns} to {@code 2·wideColumns − 1}.
     */
    private void sums(int kc, int w, boolean large, float[] a, int a0, int a1, int aps, float[][] rows,
                      float[] acc0, float[] acc1) {
        boolean wide = large && acc1 != null && w >= wideColumns;
        int piece = wide ? (w + w / wideColumns - 1) / (w / wideColumns) : PIECE;
        int pieces = ((kc + 3) / 4) * ((w + piece - 1) / piece);
        if (!early(EARLY_GEMM, pieces)) {
            if (wide) {
                accumulate2Wide(kc, 0, 0, w, a, a0, a1, aps, rows, acc0, acc1);
            } else if (acc1 != null) {
                accumulate2(kc, 0, 0, w, a, a0, a1, aps, rows, acc0, acc1);
            } else {
                accumulate1(kc, 0, 0, w, a, a0, aps, rows, acc0);
            }
            return;
        }
        for (int p = 0; p < kc; p += 4) {
            int d = Math.min(4, kc - p);
            for (int j = 0; j < w; j += piece) {
                int j1 = Math.min(j + piece, w);
                if (wide) {
                    accumulate2Wide(d, p, j, j1, a, a0 + p * aps, a1 + p * aps, aps, rows, acc0, acc1);
                } else if (acc1 != null) {
                    accumulate2(d, p, j, j1, a, a0 + p * aps, a1 + p * aps, aps, rows, acc0, acc1);
                } else {
                    accumulate1(d, p, j, j1, a, a0 + p * aps, aps, rows, acc0);
                }
            }
        }
    }

    @Override
    public Kernels withThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        return this;
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public String description() {
        return "simd twin (scalar loops, the bits of " + lanes + " float lanes)";
    }

    @Override
    public boolean isSimd() {
        return false;
    }

    // ------------------------------------------------------------------ GEMM

    @Override
    protected void sgemmK(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float beta, float[] c, int cOff, int ldc) {
        gemm(transA == Transpose.YES, transB == Transpose.YES, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc, null, 0, Activation.IDENTITY);
    }

    @Override
    protected void sgemmBiasActivationK(Transpose transA, Transpose transB, int m, int n, int k,
                                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                        float[] bias, int biasOff, Activation act,
                                        float[] c, int cOff, int ldc) {
        gemm(transA == Transpose.YES, transB == Transpose.YES, m, n, k, 1f, a, aOff, lda, b, bOff, ldb,
                0f, c, cOff, ldc, bias, biasOff, act);
    }

    /** {@link Gemm#sgemm}'s arithmetic: the fused epilogue, then sigmoid / tanh, then softmax over C. */
    private void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc, float[] bias, int biasOff, Activation act) {
        Activation.Kind kind = act.kind();
        int fused = kind == Activation.Kind.RELU ? GemmKernel.ACT_RELU
                : kind == Activation.Kind.LEAKY_RELU ? GemmKernel.ACT_LEAKY : GemmKernel.ACT_NONE;
        float slope = kind == Activation.Kind.LEAKY_RELU ? act.slope() : 0f;
        TwinScratch s = TwinScratch.local();
        if (k == 0 || alpha == 0f) {
            for (int i = 0; i < m; i++) {
                int cr = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    c[cr + j] = GemmKernel.epilogue(0f, beta != 0f ? c[cr + j] : 0f, 1f, beta,
                            bias != null ? bias[biasOff + j] : 0f, bias != null, fused, slope);
                }
            }
        } else if (Gemm.swapsOperands(transA, transB, m, n, k, alpha, beta, nr / 2)) {
            // Cᵀ = op(B)ᵀ·op(A)ᵀ (alpha 1, beta 0) into a scratch, then C = epilogue(alpha·Cᵀᵀ + beta·C).
            float[] t = s.transposed(m * n);
            product(!transB, !transA, n, m, k, 1f, b, bOff, ldb, a, aOff, lda, 0f, t, 0, m, null, 0,
                    GemmKernel.ACT_NONE, 0f, s);
            for (int j = 0; j < n; j++) { // column j of C is row j of Cᵀ
                epilogueColumn(t, j * m, m, c, cOff + j, ldc, alpha, beta, bias, biasOff + j, fused, slope);
            }
        } else {
            product(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                    bias, biasOff, fused, slope, s);
        }
        if (act.usesMath() || kind == Activation.Kind.SOFTMAX) {
            activationForwardK(act, m, n, c, cOff, ldc, c, cOff, ldc);
        }
    }

    /** The product without swapping: the few-row path for {@code m ≤ SMALL_M}, else the blocked one. */
    private void product(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc, float[] bias, int biasOff,
                         int act, float slope, TwinScratch s) {
        int ars = transA ? 1 : lda; // op(A)(i, p) = a[aOff + i·ars + p·aps]
        int aps = transA ? lda : 1;
        if (m <= SMALL_M) {
            if (!transB) {
                sequential(m, n, 0, n, k, a, aOff, ars, aps, false, b, bOff, ldb, alpha, beta, c, cOff, ldc,
                        bias, biasOff, act, slope, s);
            } else {
                dots(0, m, 0, n, k, a, aOff, ars, aps, true, b, bOff, ldb, alpha, beta, c, cOff, ldc,
                        bias, biasOff, act, slope, s);
            }
            return;
        }
        int edge = n % nr;
        if (edge > EDGE_MAX_COLS || k <= KC) {
            edge = 0;
        }
        int n1 = n - edge;
        if (edge > 0) {
            if (transA) {
                sequential(m, n, n1, n, k, a, aOff, ars, aps, transB, b, bOff, ldb, alpha, beta, c, cOff, ldc,
                        bias, biasOff, act, slope, s);
            } else {
                dots(0, m, n1, n, k, a, aOff, ars, aps, transB, b, bOff, ldb, alpha, beta, c, cOff, ldc,
                        bias, biasOff, act, slope, s);
            }
        }
        // Equal depth passes, as the blocked SIMD path: a function of k alone.
        int passes = (k + KC - 1) / KC;
        int kcMax = (k + passes - 1) / passes;
        if (n1 < NARROW && m >= NARROW) {
            narrow(transA, transB, m, n1, k, kcMax, a, aOff, lda, b, bOff, ldb, alpha, beta, c, cOff, ldc,
                    bias, biasOff, act, slope, s);
            return;
        }
        boolean large = large(m, n1, k);
        for (int pc = 0; pc < k; pc += kcMax) {
            int kc = Math.min(kcMax, k - pc);
            boolean last = pc + kc == k;
            float betaPass = pc == 0 ? beta : 1f;
            for (int j0 = 0; j0 < n1; j0 += NB) {
                int w = Math.min(NB, n1 - j0);
                float[][] rows = s.packRows(transB, b, bOff, ldb, pc, kc, j0, w, packInPieces(transB, kc, w));
                for (int i = 0; i < m; i += 2) {
                    int r = Math.min(2, m - i);
                    float[] acc0 = s.acc0;
                    float[] acc1 = s.acc1;
                    Arrays.fill(acc0, 0, w, 0f);
                    int a0 = aOff + i * ars + pc * aps;
                    if (r == 2) {
                        Arrays.fill(acc1, 0, w, 0f);
                        sums(kc, w, large, a, a0, a0 + ars, aps, rows, acc0, acc1);
                        epilogueRow(acc1, w, c, cOff + (i + 1) * ldc + j0, alpha, betaPass,
                                last ? bias : null, biasOff + j0, last ? act : GemmKernel.ACT_NONE, slope, s);
                    } else {
                        sums(kc, w, large, a, a0, 0, aps, rows, acc0, null);
                    }
                    epilogueRow(acc0, w, c, cOff + i * ldc + j0, alpha, betaPass,
                            last ? bias : null, biasOff + j0, last ? act : GemmKernel.ACT_NONE, slope, s);
                }
            }
        }
    }

    /** Below this many columns (and from this many rows on), {@link #product} computes Cᵀ by {@link #narrow}. */
    static final int NARROW = 16;

    /**
     * The blocked path for a C of few columns (a 10-class output layer), whose rows are too short for the
     * vectorizer: the same sums computed as rows of Cᵀ, {@code Cᵀ[j][i] += Σ_p B(p, j)·A(i, p)} over rows of
     * op(A)ᵀ packed at offset 0 (a product's two factors commute exactly, and each sum keeps its depth order),
     * two columns of C at a time; the epilogue after each depth pass, element by element.
     */
    private void narrow(boolean transA, boolean transB, int m, int n, int k, int kcMax,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float alpha, float beta,
                               float[] c, int cOff, int ldc, float[] bias, int biasOff, int act, float slope,
                               TwinScratch s) {
        int bcs = transB ? ldb : 1; // B(p, j) = b[bOff + p·bps + j·bcs]
        int bps = transB ? 1 : ldb;
        boolean large = large(m, n, k);
        for (int pc = 0; pc < k; pc += kcMax) {
            int kc = Math.min(kcMax, k - pc);
            boolean last = pc + kc == k;
            float betaPass = pc == 0 ? beta : 1f;
            float[] passBias = last ? bias : null;
            int passAct = last ? act : GemmKernel.ACT_NONE;
            for (int i0 = 0; i0 < m; i0 += NB) {
                int w = Math.min(NB, m - i0);
                // op(A)ᵀ(p, i) = op(A)(i, p): A's rows where A is transposed, its columns otherwise.
                float[][] rows = s.packRows(!transA, a, aOff, lda, pc, kc, i0, w, packInPieces(!transA, kc, w));
                for (int j = 0; j < n; j += 2) {
                    float[] acc0 = s.acc0;
                    float[] acc1 = s.acc1;
                    Arrays.fill(acc0, 0, w, 0f);
                    int b0 = bOff + pc * bps + j * bcs;
                    if (j + 1 < n) {
                        Arrays.fill(acc1, 0, w, 0f);
                        sums(kc, w, large, b, b0, b0 + bcs, bps, rows, acc0, acc1);
                        epilogueColumn(acc1, 0, w, c, cOff + i0 * ldc + j + 1, ldc, alpha, betaPass, passBias,
                                biasOff + j + 1, passAct, slope);
                    } else {
                        sums(kc, w, large, b, b0, 0, bps, rows, acc0, null);
                    }
                    epilogueColumn(acc0, 0, w, c, cOff + i0 * ldc + j, ldc, alpha, betaPass, passBias, biasOff + j,
                            passAct, slope);
                }
            }
        }
    }

    /**
     * {@code C[co + i·ldc] = epilogue(acc[ao + i], …)} for {@code i < w}: one column of C, in pieces of
     * {@link #PIECE} (a strided loop, never vectorized, so pieces cost nothing once compiled).
     */
    private static void epilogueColumn(float[] acc, int ao, int w, float[] c, int co, int ldc, float alpha,
                                       float beta, float[] bias, int bo, int act, float slope) {
        float bj = bias != null ? bias[bo] : 0f;
        // A training step's cases (the output layer's product and its weights' gradient, computed transposed) in
        // loops of their own: with the general epilogue per element, this method took C2 15-46 ms to compile in
        // the first 1,000 steps of 64-128-10, the two loops 5-6 ms (JIT logs).
        boolean plain = alpha == 1f && beta == 0f && act == GemmKernel.ACT_NONE;
        for (int i = 0; i < w; i += PIECE) {
            int to = Math.min(i + PIECE, w);
            if (plain && bias == null) {
                columnCopy(acc, ao, i, to, c, co, ldc);
            } else if (plain) {
                columnPlusBias(acc, ao, i, to, c, co, ldc, bj);
            } else {
                epilogueColumn(acc, ao, i, to, c, co, ldc, alpha, beta, bj, bias != null, act, slope);
            }
        }
    }

    /** {@code C[co + i·ldc] = acc[ao + i]} for {@code from ≤ i < to}: the epilogue with alpha 1 and beta 0 alone. */
    private static void columnCopy(float[] acc, int ao, int from, int to, float[] c, int co, int ldc) {
        for (int i = from, o = co + from * ldc; i < to; i++, o += ldc) {
            c[o] = acc[ao + i];
        }
    }

    /** {@code C[co + i·ldc] = acc[ao + i] + bj}: the epilogue with alpha 1, beta 0 and a bias. */
    private static void columnPlusBias(float[] acc, int ao, int from, int to, float[] c, int co, int ldc, float bj) {
        for (int i = from, o = co + from * ldc; i < to; i++, o += ldc) {
            c[o] = acc[ao + i] + bj;
        }
    }

    /**
     * How many iterations a call of a short method makes at most, where that costs nothing once compiled, and
     * a call of a hot loop while {@link #early}: HotSpot compiles a method whose calls loop more than about 55
     * times each on stack first (OSR), one compilation per hot loop, then again as a standard method; with
     * fewer, only the standard compilation, and C2 (one thread on two cores, busy through README's main job)
     * has that much less to do. More than 33, so that C2 may still unroll a vectorized loop twice: by its
     * unrolling policy (JDK 17's source, not measured here) it unrolls further only where the loop's profile
     * says it runs longer than the unrolled body.
     */
    static final int PIECE = 48;

    /**
     * True for a product of at least {@link #LARGE_PRODUCT} multiply-adds, whose long rows of sums go through
     * {@link #accumulate2Wide} in pieces of at least {@link #wideColumns} columns. Pieces that long make HotSpot
     * compile the loop on stack first ({@link #PIECE}), which cost the first 1,000 steps of 64-128-10 about 20 ms
     * (163 ms against 144, 20 forks each); a product this large makes thousands of the early calls by itself, and
     * its later calls (thousands of iterations each) had the loop compiled on stack in most runs anyway. Only
     * the time depends on this.
     */
    private static boolean large(int m, int n, int k) {
        return (long) m * n * k >= LARGE_PRODUCT;
    }

    /** The multiply-adds of a product whose pieces of 48 columns alone would number {@link #EARLY_CALLS}. */
    static final long LARGE_PRODUCT = (long) EARLY_CALLS * 4 * PIECE * 2;

    /** Rows {@code [from, to)} of {@link #epilogueColumn}. */
    private static void epilogueColumn(float[] acc, int ao, int from, int to, float[] c, int co, int ldc,
                                       float alpha, float beta, float bj, boolean hasBias, int act, float slope) {
        for (int i = from, o = co + from * ldc; i < to; i++, o += ldc) {
            c[o] = GemmKernel.epilogue(acc[ao + i], beta != 0f ? c[o] : 0f, alpha, beta, bj, hasBias, act,
                    slope);
        }
    }

    /**
     * {@code acc0[j] += Σ_p A(0, p)·rows[p0 + p][j]} for {@code p < kc}, {@code j0 ≤ j < j1}, and {@code acc1}
     * likewise for the next row, one fused multiply-add per depth in depth order, four depths per pass over the
     * sums. A(r, p) is {@code a[a_r + p·aps]}. Every array is indexed from 0 by the same {@code j}, so C2 vectorizes the
     * inner loop (each lane is one element's sequence of FMAs, unchanged).
     *
     * <p>Depths past {@code kc} up to a multiple of 4 are multiplied as {@code 0·0} ({@link TwinScratch#packRows}
     * zeroes those rows): {@code fma(0, 0, s) = s} for every sum that can occur (a sum that starts at +0 is
     * never −0 in round-to-nearest), so no separate loop handles the last depths (in the same method, one
     * kept C2 from vectorizing the main loop).
     */
    private static void accumulate2(int kc, int p0, int j0, int j1, float[] a, int a0, int a1, int aps,
                                    float[][] rows, float[] acc0, float[] acc1) {
        for (int p = 0; p < kc; p += 4) {
            int q = p * aps;
            int m1 = (p + 1 - kc) >> 31; // all ones if depth p + 1 exists
            int m2 = (p + 2 - kc) >> 31;
            int m3 = (p + 3 - kc) >> 31;
            float x0 = a[a0 + q];
            float x1 = depth(a, a0 + q, aps, m1);
            float x2 = depth(a, a0 + q, 2 * aps, m2);
            float x3 = depth(a, a0 + q, 3 * aps, m3);
            float y0 = a[a1 + q];
            float y1 = depth(a, a1 + q, aps, m1);
            float y2 = depth(a, a1 + q, 2 * aps, m2);
            float y3 = depth(a, a1 + q, 3 * aps, m3);
            float[] b0 = rows[p0 + p];
            float[] b1 = rows[p0 + p + 1];
            float[] b2 = rows[p0 + p + 2];
            float[] b3 = rows[p0 + p + 3];
            for (int j = j0; j < j1; j++) {
                float e0 = b0[j];
                float e1 = b1[j];
                float e2 = b2[j];
                float e3 = b3[j];
                acc0[j] = Math.fma(x3, e3, Math.fma(x2, e2, Math.fma(x1, e1, Math.fma(x0, e0, acc0[j]))));
                acc1[j] = Math.fma(y3, e3, Math.fma(y2, e2, Math.fma(y1, e1, Math.fma(y0, e0, acc1[j]))));
            }
        }
    }

    /**
     * {@link #accumulate2} for rows of at least {@link #wideColumns}, the same loop in a method of its own: C2
     * compiles a method with the profile of the calls made before, and unrolls a vectorized loop only as far as
     * that profile's trip count allows (HotSpot's {@code IdealLoopTree::policy_unroll}). Four 16-lane vectors
     * an iteration need a trip count of 64; the short rows of other calls (the warm-up's products of a few dozen
     * columns, pieces of 48 columns) brought one shared loop's below that, for good: the twin's step of 784-256-128-10 took 3.0–3.2 ms instead of 2.3–2.4 (an
     * ad-hoc loop of the twin alone, JDK 17, 2-vCPU Zen 5; pieces of 60 columns 3.0, of 64 and more 2.3–2.4).
     */
    private static void accumulate2Wide(int kc, int p0, int j0, int j1, float[] a, int a0, int a1, int aps,
                                        float[][] rows, float[] acc0, float[] acc1) {
        for (int p = 0; p < kc; p += 4) {
            int q = p * aps;
            int m1 = (p + 1 - kc) >> 31;
            int m2 = (p + 2 - kc) >> 31;
            int m3 = (p + 3 - kc) >> 31;
            float x0 = a[a0 + q];
            float x1 = depth(a, a0 + q, aps, m1);
            float x2 = depth(a, a0 + q, 2 * aps, m2);
            float x3 = depth(a, a0 + q, 3 * aps, m3);
            float y0 = a[a1 + q];
            float y1 = depth(a, a1 + q, aps, m1);
            float y2 = depth(a, a1 + q, 2 * aps, m2);
            float y3 = depth(a, a1 + q, 3 * aps, m3);
            float[] b0 = rows[p0 + p];
            float[] b1 = rows[p0 + p + 1];
            float[] b2 = rows[p0 + p + 2];
            float[] b3 = rows[p0 + p + 3];
            for (int j = j0; j < j1; j++) {
                float e0 = b0[j];
                float e1 = b1[j];
                float e2 = b2[j];
                float e3 = b3[j];
                acc0[j] = Math.fma(x3, e3, Math.fma(x2, e2, Math.fma(x1, e1, Math.fma(x0, e0, acc0[j]))));
                acc1[j] = Math.fma(y3, e3, Math.fma(y2, e2, Math.fma(y1, e1, Math.fma(y0, e0, acc1[j]))));
            }
        }
    }

    /**
     * {@code a[at + step]} where {@code exists} is all ones, else +0 (reading {@code a[at]}, always in range):
     * a depth past {@code kc} without a branch. A branch there, never taken until a call's depth count is
     * not a multiple of 4 (a training set's last, smaller batch), made the compiled method trap and C2
     * compile it again (README's main job: 70 ms of the JIT's time in its busiest second).
     */
    private static float depth(float[] a, int at, int step, int exists) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(a[at + (step & exists)]) & exists);
    }

    /** {@link #accumulate2} for one row. */
    private static void accumulate1(int kc, int p0, int j0, int j1, float[] a, int a0, int aps, float[][] rows,
                                    float[] acc) {
        for (int p = 0; p < kc; p += 4) {
            int q = p * aps;
            float x0 = a[a0 + q];
            float x1 = depth(a, a0 + q, aps, (p + 1 - kc) >> 31);
            float x2 = depth(a, a0 + q, 2 * aps, (p + 2 - kc) >> 31);
            float x3 = depth(a, a0 + q, 3 * aps, (p + 3 - kc) >> 31);
            float[] b0 = rows[p0 + p];
            float[] b1 = rows[p0 + p + 1];
            float[] b2 = rows[p0 + p + 2];
            float[] b3 = rows[p0 + p + 3];
            for (int j = j0; j < j1; j++) {
                acc[j] = Math.fma(x3, b3[j], Math.fma(x2, b2[j], Math.fma(x1, b1[j], Math.fma(x0, b0[j], acc[j]))));
            }
        }
    }

    /**
     * {@code C[co + j] = epilogue(acc[j], …)} for {@code j < w}, the roundings of {@link GemmKernel#epilogue}.
     * The cases of a training step have small methods of their own, with no call per element (code the JIT
     * has not yet optimized runs them many times faster) and compiled only when used: with alpha 1 there is
     * no scaling, and with beta 1 the old value is added ({@code fma(c, 1, x)} is {@code c + x} rounded once).
     */
    private void epilogueRow(float[] acc, int w, float[] c, int co, float alpha, float beta,
                             float[] bias, int bo, int act, float slope, TwinScratch s) {
        if (alpha == 1f && act != GemmKernel.ACT_LEAKY) {
            if (beta == 0f && bias == null && act == GemmKernel.ACT_NONE) {
                System.arraycopy(acc, 0, c, co, w);
                return;
            }
            int piece = early(EARLY_ROWS, (w + PIECE - 1) / PIECE) ? PIECE : w;
            if (beta == 0f && bias != null) {
                for (int j = 0; j < w; j += piece) {
                    storePlusBias(acc, j, Math.min(j + piece, w), c, co, bias, bo, act == GemmKernel.ACT_RELU,
                            s.row(w));
                }
                return;
            }
            if (beta == 1f && bias == null && act == GemmKernel.ACT_NONE) {
                for (int j = 0; j < w; j += piece) {
                    addTo(acc, j, Math.min(j + piece, w), c, co, s.row(w));
                }
                return;
            }
            if (beta == 1f && bias != null) {
                for (int j = 0; j < w; j += piece) {
                    addToPlusBias(acc, j, Math.min(j + piece, w), c, co, bias, bo, act == GemmKernel.ACT_RELU,
                            s.row(w), s.col(w));
                }
                return;
            }
        }
        epilogueAny(acc, w, c, co, alpha, beta, bias, bo, act, slope);
    }

    /**
     * {@code C = acc + bias}, then ReLU if {@code relu}, over columns {@code [from, to)}: computed in {@code acc}
     * (a scratch row, consumed here) against a copy of the bias in {@code b} at the same indexes, then copied to
     * C. C2 (JDK 17) vectorizes a loop only when all its float accesses share one alignment, which offsets known
     * only at run time (C's row, the bias's place) do not; so every loop here reads its arrays at one index.
     * {@link #addTo}, the column sums and the dot product's partial sums do the same.
     */
    private static void storePlusBias(float[] acc, int from, int to, float[] c, int co, float[] bias, int bo,
                                      boolean relu, float[] b) {
        System.arraycopy(bias, bo + from, b, from, to - from);
        if (relu) {
            for (int j = from; j < to; j++) {
                acc[j] = Math.max(acc[j] + b[j], 0f);
            }
        } else {
            for (int j = from; j < to; j++) {
                acc[j] = acc[j] + b[j];
            }
        }
        System.arraycopy(acc, from, c, co + from, to - from);
    }

    /** {@code C = C + acc} over {@code [from, to)}: a later depth pass (in {@code acc}, then copied). */
    private static void addTo(float[] acc, int from, int to, float[] c, int co, float[] old) {
        System.arraycopy(c, co + from, old, from, to - from);
        for (int j = from; j < to; j++) {
            acc[j] = old[j] + acc[j];
        }
        System.arraycopy(acc, from, c, co + from, to - from);
    }

    /**
     * {@code C = (C + acc) + bias}, then ReLU if {@code relu}, over columns {@code [from, to)}: the last depth
     * pass of a deep product with a bias (a hidden layer of 784 inputs). {@code fma(c, 1, x)} is {@code c + x}
     * rounded once, so these are the roundings of {@link GemmKernel#epilogue}; from copies at the same indexes,
     * as {@link #storePlusBias}. Element by element in {@link #epilogueAny}, this case cost C2 80-97 ms of compiling
     * (a standard and an on-stack compilation, JIT logs of the first steps of 784-256-128-10) while the caller
     * waited for the rest.
     */
    private static void addToPlusBias(float[] acc, int from, int to, float[] c, int co, float[] bias, int bo,
                                      boolean relu, float[] old, float[] b) {
        System.arraycopy(c, co + from, old, from, to - from);
        System.arraycopy(bias, bo + from, b, from, to - from);
        if (relu) {
            for (int j = from; j < to; j++) {
                acc[j] = Math.max((old[j] + acc[j]) + b[j], 0f);
            }
        } else {
            for (int j = from; j < to; j++) {
                acc[j] = (old[j] + acc[j]) + b[j];
            }
        }
        System.arraycopy(acc, from, c, co + from, to - from);
    }

    /** Every other epilogue, element by element. */
    private static void epilogueAny(float[] acc, int w, float[] c, int co, float alpha, float beta,
                                    float[] bias, int bo, int act, float slope) {
        for (int j = 0; j < w; j++) {
            c[co + j] = GemmKernel.epilogue(acc[j], beta != 0f ? c[co + j] : 0f, alpha, beta,
                    bias != null ? bias[bo + j] : 0f, bias != null, act, slope);
        }
    }

    /**
     * Columns {@code [j0, j1)} of rows {@code [0, m)} summed in depth order over all of {@code k} (the SIMD
     * few-row path with B read along its rows, or a deep product's narrow last columns when A is
     * transposed), then one epilogue. op(B)(p, j) is {@code b[bOff + p·ldb + j]}, or
     * {@code b[bOff + j·ldb + p]} when {@code transB}; it is packed in passes of at most KC depths.
     */
    private void sequential(int m, int n, int j0, int j1, int k, float[] a, int aOff, int ars, int aps,
                                   boolean transB, float[] b, int bOff, int ldb, float alpha, float beta,
                                   float[] c, int cOff, int ldc, float[] bias, int biasOff, int act, float slope,
                                   TwinScratch s) {
        for (int jb = j0; jb < j1; jb += NB) {
            int w = Math.min(NB, j1 - jb);
            for (int i = 0; i < m; i++) {
                Arrays.fill(s.acc0, 0, w, 0f);
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    float[][] rows = s.packRows(transB, b, bOff, ldb, pc, kc, jb, w, packInPieces(transB, kc, w));
                    sums(kc, w, false, a, aOff + i * ars + pc * aps, 0, aps, rows, s.acc0, null);
                }
                epilogueRow(s.acc0, w, c, cOff + i * ldc + jb, alpha, beta, bias, biasOff + jb, act, slope, s);
            }
        }
    }

    /**
     * Rows {@code [i0, i1)}, columns {@code [j0, j1)} of C as {@link GemmSmall}'s dot products over all of
     * {@code k} ({@link #laneDot}), then one epilogue: the SIMD few-row path with B transposed, or a deep
     * product's narrow last columns when A is not transposed. {@code aRowMajor}: op(A)'s rows are
     * contiguous ({@code aps == 1}); otherwise a row is gathered first, as the SIMD code does.
     */
    private void dots(int i0, int i1, int j0, int j1, int k, float[] a, int aOff, int ars, int aps,
                      boolean transB, float[] b, int bOff, int ldb, float alpha, float beta,
                      float[] c, int cOff, int ldc, float[] bias, int biasOff, int act, float slope, TwinScratch s) {
        float[] row = s.row(k);
        float[] col = s.col(k);
        for (int i = i0; i < i1; i++) {
            float[] x;
            int xOff;
            if (aps == 1) {
                x = a;
                xOff = aOff + i * ars;
            } else {
                for (int p = 0; p < k; p++) {
                    row[p] = a[aOff + i * ars + p * aps];
                }
                x = row;
                xOff = 0;
            }
            int cr = cOff + i * ldc;
            for (int j = j0; j < j1; j++) {
                float[] y;
                int yOff;
                if (transB) {
                    y = b;
                    yOff = bOff + j * ldb;
                } else {
                    for (int p = 0; p < k; p++) {
                        col[p] = b[bOff + p * ldb + j];
                    }
                    y = col;
                    yOff = 0;
                }
                float sum = laneDot(k, x, xOff, y, yOff, s.parts);
                c[cr + j] = GemmKernel.epilogue(sum, beta != 0f ? c[cr + j] : 0f, alpha, beta,
                        bias != null ? bias[biasOff + j] : 0f, bias != null, act, slope);
            }
        }
    }

    /**
     * {@link GemmSmall}'s dot product with {@code L = gemmLanes}: {@code 4·L} lane-wise partial sums over the
     * whole groups of {@code 4·L}, then the first {@code L} over the remaining whole vectors, combined
     * {@code (s0 + s1) + (s2 + s3)} lane by lane, the lanes added in order from 0, then the scalar tail.
     */
    private float laneDot(int k, float[] x, int xOff, float[] y, int yOff, float[] parts) {
        int l = gemmLanes;
        int bound4 = k - k % (4 * l);
        int bound = k - k % l;
        Arrays.fill(parts, 0, 4 * l, 0f);
        int p = 0;
        for (; p < bound4; p += 4 * l) {
            for (int q = 0; q < 4 * l; q++) {
                parts[q] = Math.fma(x[xOff + p + q], y[yOff + p + q], parts[q]);
            }
        }
        for (; p < bound; p += l) {
            for (int q = 0; q < l; q++) {
                parts[q] = Math.fma(x[xOff + p + q], y[yOff + p + q], parts[q]);
            }
        }
        float sum = 0f;
        for (int q = 0; q < l; q++) {
            sum += (parts[q] + parts[l + q]) + (parts[2 * l + q] + parts[3 * l + q]);
        }
        for (; p < k; p++) {
            sum = Math.fma(x[xOff + p], y[yOff + p], sum);
        }
        return sum;
    }

    // ------------------------------------------------------------------ activations

    /**
     * Row by row, each kind in a small method of its own: C2 compiles a small method (and its on-stack
     * replacement) much faster than the loops of one large method, and never compiles a kind a network does
     * not use. The epilogue, the derivatives, the column sums, the dot product's partial sums and Adam are
     * split the same way.
     */
    @Override
    protected void activationForwardK(Activation act, int m, int n, float[] z, int zOff, int ldz,
                                      float[] a, int aOff, int lda) {
        int bound = n - n % lanes;
        Activation.Kind kind = act.kind();
        for (int i = 0; i < m; i++) {
            int zr = zOff + i * ldz;
            int ar = aOff + i * lda;
            switch (kind) {
                case IDENTITY:
                    if (z != a || zr != ar) {
                        System.arraycopy(z, zr, a, ar, n);
                    }
                    break;
                case RELU:
                    reluRow(n, bound, z, zr, a, ar);
                    break;
                case LEAKY_RELU:
                    leakyReluRow(n, bound, act.slope(), z, zr, a, ar);
                    break;
                case SIGMOID:
                case TANH:
                    mathRow(kind == Activation.Kind.SIGMOID, n, z, zr, a, ar);
                    break;
                case ELU:
                    for (int j = 0; j < n; j++) {
                        a[ar + j] = VectorMath.elu(z[zr + j], act.slope());
                    }
                    break;
                case SILU:
                    for (int j = 0; j < n; j++) {
                        a[ar + j] = VectorMath.silu(z[zr + j]);
                    }
                    break;
                case GELU_TANH:
                    for (int j = 0; j < n; j++) {
                        a[ar + j] = VectorMath.gelu(z[zr + j]);
                    }
                    break;
                case SOFTPLUS:
                    for (int j = 0; j < n; j++) {
                        a[ar + j] = VectorMath.softplus(z[zr + j]);
                    }
                    break;
                case GELU:
                    for (int j = 0; j < n; j++) {
                        a[ar + j] = VectorMath.geluErf(z[zr + j]);
                    }
                    break;
                case SOFTMAX:
                    softmaxRow(n, z, zr, a, ar);
                    break;
                default:
                    throw new AssertionError(act);
            }
        }
    }

    /** ReLU: the vector body's {@code max(z, 0)} for whole vectors, the tail's {@code z > 0 ? z : 0} after. */
    private static void reluRow(int n, int bound, float[] z, int zr, float[] a, int ar) {
        for (int j = 0; j < bound; j++) {
            a[ar + j] = Math.max(z[zr + j], 0f);
        }
        for (int j = bound; j < n; j++) {
            float v = z[zr + j];
            a[ar + j] = v > 0f ? v : 0f;
        }
    }

    /** Leaky ReLU: the vector body's select for whole vectors, the tail's for the rest. */
    private static void leakyReluRow(int n, int bound, float slope, float[] z, int zr, float[] a, int ar) {
        for (int j = 0; j < bound; j++) {
            float v = z[zr + j];
            a[ar + j] = v <= 0f ? v * slope : v;
        }
        for (int j = bound; j < n; j++) {
            float v = z[zr + j];
            a[ar + j] = v > 0f ? v : slope * v;
        }
    }

    /** Sigmoid or tanh, {@link VectorMath}'s scalar forms (its vector lanes give the same bits). */
    private static void mathRow(boolean sigmoid, int n, float[] z, int zr, float[] a, int ar) {
        for (int j = 0; j < n; j++) {
            a[ar + j] = sigmoid ? VectorMath.sigmoid(z[zr + j]) : VectorMath.tanh(z[zr + j]);
        }
    }

    /**
     * Softmax of one row. Both SIMD forms (row by row, or short rows back to back) give these bits: exp of the
     * rounded {@code z − max}, the sum in index order, then a multiplication by its reciprocal.
     */
    private static void softmaxRow(int n, float[] z, int zr, float[] a, int ar) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, z[zr + j]);
        }
        float sum = 0f;
        for (int j = 0; j < n; j++) {
            float e = VectorMath.exp(z[zr + j] - max);
            a[ar + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int j = 0; j < n; j++) {
            a[ar + j] *= inv;
        }
    }

    @Override
    protected void activationBackwardK(Activation act, int m, int n, float[] a, int aOff, int lda,
                                       float[] delta, int dOff, int ldd) {
        if (act.kind() == Activation.Kind.IDENTITY) {
            return;
        }
        Activation.Kind kind = act.kind();
        boolean relu = kind == Activation.Kind.RELU || kind == Activation.Kind.LEAKY_RELU;
        if (relu && aOff == dOff && lda == n && ldd == n) {
            // Contiguous rows at the same offset (the network's workspaces): one loop and one index for both
            // arrays, in pieces of 256 (a short method called often, compiled without on-stack replacement).
            // C2 does not vectorize it (JDK 17 and 25: the float-to-bits moves; a ternary is no better), about
            // 2 ns an element on the Intel AVX-512 machine.
            int piece = early(EARLY_RELU, (m * n + PIECE - 1) / PIECE) ? PIECE : 256;
            for (int lo = aOff, end = aOff + m * n; lo < end; lo += piece) {
                reluBackwardSame(lo, Math.min(lo + piece, end), act.slope(), a, delta);
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int ar = aOff + i * lda;
            int dr = dOff + i * ldd;
            switch (kind) {
                case RELU:
                case LEAKY_RELU:
                    reluBackwardRow(n, act.slope(), a, ar, delta, dr);
                    break;
                case SIGMOID:
                case TANH:
                    squashBackwardRow(kind == Activation.Kind.SIGMOID, n, a, ar, delta, dr);
                    break;
                case ELU:
                    ScalarKernels.eluBackwardRow(n, act.slope(), a, ar, delta, dr);
                    break;
                case SILU: // a holds Z
                    for (int j = 0; j < n; j++) {
                        delta[dr + j] = delta[dr + j] * VectorMath.siluGrad(a[ar + j]);
                    }
                    break;
                case GELU_TANH:
                    for (int j = 0; j < n; j++) {
                        delta[dr + j] = delta[dr + j] * VectorMath.geluGrad(a[ar + j]);
                    }
                    break;
                case SOFTPLUS: // a holds Z
                    for (int j = 0; j < n; j++) {
                        delta[dr + j] = delta[dr + j] * VectorMath.sigmoid(a[ar + j]);
                    }
                    break;
                case GELU: // a holds Z
                    for (int j = 0; j < n; j++) {
                        delta[dr + j] = delta[dr + j] * VectorMath.geluErfGrad(a[ar + j]);
                    }
                    break;
                case SOFTMAX:
                    softmaxBackwardRow(n, dotK(n, delta, dr, a, ar), a, ar, delta, dr);
                    break;
                default:
                    throw new AssertionError(act);
            }
        }
    }

    /**
     * {@code delta ← delta} where {@code a > 0}, else {@code delta·slope} (the SIMD body and tail alike),
     * without a branch: half of them would be mispredicted on a ReLU layer. {@code a > 0}
     * holds exactly when the bits of {@code a}, less one, lie in {@code [0, 0x7F7FFFFF]} (positive, not zero,
     * not NaN), which a sign bit tells: {@code u | (0x7F7FFFFF − u)} is negative otherwise.
     */
    private static void reluBackwardRow(int n, float slope, float[] a, int ar, float[] delta, int dr) {
        for (int j = 0; j < n; j++) {
            delta[dr + j] = reluBackward(delta[dr + j], a[ar + j], slope);
        }
    }

    /** {@link #reluBackwardRow} over {@code [from, to)} of two arrays at the same offsets. */
    private static void reluBackwardSame(int from, int to, float slope, float[] a, float[] delta) {
        for (int i = from; i < to; i++) {
            delta[i] = reluBackward(delta[i], a[i], slope);
        }
    }

    /** {@code d} where {@code a > 0}, else {@code d·slope}, by the bits (see {@link #reluBackwardRow}). */
    private static float reluBackward(float d, float a, float slope) {
        int u = Float.floatToRawIntBits(a) - 1;
        int keep = ~((u | (0x7F7FFFFF - u)) >> 31); // all ones where a > 0
        int bits = (Float.floatToRawIntBits(d) & keep) | (Float.floatToRawIntBits(d * slope) & ~keep);
        return Float.intBitsToFloat(bits);
    }

    /** {@code delta ← delta·s(1 − s)} (sigmoid) or {@code delta·(1 − t²)} (tanh). */
    private static void squashBackwardRow(boolean sigmoid, int n, float[] a, int ar, float[] delta, int dr) {
        for (int j = 0; j < n; j++) {
            float v = a[ar + j];
            delta[dr + j] *= sigmoid ? v * (1f - v) : 1f - v * v;
        }
    }

    /** {@code delta ← s ⊙ (delta − dot)}. */
    private static void softmaxBackwardRow(int n, float dot, float[] a, int ar, float[] delta, int dr) {
        for (int j = 0; j < n; j++) {
            delta[dr + j] = a[ar + j] * (delta[dr + j] - dot);
        }
    }

    // ------------------------------------------------------------------ vectors and reductions

    @Override
    protected void addBiasK(int m, int n, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            axpyK(n, 1f, bias, biasOff, c, cOff + i * ldc);
        }
    }

    @Override
    protected void columnSumsK(int m, int n, float[] a, int aOff, int lda, float[] sums, int sOff) {
        // Each column from 0 in row order: the SIMD register sums and its scalar tail alike. In blocks of NB
        // columns summed in a scratch row from a copy of each row, both at offset 0 (see storePlusBias).
        TwinScratch s = TwinScratch.local();
        float[] acc = s.acc0;
        for (int j0 = 0; j0 < n; j0 += NB) {
            int w = Math.min(NB, n - j0);
            Arrays.fill(acc, 0, w, 0f);
            float[] row = s.row(w);
            for (int i = 0; i < m; i++) {
                System.arraycopy(a, aOff + i * lda + j0, row, 0, w);
                int piece = early(EARLY_ROWS, (w + PIECE - 1) / PIECE) ? PIECE : w;
                for (int j = 0; j < w; j += piece) {
                    addRow(j, Math.min(j + piece, w), row, acc);
                }
            }
            System.arraycopy(acc, 0, sums, sOff + j0, w);
        }
    }

    private static void addRow(int from, int to, float[] row, float[] acc) {
        for (int j = from; j < to; j++) {
            acc[j] += row[j];
        }
    }

    @Override
    protected void axpyK(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    @Override
    protected void scaleK(int n, float alpha, float[] x, int xOff) {
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    /**
     * {@link SimdKernels#dotK}: with at least one whole vector, {@code 4·L} lane-wise partial sums, then the
     * first {@code L} over the remaining whole vectors, combined {@code (s0 + s1) + (s2 + s3)}, then the
     * rotate-and-add tree ({@code t_i += t_{(i + h) mod L}} for {@code h = L/2, …, 1}) and lane 0; then the
     * scalar tail.
     */
    @Override
    protected float dotK(int n, float[] x, int xOff, float[] y, int yOff) {
        int l = lanes;
        int bound = n - n % l;
        int i = 0;
        float sum = 0f;
        if (bound > 0) {
            TwinScratch s = TwinScratch.local();
            float[] parts = s.parts;
            Arrays.fill(parts, 0, 4 * l, 0f);
            int bound4 = n - n % (4 * l);
            boolean same = x == y && xOff == yOff; // a sum of squares: one copy serves both factors
            for (; i + 16 * l <= bound4; i += 16 * l) { // a short method called many times (see activationForwardK)
                partials4(4 * l, x, xOff + i, y, yOff + i, same, s.dx, s.dy, parts);
            }
            for (; i < bound4; i += 4 * l) {
                for (int q = 0; q < 4 * l; q++) {
                    parts[q] = Math.fma(x[xOff + i + q], y[yOff + i + q], parts[q]);
                }
            }
            i = bound4;
            for (; i < bound; i += l) {
                for (int q = 0; q < l; q++) {
                    parts[q] = Math.fma(x[xOff + i + q], y[yOff + i + q], parts[q]);
                }
            }
            sum = laneZero(l, parts);
        }
        for (; i < n; i++) {
            sum = Math.fma(x[xOff + i], y[yOff + i], sum);
        }
        return sum;
    }

    /**
     * The four vectors of partial sums in {@code parts[0, 4l)} combined {@code (s0 + s1) + (s2 + s3)}, then lane 0
     * of the SIMD rotate-and-add tree ({@code t'_q = t_q + t_{(q + h) mod l}} for {@code h = l/2, …, 1}), which
     * depends only on lanes {@code q < h} of each level, where {@code q + h < l} needs no wrap: {@code l − 1}
     * additions instead of {@code l·log₂ l}. A method of its own, so that {@link #dotK}'s calls loop less
     * (see {@link #PIECE}).
     */
    private static float laneZero(int l, float[] parts) {
        for (int q = 0; q < l; q++) {
            parts[q] = (parts[q] + parts[l + q]) + (parts[2 * l + q] + parts[3 * l + q]);
        }
        for (int h = l / 2; h >= 1; h /= 2) {
            for (int q = 0; q < h; q++) {
                parts[q] = parts[q] + parts[q + h];
            }
        }
        return parts[0];
    }

    /**
     * {@code parts[q] = fma(x_i, y_i, parts[q])} for {@code i ≡ q (mod w)}, in order, over the {@code 4·w}
     * elements from {@code xOff} and {@code yOff} (four iterations of the SIMD loop over its four vectors,
     * {@code w = 4·L}). The four blocks of each factor are first copied to arrays of their own at offset 0
     * ({@code dx}, {@code dy}; {@code dy} is not used when {@code same}): C2 (JDK 17) vectorizes a loop only when
     * all its float accesses share one alignment, which offsets known only at run time do not; so the loop
     * reads every array from index 0, as the parts are, and C2 vectorizes it.
     */
    private static void partials4(int w, float[] x, int xOff, float[] y, int yOff, boolean same,
                                  float[][] dx, float[][] dy, float[] parts) {
        float[] x0 = dx[0];
        float[] x1 = dx[1];
        float[] x2 = dx[2];
        float[] x3 = dx[3];
        System.arraycopy(x, xOff, x0, 0, w);
        System.arraycopy(x, xOff + w, x1, 0, w);
        System.arraycopy(x, xOff + 2 * w, x2, 0, w);
        System.arraycopy(x, xOff + 3 * w, x3, 0, w);
        float[] y0 = x0;
        float[] y1 = x1;
        float[] y2 = x2;
        float[] y3 = x3;
        if (!same) {
            y0 = dy[0];
            y1 = dy[1];
            y2 = dy[2];
            y3 = dy[3];
            System.arraycopy(y, yOff, y0, 0, w);
            System.arraycopy(y, yOff + w, y1, 0, w);
            System.arraycopy(y, yOff + 2 * w, y2, 0, w);
            System.arraycopy(y, yOff + 3 * w, y3, 0, w);
        }
        for (int q = 0; q < w; q++) {
            parts[q] = Math.fma(x3[q], y3[q], Math.fma(x2[q], y2[q], Math.fma(x1[q], y1[q],
                    Math.fma(x0[q], y0[q], parts[q]))));
        }
    }

    /** {@link SimdKernels#sumOfSquaresK}: above {@link ParallelElementwise#BLOCK}, the blocks' sums in order. */
    @Override
    protected float sumOfSquaresK(int n, float[] x, int xOff) {
        if (n <= ParallelElementwise.BLOCK) {
            return dotK(n, x, xOff, x, xOff);
        }
        float sum = 0f;
        for (int lo = 0; lo < n; lo += ParallelElementwise.BLOCK) {
            int len = Math.min(ParallelElementwise.BLOCK, n - lo);
            sum += dotK(len, x, xOff + lo, x, xOff + lo);
        }
        return sum;
    }

    // ------------------------------------------------------------------ optimizer updates

    @Override
    protected void sgdStepK(int n, float lr, float weightDecay, float[] param, int pOff, float[] grad, int gOff) {
        for (int i = 0; i < n; i++) {
            float p = param[pOff + i];
            float g = Math.fma(weightDecay, p, grad[gOff + i]);
            param[pOff + i] = Math.fma(-lr, g, p);
        }
    }

    @Override
    protected void momentumStepK(int n, float lr, float momentum, float weightDecay, boolean nesterov,
                                 float[] param, int pOff, float[] grad, int gOff, float[] velocity, int vOff) {
        for (int i = 0; i < n; i++) {
            float p = param[pOff + i];
            float g = Math.fma(weightDecay, p, grad[gOff + i]);
            float v = Math.fma(momentum, velocity[vOff + i], g);
            velocity[vOff + i] = v;
            float step = nesterov ? Math.fma(momentum, v, g) : v;
            param[pOff + i] = Math.fma(-lr, step, p);
        }
    }

    /** {@link SimdKernels#adamRange}: the vector body's roundings for whole vectors, its tail's for the rest. */
    @Override
    protected void adamStepK(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                             boolean decoupled, float biasCorrection1, float biasCorrection2Sqrt,
                             float[] param, int pOff, float[] grad, int gOff,
                             float[] m, int mOff, float[] v, int vOff) {
        float stepSize = lr / biasCorrection1;
        float decay = decoupled ? 1f - lr * weightDecay : 1f;
        float l2 = decoupled ? 0f : weightDecay;
        float invBc2 = 1f / biasCorrection2Sqrt;
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        int bound = n - n % lanes;
        if (pOff == gOff && gOff == mOff && mOff == vOff) {
            // In pieces of 256, or PIECE while early: a short method called many times.
            int piece = early(EARLY_ADAM, (bound + PIECE - 1) / PIECE) ? PIECE : 256;
            for (int lo = pOff, end = pOff + bound; lo < end; lo += piece) {
                adamBody(lo, Math.min(lo + piece, end), decay, l2, beta1, oneMinusBeta1, beta2, oneMinusBeta2,
                        invBc2, eps, stepSize, param, grad, m, v);
            }
        } else {
            for (int i = 0; i < bound; i++) {
                float p = param[pOff + i] * decay;
                float g = p * l2 + grad[gOff + i];
                float mi = m[mOff + i] * beta1 + g * oneMinusBeta1;
                float vi = v[vOff + i] * beta2 + g * g * oneMinusBeta2;
                m[mOff + i] = mi;
                v[vOff + i] = vi;
                float denom = (float) Math.sqrt(vi) * invBc2 + eps;
                param[pOff + i] = p - mi * stepSize / denom;
            }
        }
        adamTail(bound, n, pOff, gOff, mOff, vOff, decay, l2, beta1, oneMinusBeta1, beta2, oneMinusBeta2, invBc2, eps,
                stepSize, param, grad, m, v);
    }

    /**
     * The vector body's roundings over {@code [from, to)} of four arrays at the same offsets (the optimizer's
     * case): one index for every array, which C2 vectorizes.
     */
    private static void adamBody(int from, int to, float decay, float l2, float beta1, float oneMinusBeta1,
                                 float beta2, float oneMinusBeta2, float invBc2, float eps, float stepSize,
                                 float[] param, float[] grad, float[] m, float[] v) {
        for (int i = from; i < to; i++) {
            float p = param[i] * decay;
            float g = p * l2 + grad[i];
            float mi = m[i] * beta1 + g * oneMinusBeta1;
            float vi = v[i] * beta2 + g * g * oneMinusBeta2;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) * invBc2 + eps;
            param[i] = p - mi * stepSize / denom;
        }
    }

    /** The scalar tail's roundings for elements {@code [bound, n)}. */
    private static void adamTail(int bound, int n, int pOff, int gOff, int mOff, int vOff, float decay, float l2,
                                 float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float invBc2,
                                 float eps, float stepSize, float[] param, float[] grad, float[] m, float[] v) {
        for (int i = bound; i < n; i++) {
            float p = param[pOff + i] * decay;
            float g = Math.fma(l2, p, grad[gOff + i]);
            float mi = beta1 * m[mOff + i] + oneMinusBeta1 * g;
            float vi = beta2 * v[vOff + i] + oneMinusBeta2 * g * g;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float denom = (float) Math.sqrt(vi) * invBc2 + eps;
            param[pOff + i] = p - stepSize * mi / denom;
        }
    }

    /** Elementwise with one rounding per element: the scalar reference has the SIMD kernel's bits. */
    @Override
    protected void dropoutK(int m, int n, int threshold, float scale, int[] rowKeys, int kOff,
                            float[] a, int aOff, int lda, float[] out, int outOff, int ldo) {
        ScalarKernels.INSTANCE.dropoutK(m, n, threshold, scale, rowKeys, kOff, a, aOff, lda, out, outOff, ldo);
    }

    /** Column sums in row order, one rounding per operation, in each lane: the scalar reference's bits. */
    @Override
    protected void columnMeanAndVarianceK(int m, int n, float[] z, int zOff, int ldz, float[] mean, int mOff,
                                          float[] var, int vOff) {
        ScalarKernels.INSTANCE.columnMeanAndVarianceK(m, n, z, zOff, ldz, mean, mOff, var, vOff);
    }

    @Override
    protected void normalizeColumnsK(int m, int n, float[] z, int zOff, int ldz, float[] mean, int mOff,
                                     float[] rstd, int rOff, float[] gamma, int gOff, float[] beta, int bOff,
                                     float[] xhat, int xOff, int ldx, float[] y, int yOff, int ldy) {
        ScalarKernels.INSTANCE.normalizeColumnsK(m, n, z, zOff, ldz, mean, mOff, rstd, rOff, gamma, gOff, beta, bOff,
                xhat, xOff, ldx, y, yOff, ldy);
    }

    @Override
    protected void normalizeColumnsBackwardK(int m, int n, float[] xhat, int xOff, int ldx, float[] gamma, int gOff,
                                             float[] rstd, int rOff, float[] g, int gradOff, int ldg,
                                             float[] dGamma, int dgOff, float[] dBeta, int dbOff) {
        ScalarKernels.INSTANCE.normalizeColumnsBackwardK(m, n, xhat, xOff, ldx, gamma, gOff, rstd, rOff, g, gradOff,
                ldg, dGamma, dgOff, dBeta, dbOff);
    }
}
