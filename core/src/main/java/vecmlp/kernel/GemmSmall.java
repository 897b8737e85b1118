package vecmlp.kernel;

import static vecmlp.kernel.GemmShape.L;
import static vecmlp.kernel.GemmShape.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The path for a few rows ({@code m ≤} {@link Gemm#SMALL_M}, e.g. batch-1 inference), and for a few last
 * columns of the blocked path as the transposed product ({@link #edgeColumns}): a GEMV per row of C that
 * reads the operands where they lie, without packing. It is memory bound on B, which it streams
 * once per row (with B not transposed and 16-lane vectors, once per pair of rows): with B not transposed, into
 * sums held in registers, sixteen or eight vectors of columns at a time (eight of each row for a pair), and for
 * the last columns four rows of B at a time folded into an L1-resident block of sums
 * ({@code sums += A[i,p..p+4) · B[p..p+4, block]}); with B transposed, each {@code C[i,j]} is a dot
 * product of two contiguous rows with four vector accumulators (a transposed A is first gathered into a
 * contiguous row).
 *
 * <p>Each element's sum is a fixed sequence of FMAs that depends only on {@code k}, never on the column
 * range a thread gets, so results are bit-identical for any thread count.
 */
final class GemmSmall {

    private GemmSmall() {
    }

    /**
     * Rows {@code [0, m)}, columns {@code [j0, j1)} of C; {@code row} is a scratch array of ≥ k floats,
     * {@code sums} and {@code sums2} (the second row of a pair) of ≥ {@link #WIDTH}.
     */
    static void compute(Gemm.Job job, int j0, int j1, float[] row, float[] sums, float[] sums2) {
        int i = 0;
        if (!job.transB && REGISTER_VECTORS == 16) {
            for (; i + 1 < job.m; i += 2) {
                rowPairTimesB(job, i, j0, j1, sums, sums2);
            }
        }
        for (; i < job.m; i++) {
            if (!job.transB) {
                rowTimesB(job, i, j0, j1, sums);
            } else {
                rowDotRows(job, i, j0, j1, row, sums);
            }
        }
    }

    /**
     * Columns {@code [j0, j1)} (a few: the narrow last panel) of rows {@code [m0, m1)} of the blocked path's
     * C, with the job's epilogue: their sums are the few-row product {@code op(B)ᵀ[j0..j1) · op(A)ᵀ}, computed
     * here into the workspace (its rows are C's columns) and written to C element by element. Each sum
     * depends only on k, never on the rows a thread gets.
     */
    static void edgeColumns(Gemm.Job job, int m0, int m1, int j0, int j1, GemmWorkspace ws) {
        int w = j1 - j0;
        int rows = m1 - m0;
        Gemm.Job t = ws.edgeJob;
        t.m = w;
        t.n = rows;
        t.k = job.k;
        t.alpha = 1f;
        t.beta = 0f;
        t.act = GemmKernel.ACT_NONE;
        // op(B)ᵀ(r, p) = op(B)(p, j0 + r): B's rows where B is transposed, its columns otherwise.
        t.transA = !job.transB;
        t.a = job.b;
        t.aOff = job.transB ? job.bOff + j0 * job.ldb : job.bOff + j0;
        t.lda = job.ldb;
        // op(A)ᵀ(p, q) = op(A)(m0 + q, p).
        t.transB = !job.transA;
        t.b = job.a;
        t.bOff = job.transA ? job.aOff + m0 : job.aOff + m0 * job.lda;
        t.ldb = job.lda;
        t.c = ws.edge(w * rows);
        t.cOff = 0;
        t.ldc = rows;
        try {
            compute(t, 0, rows, ws.row(job.k), ws.sums, ws.sums2);
            float[] sums = t.c;
            float[] c = job.c;
            for (int q = 0; q < rows; q++) {
                int o = job.cOff + (m0 + q) * job.ldc + j0;
                for (int r = 0; r < w; r++) {
                    c[o + r] = GemmKernel.epilogue(sums[r * rows + q], job.beta != 0f ? c[o + r] : 0f, job.alpha,
                            job.beta, job.bias != null ? job.bias[job.biasOff + j0 + r] : 0f, job.bias != null,
                            job.act, job.slope);
                }
            }
        } finally {
            t.clear();
        }
    }

    /** Columns per pass of {@link #rowTimesB}: its sums (2 KiB) stay in L1 while rows of B stream past. */
    static final int WIDTH = 512;

    /**
     * The most vectors of sums {@link #rowTimesB} keeps in registers: 16 ({@link #inRegisters16}) with 16-lane
     * (AVX-512) vectors, whose 32 registers hold them, so that a row of a 256-column B streams past whole;
     * otherwise 8 ({@link #inRegisters}), as many as hide the FMA's latency within 16 registers.
     */
    static final int REGISTER_VECTORS = L >= 16 ? 16 : 8;

    /**
     * {@code C[i, j0..j1) = epilogue(Σ_p op(A)[i,p] · B[p, j0..j1))}, B stored {@code k × n}: for each block
     * of up to {@link #WIDTH} columns, the sums of sixteen (where {@link #REGISTER_VECTORS} allows), then of
     * eight vectors of columns at a time in registers over all of k ({@link #inRegisters16},
     * {@link #inRegisters}), and those of the last columns in the block of sums,
     * {@code sums += A[i,p..p+4) · B[p..p+4, rest]}, four rows of B per pass. Each sum is the same FMA
     * sequence over p either way.
     */
    private static void rowTimesB(Gemm.Job job, int i, int j0, int j1, float[] sums) {
        final int k = job.k;
        final float[] a = job.a;
        final float[] b = job.b;
        final int ldb = job.ldb;
        final int aBase = aBase(job, i);
        final int aStride = job.transA ? job.lda : 1;
        for (int jb = j0; jb < j1; jb += WIDTH) {
            int w = Math.min(WIDTH, j1 - jb);
            int bj = job.bOff + jb;
            int wr = 0;
            if (REGISTER_VECTORS == 16) {
                for (; wr + 16 * L <= w; wr += 16 * L) {
                    inRegisters16(k, a, aBase, aStride, b, bj + wr, ldb, sums, wr);
                }
            }
            for (; wr + 8 * L <= w; wr += 8 * L) {
                inRegisters(k, a, aBase, aStride, b, bj + wr, ldb, sums, wr);
            }
            finishRow(job, i, jb, w, wr, sums);
        }
    }

    /**
     * {@link #rowTimesB} for rows {@code i} and {@code i + 1} at once, B streamed once for both: eight vectors of
     * columns of each row's sums in registers ({@link #inRegisters2}), the rest as {@link #rowTimesB} does it.
     * The same FMA sequence per element, so the same bits. With 16-lane vectors only (sixteen sums and the
     * operands need more than the 16 registers of AVX2). Batch-2 and batch-4 inference took about m times a single
     * row's time when each row streamed B on its own, 40% longer than now (784-256-128-10, the Zen 5 EPYC,
     * {@code SmallBatchBenchmark}).
     */
    private static void rowPairTimesB(Gemm.Job job, int i, int j0, int j1, float[] sums, float[] sums2) {
        final int aStride = job.transA ? job.lda : 1;
        final int aBase = aBase(job, i);
        final int aNext = aBase(job, i + 1);
        for (int jb = j0; jb < j1; jb += WIDTH) {
            int w = Math.min(WIDTH, j1 - jb);
            int bj = job.bOff + jb;
            int wr = 0;
            for (; wr + 8 * L <= w; wr += 8 * L) {
                inRegisters2(job.k, job.a, aBase, aNext, aStride, job.b, bj + wr, job.ldb, sums, sums2, wr);
            }
            finishRow(job, i, jb, w, wr, sums);
            finishRow(job, i + 1, jb, w, wr, sums2);
        }
    }

    /** Where row {@code i} of op(A) starts: {@code op(A)(i, p) = a[aBase + p·aStride]}. */
    private static int aBase(Gemm.Job job, int i) {
        return job.transA ? job.aOff + i : job.aOff + i * job.lda;
    }

    /**
     * Row {@code i}'s columns {@code [jb + wr, jb + w)} into the block of sums (four rows of B per pass), then
     * the epilogue of the block's {@code w} columns from {@code sums} (whose first {@code wr} hold the sums kept in
     * registers) into C.
     */
    private static void finishRow(Gemm.Job job, int i, int jb, int w, int wr, float[] sums) {
        final int k = job.k;
        final float[] a = job.a;
        final float[] b = job.b;
        final int ldb = job.ldb;
        final int aBase = aBase(job, i);
        final int aStride = job.transA ? job.lda : 1;
        final int cRow = job.cOff + i * job.ldc;
        final int bj = job.bOff + jb;
        final int wv = w - w % L;
        java.util.Arrays.fill(sums, wr, w, 0f);
        int p = 0;
        for (; p + 4 <= k && wr < w; p += 4) {
            float x0 = a[aBase + p * aStride];
            float x1 = a[aBase + (p + 1) * aStride];
            float x2 = a[aBase + (p + 2) * aStride];
            float x3 = a[aBase + (p + 3) * aStride];
            int r0 = bj + p * ldb;
            accumulate4(sums, wr, wv, w, b, r0, ldb, x0, x1, x2, x3);
        }
        for (; p < k && wr < w; p++) {
            float x0 = a[aBase + p * aStride];
            int r0 = bj + p * ldb;
            for (int j = wr; j < wv; j += L) {
                FloatVector.broadcast(SPECIES, x0).fma(FloatVector.fromArray(SPECIES, b, r0 + j),
                        FloatVector.fromArray(SPECIES, sums, j)).intoArray(sums, j);
            }
            for (int j = wv; j < w; j++) {
                sums[j] = Math.fma(x0, b[r0 + j], sums[j]);
            }
        }
        store(job, sums, wv / L, cRow, jb);
        for (int j = wv; j < w; j++) {
            job.c[cRow + jb + j] = epilogue(job, sums[j], cRow, jb + j);
        }
    }

    /**
     * {@link #inRegisters} for two rows of op(A) ({@code aBase}, {@code aNext}) over the same 8L columns of B,
     * each B vector loaded once for both: sixteen vectors of sums, row {@code i}'s into {@code sums}, row
     * {@code i + 1}'s into {@code sums2}, from {@code s}.
     */
    private static void inRegisters2(int k, float[] a, int aBase, int aNext, int aStride, float[] b, int bj, int ldb,
                                     float[] sums, float[] sums2, int s) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector s4 = s0;
        FloatVector s5 = s0;
        FloatVector s6 = s0;
        FloatVector s7 = s0;
        FloatVector t0 = s0;
        FloatVector t1 = s0;
        FloatVector t2 = s0;
        FloatVector t3 = s0;
        FloatVector t4 = s0;
        FloatVector t5 = s0;
        FloatVector t6 = s0;
        FloatVector t7 = s0;
        for (int p = 0, o = bj; p < k; p++, o += ldb) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[aBase + p * aStride]);
            FloatVector y = FloatVector.broadcast(SPECIES, a[aNext + p * aStride]);
            FloatVector v = FloatVector.fromArray(SPECIES, b, o);
            s0 = x.fma(v, s0);
            t0 = y.fma(v, t0);
            v = FloatVector.fromArray(SPECIES, b, o + L);
            s1 = x.fma(v, s1);
            t1 = y.fma(v, t1);
            v = FloatVector.fromArray(SPECIES, b, o + 2 * L);
            s2 = x.fma(v, s2);
            t2 = y.fma(v, t2);
            v = FloatVector.fromArray(SPECIES, b, o + 3 * L);
            s3 = x.fma(v, s3);
            t3 = y.fma(v, t3);
            v = FloatVector.fromArray(SPECIES, b, o + 4 * L);
            s4 = x.fma(v, s4);
            t4 = y.fma(v, t4);
            v = FloatVector.fromArray(SPECIES, b, o + 5 * L);
            s5 = x.fma(v, s5);
            t5 = y.fma(v, t5);
            v = FloatVector.fromArray(SPECIES, b, o + 6 * L);
            s6 = x.fma(v, s6);
            t6 = y.fma(v, t6);
            v = FloatVector.fromArray(SPECIES, b, o + 7 * L);
            s7 = x.fma(v, s7);
            t7 = y.fma(v, t7);
        }
        s0.intoArray(sums, s);
        s1.intoArray(sums, s + L);
        s2.intoArray(sums, s + 2 * L);
        s3.intoArray(sums, s + 3 * L);
        s4.intoArray(sums, s + 4 * L);
        s5.intoArray(sums, s + 5 * L);
        s6.intoArray(sums, s + 6 * L);
        s7.intoArray(sums, s + 7 * L);
        t0.intoArray(sums2, s);
        t1.intoArray(sums2, s + L);
        t2.intoArray(sums2, s + 2 * L);
        t3.intoArray(sums2, s + 3 * L);
        t4.intoArray(sums2, s + 4 * L);
        t5.intoArray(sums2, s + 5 * L);
        t6.intoArray(sums2, s + 6 * L);
        t7.intoArray(sums2, s + 7 * L);
    }

    /**
     * {@code sums[s..s+8L)}: the sums {@code Σ_p op(A)(i,p)·B(p, ·)} of the 8L columns of B whose row p
     * starts at {@code b[bj + p·ldb]}, {@code op(A)(i,p)} at {@code a[aBase + p·aStride]}, held in eight
     * vector registers while the k rows stream past, one FMA per depth in depth
     * order. (Through a block of sums in L1, a load and a store of the sums per four rows: the 784 × 256
     * product of batch-1 inference took 19–21 µs against 13–15 µs here, an ad-hoc timing on the Intel
     * AVX-512 machine.)
     */
    private static void inRegisters(int k, float[] a, int aBase, int aStride, float[] b, int bj, int ldb,
                                    float[] sums, int s) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector s4 = s0;
        FloatVector s5 = s0;
        FloatVector s6 = s0;
        FloatVector s7 = s0;
        for (int p = 0, o = bj; p < k; p++, o += ldb) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[aBase + p * aStride]);
            s0 = x.fma(FloatVector.fromArray(SPECIES, b, o), s0);
            s1 = x.fma(FloatVector.fromArray(SPECIES, b, o + L), s1);
            s2 = x.fma(FloatVector.fromArray(SPECIES, b, o + 2 * L), s2);
            s3 = x.fma(FloatVector.fromArray(SPECIES, b, o + 3 * L), s3);
            s4 = x.fma(FloatVector.fromArray(SPECIES, b, o + 4 * L), s4);
            s5 = x.fma(FloatVector.fromArray(SPECIES, b, o + 5 * L), s5);
            s6 = x.fma(FloatVector.fromArray(SPECIES, b, o + 6 * L), s6);
            s7 = x.fma(FloatVector.fromArray(SPECIES, b, o + 7 * L), s7);
        }
        s0.intoArray(sums, s);
        s1.intoArray(sums, s + L);
        s2.intoArray(sums, s + 2 * L);
        s3.intoArray(sums, s + 3 * L);
        s4.intoArray(sums, s + 4 * L);
        s5.intoArray(sums, s + 5 * L);
        s6.intoArray(sums, s + 6 * L);
        s7.intoArray(sums, s + 7 * L);
    }

    /** {@link #inRegisters} for the 16L columns from {@code bj}, with sixteen vectors of sums. */
    private static void inRegisters16(int k, float[] a, int aBase, int aStride, float[] b, int bj, int ldb,
                                      float[] sums, int s) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector s4 = s0;
        FloatVector s5 = s0;
        FloatVector s6 = s0;
        FloatVector s7 = s0;
        FloatVector s8 = s0;
        FloatVector s9 = s0;
        FloatVector s10 = s0;
        FloatVector s11 = s0;
        FloatVector s12 = s0;
        FloatVector s13 = s0;
        FloatVector s14 = s0;
        FloatVector s15 = s0;
        for (int p = 0, o = bj; p < k; p++, o += ldb) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[aBase + p * aStride]);
            s0 = x.fma(FloatVector.fromArray(SPECIES, b, o), s0);
            s1 = x.fma(FloatVector.fromArray(SPECIES, b, o + L), s1);
            s2 = x.fma(FloatVector.fromArray(SPECIES, b, o + 2 * L), s2);
            s3 = x.fma(FloatVector.fromArray(SPECIES, b, o + 3 * L), s3);
            s4 = x.fma(FloatVector.fromArray(SPECIES, b, o + 4 * L), s4);
            s5 = x.fma(FloatVector.fromArray(SPECIES, b, o + 5 * L), s5);
            s6 = x.fma(FloatVector.fromArray(SPECIES, b, o + 6 * L), s6);
            s7 = x.fma(FloatVector.fromArray(SPECIES, b, o + 7 * L), s7);
            s8 = x.fma(FloatVector.fromArray(SPECIES, b, o + 8 * L), s8);
            s9 = x.fma(FloatVector.fromArray(SPECIES, b, o + 9 * L), s9);
            s10 = x.fma(FloatVector.fromArray(SPECIES, b, o + 10 * L), s10);
            s11 = x.fma(FloatVector.fromArray(SPECIES, b, o + 11 * L), s11);
            s12 = x.fma(FloatVector.fromArray(SPECIES, b, o + 12 * L), s12);
            s13 = x.fma(FloatVector.fromArray(SPECIES, b, o + 13 * L), s13);
            s14 = x.fma(FloatVector.fromArray(SPECIES, b, o + 14 * L), s14);
            s15 = x.fma(FloatVector.fromArray(SPECIES, b, o + 15 * L), s15);
        }
        s0.intoArray(sums, s);
        s1.intoArray(sums, s + L);
        s2.intoArray(sums, s + 2 * L);
        s3.intoArray(sums, s + 3 * L);
        s4.intoArray(sums, s + 4 * L);
        s5.intoArray(sums, s + 5 * L);
        s6.intoArray(sums, s + 6 * L);
        s7.intoArray(sums, s + 7 * L);
        s8.intoArray(sums, s + 8 * L);
        s9.intoArray(sums, s + 9 * L);
        s10.intoArray(sums, s + 10 * L);
        s11.intoArray(sums, s + 11 * L);
        s12.intoArray(sums, s + 12 * L);
        s13.intoArray(sums, s + 13 * L);
        s14.intoArray(sums, s + 14 * L);
        s15.intoArray(sums, s + 15 * L);
    }

    /**
     * {@code sums[from..w) += x0·B[r0] + x1·B[r0+ldb] + x2·B[r0+2ldb] + x3·B[r0+3ldb]}, FMA by FMA in that
     * order; vectors up to {@code wv}, then one column at a time.
     */
    private static void accumulate4(float[] sums, int from, int wv, int w, float[] b, int r0, int ldb,
                                    float x0, float x1, float x2, float x3) {
        FloatVector v0 = FloatVector.broadcast(SPECIES, x0);
        FloatVector v1 = FloatVector.broadcast(SPECIES, x1);
        FloatVector v2 = FloatVector.broadcast(SPECIES, x2);
        FloatVector v3 = FloatVector.broadcast(SPECIES, x3);
        int r1 = r0 + ldb;
        int r2 = r1 + ldb;
        int r3 = r2 + ldb;
        for (int j = from; j < wv; j += L) {
            FloatVector s = FloatVector.fromArray(SPECIES, sums, j);
            s = v0.fma(FloatVector.fromArray(SPECIES, b, r0 + j), s);
            s = v1.fma(FloatVector.fromArray(SPECIES, b, r1 + j), s);
            s = v2.fma(FloatVector.fromArray(SPECIES, b, r2 + j), s);
            s = v3.fma(FloatVector.fromArray(SPECIES, b, r3 + j), s);
            s.intoArray(sums, j);
        }
        for (int j = wv; j < w; j++) {
            float s = sums[j];
            s = Math.fma(x0, b[r0 + j], s);
            s = Math.fma(x1, b[r1 + j], s);
            s = Math.fma(x2, b[r2 + j], s);
            s = Math.fma(x3, b[r3 + j], s);
            sums[j] = s;
        }
    }

    /** {@code C[i, j] = epilogue(op(A)[i,:] · B[j,:])} for j in {@code [j0, j1)}, B stored {@code n × k}. */
    private static void rowDotRows(Gemm.Job job, int i, int j0, int j1, float[] row, float[] lanes) {
        final int k = job.k;
        float[] x;
        int xOff;
        if (job.transA) {
            for (int p = 0; p < k; p++) {
                row[p] = job.a[job.aOff + p * job.lda + i];
            }
            x = row;
            xOff = 0;
        } else {
            x = job.a;
            xOff = job.aOff + i * job.lda;
        }
        final int cRow = job.cOff + i * job.ldc;
        for (int j = j0; j < j1; j++) {
            float s = dot(k, x, xOff, job.b, job.bOff + j * job.ldb, lanes);
            job.c[cRow + j] = epilogue(job, s, cRow, j);
        }
    }

    /** {@code Σ_p x[xOff + p] · b[bj + p]}: four vector accumulators, then one, their lanes, then a scalar tail. */
    private static float dot(int k, float[] x, int xOff, float[] b, int bj, float[] lanes) {
        final int bound4 = k - k % (4 * L);
        final int bound = k - k % L;
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
        int p = 0;
        for (; p < bound4; p += 4 * L) {
            s0 = FloatVector.fromArray(SPECIES, x, xOff + p).fma(FloatVector.fromArray(SPECIES, b, bj + p), s0);
            s1 = FloatVector.fromArray(SPECIES, x, xOff + p + L).fma(FloatVector.fromArray(SPECIES, b, bj + p + L), s1);
            s2 = FloatVector.fromArray(SPECIES, x, xOff + p + 2 * L)
                    .fma(FloatVector.fromArray(SPECIES, b, bj + p + 2 * L), s2);
            s3 = FloatVector.fromArray(SPECIES, x, xOff + p + 3 * L)
                    .fma(FloatVector.fromArray(SPECIES, b, bj + p + 3 * L), s3);
        }
        for (; p < bound; p += L) {
            s0 = FloatVector.fromArray(SPECIES, x, xOff + p).fma(FloatVector.fromArray(SPECIES, b, bj + p), s0);
        }
        // Lanes summed in a fixed order, not by reduceLanes(ADD), whose order differs between the JIT's
        // intrinsic and the interpreter: the same call would give other bits before and after compilation.
        s0.add(s1).add(s2.add(s3)).intoArray(lanes, 0);
        float s = 0f;
        for (int l = 0; l < L; l++) {
            s += lanes[l];
        }
        for (; p < k; p++) {
            s = Math.fma(x[xOff + p], b[bj + p], s);
        }
        return s;
    }

    /**
     * The vector epilogue of {@code count} vectors of sums, the same roundings as {@link GemmKernel}, one
     * step per pass over the L1-resident sums: no vector is conditionally reassigned inside a loop, a
     * pattern C2 on JDK 17 compiles with an allocation per vector.
     */
    private static void store(Gemm.Job job, float[] sums, int count, int cRow, int j) {
        float[] c = job.c;
        int o = cRow + j;
        int len = count * L;
        if (job.alpha != 1f) {
            for (int v = 0; v < len; v += L) {
                FloatVector.fromArray(SPECIES, sums, v).mul(job.alpha).intoArray(sums, v);
            }
        }
        if (job.beta != 0f) {
            FloatVector beta = FloatVector.broadcast(SPECIES, job.beta);
            for (int v = 0; v < len; v += L) {
                FloatVector.fromArray(SPECIES, c, o + v).fma(beta, FloatVector.fromArray(SPECIES, sums, v))
                        .intoArray(sums, v);
            }
        }
        if (job.bias != null) {
            int bo = job.biasOff + j;
            for (int v = 0; v < len; v += L) {
                FloatVector.fromArray(SPECIES, sums, v).add(FloatVector.fromArray(SPECIES, job.bias, bo + v))
                        .intoArray(sums, v);
            }
        }
        if (job.act == GemmKernel.ACT_RELU) {
            for (int v = 0; v < len; v += L) {
                FloatVector.fromArray(SPECIES, sums, v).max(0f).intoArray(sums, v);
            }
        } else if (job.act == GemmKernel.ACT_LEAKY) {
            for (int v = 0; v < len; v += L) {
                FloatVector x = FloatVector.fromArray(SPECIES, sums, v);
                x.blend(x.mul(job.slope), x.compare(VectorOperators.LE, 0f)).intoArray(sums, v);
            }
        }
        for (int v = 0; v < len; v += L) {
            FloatVector.fromArray(SPECIES, sums, v).intoArray(c, o + v);
        }
    }

    private static float epilogue(Gemm.Job job, float x, int cRow, int j) {
        return GemmKernel.epilogue(x, job.c[cRow + j], job.alpha, job.beta,
                job.bias == null ? 0f : job.bias[job.biasOff + j], job.bias != null, job.act, job.slope);
    }
}
