package vecmlp.kernel;

import static vecmlp.kernel.GemmShape.KC;
import static vecmlp.kernel.GemmShape.MC;
import static vecmlp.kernel.GemmShape.MR;
import static vecmlp.kernel.GemmShape.NC;
import static vecmlp.kernel.GemmShape.NR;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SIMD GEMM driver, {@code C = epilogue(alpha · op(A) · op(B) + beta · C)}, with the anatomy of BLIS
 * ({@code bli_gemm_ker_var2}; Goto and van de Geijn 2008): loops over {@code NC} columns of C, {@code KC}
 * depths and {@code MC} rows, around the packing of a {@code KC × NC} block of B into {@code KC × NR}
 * panels ({@link GemmPack#packB}), around one {@code MR × NR} micro-kernel ({@link GemmKernel}). Sizes are
 * in {@link GemmShape}.
 *
 * <p>Two departures from BLIS, both measured (JMH {@code GemmBenchmark} and a best-of-N harness on the
 * MLP shapes): unless a block of C has {@link #PACK_A_MIN_PANELS} column panels of a packed B, full
 * {@code MR}-row panels of A are read where they lie rather than packed, since the micro-kernel broadcasts
 * A one element at a time and the {@code MC × KC} block stays in L2 either way (a transposed A is read with
 * swapped strides, so the transposes are still absorbed below the micro-kernel); only a partial last panel
 * is packed, zero-padded. (With more column panels the packing is shared by enough calls of the packed
 * micro-kernel, whose constant strides spare it most of its range checks: packed, 128×256×784 ran 10%
 * faster on an Intel AVX-512 core; since packing A takes one gather per depth, from 4 panels on: NN
 * 128×128×256 and 128×200×512 13–41% faster there, 128×64×256 with 256-bit vectors 6–26%; with 2 or 3
 * panels reading A in place is still faster.) And for at most
 * {@link #B_IN_PLACE_MAX_M} rows of C a row-major B is read in place too, because a packed panel would be
 * used too few times to repay its packing (+20% at m = 16). A few rows ({@code m ≤} {@link #SMALL_M}) take
 * the GEMV path {@link GemmSmall}, and so does a last column panel of at most {@link #EDGE_MAX_COLS}
 * columns, as a product of a few rows transposed (n = 257 would otherwise spend a ninth of its time on one
 * column). A TT product with few rows for its depth is computed transposed, {@code Cᵀ = B·A}, where no
 * operand needs a strided packing, and so is a narrow C (a 10-class output layer), whose rows then lie along
 * the vectors ({@link #swapsOperands}). With one block of rows ({@code m ≤ MC}: every MLP product at batch
 * 128), each panel of B is packed just before the micro-kernel calls that read it, into one L1-resident
 * place, not the whole {@code KC × NC} block first.
 *
 * <p>Threads split C into chunks of whole NR-column panels (or, for a narrow and tall C, of MR rows; with
 * too few column panels for a balanced split, of both), handed out one at a time so that a descheduled
 * thread delays no one ({@link GemmPool}); an A that must be
 * packed whole is packed once, by all threads, into one buffer they share. {@code k} is never
 * split and the depth passes depend only on {@code k}, so every element of C is the same sequence of
 * roundings for any thread count. Buffers belong to the thread ({@link GemmWorkspace}), are sized once and
 * reused: no allocation per call after warm-up.
 *
 * <p>The epilogue: bias and ReLU / leaky ReLU are applied in registers as C is written in the last depth
 * pass (a full tile whose epilogue is a plain store is written by the micro-kernel itself); sigmoid and tanh
 * run over each {@code MC × NC} block of C right after its last pass, while it is in cache; softmax, which
 * needs whole rows, runs over C at the end.
 */
final class Gemm {

    /** Up to this many rows of C, a row-major B is read in place instead of packed. */
    static final int B_IN_PLACE_MAX_M = 48;
    /**
     * From this many column panels of a packed B per block on, full row panels of A are packed too: their
     * packing is then shared by enough micro-kernel calls, and the packed micro-kernel
     * ({@link GemmKernel#kernelPacked}) runs with fewer range checks. Measured with
     * {@code GemmOfPeakBenchmark} (bench/README.md, "Packing A from four column panels").
     */
    static final int PACK_A_MIN_PANELS = 4;

    /** At most this many rows go through the unpacked GEMV path. */
    static final int SMALL_M = 4;
    /**
     * A last column panel of C at most this wide is not given to the micro-kernel, which would compute all
     * {@code NR} columns of it (n = 257 is 8 panels and one column: 1/9 of the work wasted), but to the GEMV
     * path, as the transposed product of a few rows ({@link GemmSmall#edgeColumns}); see {@link #edgeColumns}.
     */
    static final int EDGE_MAX_COLS = SMALL_M;

    /**
     * The width of the last column panel that {@link #blocked} hands to the GEMV path, or 0: a panel of at
     * most {@link #EDGE_MAX_COLS} columns, when k spans more than one depth pass. Its sums are dot products,
     * rounded otherwise than the micro-kernel's; with one depth pass the kernel's sums are those of the
     * few-row path, so a row's outputs do not depend on how many rows its batch has, and the edge keeps
     * that (with several passes the few-row path, which runs k in one go, already differs).
     */
    static int edgeColumns(Job job) {
        int edge = job.n % NR;
        return edge <= EDGE_MAX_COLS && job.k > KC ? edge : 0;
    }
    /**
     * Below this many multiply-adds (about 40 µs on one core), one thread does the whole product; from it
     * on (128×128×256, the middle layer of 784-256-128-10 at batch 128), splitting pays: workers spin
     * 50 µs after a job, so the back-to-back products of a training step start without a wake-up, and a
     * worker not yet awake when the chunks run out is cancelled rather than waited for.
     */
    static final long PARALLEL_MIN_WORK = 1L << 22;
    /** Chunks per thread in a parallel call: small enough pieces to rebalance when a thread is slowed. */
    static final int CHUNKS_PER_THREAD = 4;

    /** One call's arguments, shared read-only by the threads working on it (one reused instance per caller thread). */
    static final class Job {
        /** 0 for a GEMM, else the {@link ParallelElementwise} pass (its length in {@code n}, arguments below). */
        int kind;
        float f0;
        float f1;
        float f2;
        float f3;
        float f4;
        float f5;
        float f6;
        boolean flag;
        float[] x0;
        float[] x1;
        float[] x2;
        float[] x3;
        int o0;
        int o1;
        int o2;
        int o3;
        float[] partials;
        Activation activation;
        boolean transA;
        boolean transB;
        int m;
        int n;
        int k;
        float alpha;
        float[] a;
        int aOff;
        int lda;
        float[] b;
        int bOff;
        int ldb;
        float beta;
        float[] c;
        int cOff;
        int ldc;
        float[] bias;
        int biasOff;
        /** {@link GemmKernel#ACT_NONE}, {@code ACT_RELU} or {@code ACT_LEAKY}: fused in registers. */
        int act;
        float slope;
        /** Sigmoid or tanh, applied per block after its last pass; null otherwise. */
        Activation blockAct;
        SimdKernels kernels;
        /** The partition: by columns (else by rows), in units of NR (MR) or, for the small path, L. */
        boolean small;
        boolean splitN;
        int units;
        int unit;
        /** Groups of whole row panels each column range is cut into (1: none; see {@link #partition}). */
        int rowGroups;
        /** Chunks of C, handed out one by one to whichever thread is free (a descheduled thread delays none). */
        int chunks;
        final AtomicInteger nextChunk = new AtomicInteger();
        /**
         * op(A) packed once for all threads ({@link #sharePackedA}), or null: the packed panels of depth pass
         * {@code pc}, rows {@code i}, start at {@code pc·mPad + i·kc}. Packed in {@code packUnits} pieces (a
         * depth pass × MC rows each) handed out like the chunks; {@code packed} counts the finished ones.
         */
        float[] sharedA;
        int mPad;
        int packUnits;
        final AtomicInteger nextPack = new AtomicInteger();
        final AtomicInteger packed = new AtomicInteger();
        /**
         * The product is computed transposed ({@link #swapsOperands}): {@code c} is then a scratch
         * {@code Cᵀ} and each chunk writes its part of the caller's matrix, {@code out = alpha·Cᵀᵀ + beta·out}.
         */
        boolean swapped;
        float[] out;
        int outOff;
        int ldOut;
        float outAlpha;
        float outBeta;
        float[] outBias;
        int outBiasOff;
        int outAct;
        Activation outBlockAct;
        /**
         * B's panels laid out once ({@link GemmPack#packWhole}, a {@link PackedMatrix}'s), read instead of
         * packing B, or null; the panel of columns {@code [j, j + NR)} of the pass from depth {@code pc} is at
         * {@code pc · nPad + j · kc}, {@code nPad} being n rounded up to whole panels.
         */
        float[] packedB;

        void clear() {
            a = null;
            b = null;
            packedB = null;
            c = null;
            bias = null;
            blockAct = null;
            kernels = null;
            sharedA = null;
            out = null;
            outBias = null;
            outBlockAct = null;
            swapped = false;
            kind = 0;
            x0 = null;
            x1 = null;
            x2 = null;
            x3 = null;
            partials = null;
            activation = null;
        }
    }

    private Gemm() {
    }

    /**
     * The GEMM with an optional fused epilogue {@code act(· + 1·biasᵀ)}; arguments already checked by
     * {@link Kernels}, {@code m, n > 0}.
     */
    static void sgemm(SimdKernels kernels, int threads, boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc, float[] bias, int biasOff, Activation act) {
        sgemm(kernels, threads, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                bias, biasOff, act, null);
    }

    /**
     * {@link #sgemm(SimdKernels, int, boolean, boolean, int, int, int, float, float[], int, int, float[], int,
     * int, float, float[], int, int, float[], int, Activation)} with B's panels laid out once
     * ({@link GemmPack#packWhole} of {@code b}, not transposed, {@code ldb = n}), or null: the blocked path reads
     * them instead of packing B; the other paths read {@code b}. The same FMAs either way, so the same bits.
     */
    static void sgemm(SimdKernels kernels, int threads, boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc, float[] bias, int biasOff, Activation act,
                      float[] packedB) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        GemmWorkspace ws = GemmWorkspace.local();
        Job job = ws.job;
        job.kind = 0;
        job.transA = transA;
        job.transB = transB;
        job.m = m;
        job.n = n;
        job.k = k;
        job.alpha = alpha;
        job.a = a;
        job.aOff = aOff;
        job.lda = lda;
        job.b = b;
        job.bOff = bOff;
        job.ldb = ldb;
        job.beta = beta;
        job.c = c;
        job.cOff = cOff;
        job.ldc = ldc;
        job.bias = bias;
        job.biasOff = biasOff;
        job.kernels = kernels;
        Activation.Kind kind = act == null ? Activation.Kind.IDENTITY : act.kind();
        job.act = kind == Activation.Kind.RELU ? GemmKernel.ACT_RELU
                : kind == Activation.Kind.LEAKY_RELU ? GemmKernel.ACT_LEAKY : GemmKernel.ACT_NONE;
        job.slope = kind == Activation.Kind.LEAKY_RELU ? act.slope() : 0f;
        job.blockAct = act != null && act.usesMath() ? act : null;
        job.packedB = packedB;
        try {
            if (k == 0 || alpha == 0f) {
                degenerate(job);
            } else {
                if (swapsOperands(transA, transB, m, n, k, alpha, beta, GemmShape.L) && packedB == null) {
                    swap(job, ws);
                }
                int parts = partition(job, threads);
                if (parts > 1 && (packsA(job) || packsAOfColumnChunks(job))
                        && (long) ((m + MR - 1) / MR) * MR * k <= Integer.MAX_VALUE - 8) {
                    sharePackedA(job, ws);
                }
                if (parts == 1 || !GemmPool.run(job, parts, ws)) {
                    job.sharedA = null;
                    job.chunks = 1;
                    job.rowGroups = 1;
                    runChunk(job, 0, ws);
                }
            }
            if (kind == Activation.Kind.SOFTMAX) {
                kernels.activationForwardK(act, m, n, c, cOff, ldc, c, cOff, ldc);
            }
        } finally {
            job.clear();
        }
    }

    /**
     * True if {@code C = alpha·op(A)·op(B) + beta·C} is better computed as its transpose
     * {@code Cᵀ = op(B)ᵀ·op(A)ᵀ} (alpha 1, beta 0, no epilogue) into a scratch {@code n × m} matrix that each
     * chunk then writes transposed into C, with the epilogue. Two cases:
     * <ul>
     * <li>TT with few rows of C for its depth ({@code 2m ≤ k}), and with 16 lanes at most
     *     {@link #TT_SWAP_MAX_M} rows: {@code Cᵀ = B·A} is the NN product of the operands where they lie. The
     *     direct product packs the transposed B ({@code k·n} floats; float by float, about a cycle each, unless
     *     16 lanes transpose it in registers, {@link GemmPack#transposeColumns}); the swapped one packs rows of
     *     A (contiguous copies) and transposes C once ({@code m·n}).</li>
     * <li>A narrow C ({@code n ≤ lanes}, a 10-class output layer) with at least {@code 2·lanes} rows: the
     *     direct product fills {@code n} of the micro-kernel's {@code 2·lanes} columns (or of its one-vector
     *     variant's {@code lanes}) and loads a broadcast of A per FMA, the swapped one puts C's rows along the
     *     vectors (with 16 lanes, {@code GemmOfPeakBenchmark}: TN 128×10×128 2.5×, NN 128×10×128 1.4× as
     *     fast). Only where it keeps the direct product's roundings: one depth pass ({@code k ≤ KC}), or alpha 1
     *     and beta 0 with no GEMV edge in the transposed product ({@link #edgeColumns}).</li>
     * </ul>
     * Not for the few-row paths, and only while the scratch stays within 16 MiB; nor, as {@link #sgemm} decides,
     * for B's panels laid out once ({@link PackedMatrix}): read directly they cost nothing to pack, where the
     * swapped product would pack the other operand transposed (a predictor's 128 × 10 × 128 output layer with
     * its softmax 9.1 → 7.2 µs, ad hoc; a narrow product is swapped only where the bits agree). The shape is
     * tested first, so that a few-row product never tests B (a branch the warm-up's few-row calls would not
     * take). A swapped TT product's roundings differ from the direct product's only in alpha and beta, applied once instead of per depth
     * pass, and in the columns a GEMV edge computes; like every path, they depend on the shape, alpha, beta
     * and the lane count alone, never on the thread count. {@link TwinKernels} takes the same decision for its
     * lane count.
     */
    static boolean swapsOperands(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                                 int lanes) {
        if (m <= SMALL_M || n <= SMALL_M || (long) m * n > SWAP_MAX_ELEMENTS) {
            return false;
        }
        if (transA && transB && 2L * m <= k && (lanes != 16 || m <= TT_SWAP_MAX_M)) {
            return true;
        }
        int edge = m % (2 * lanes); // the transposed product's last column panel (edgeColumns)
        return n <= lanes && m >= 2 * lanes
                && (k <= KC || alpha == 1f && beta == 0f && (edge == 0 || edge > EDGE_MAX_COLS));
    }

    /**
     * With 16 lanes, a TT product is swapped only up to this many rows: above them the register transposes of
     * the direct product's B cost less than the swapped product's transposed C and its packing of A in
     * blocks (ad hoc, one thread, alternating JVMs, unswapped against swapped: TT 127×255×781 +7 to +33%,
     * 200×300×1000 +19 to +34%, 80 to 112 rows × 256 × 1024 −2 to +21%, 128 and 129 rows level; 32×512×1024
     * −29 to −32%, 64×256×784 −9 to −19%).
     */
    static final int TT_SWAP_MAX_M = 64;

    /** The largest scratch {@code Cᵀ} of a swapped product, in floats (16 MiB). */
    static final int SWAP_MAX_ELEMENTS = 1 << 22;

    /**
     * Turns the job into {@code Cᵀ = op(B)ᵀ·op(A)ᵀ} (alpha 1, beta 0, no epilogue) into the caller's scratch;
     * the caller's C and epilogue move to the {@code out} fields. See {@link #swapsOperands}.
     */
    private static void swap(Job job, GemmWorkspace ws) {
        job.out = job.c;
        job.outOff = job.cOff;
        job.ldOut = job.ldc;
        job.outAlpha = job.alpha;
        job.outBeta = job.beta;
        job.outBias = job.bias;
        job.outBiasOff = job.biasOff;
        job.outAct = job.act;
        job.outBlockAct = job.blockAct;
        job.swapped = true;
        float[] a = job.a;
        int aOff = job.aOff;
        int lda = job.lda;
        int m = job.m;
        boolean transA = job.transA;
        job.transA = !job.transB;
        job.transB = !transA;
        job.m = job.n;
        job.n = m;
        job.a = job.b;
        job.aOff = job.bOff;
        job.lda = job.ldb;
        job.b = a;
        job.bOff = aOff;
        job.ldb = lda;
        job.alpha = 1f;
        job.beta = 0f;
        job.bias = null;
        job.act = GemmKernel.ACT_NONE;
        job.blockAct = null;
        job.c = ws.transposed(job.m * job.n);
        job.cOff = 0;
        job.ldc = job.n;
    }

    /**
     * Writes rows {@code [r0, r1)} × columns {@code [c0, c1)} of a swapped job's scratch {@code Cᵀ} into the
     * caller's C, transposed, with the caller's epilogue in the scalar roundings of {@link GemmKernel}:
     * {@code out[i][j] = act(alpha·Cᵀ[j][i] + beta·out[i][j] + bias[j])}; then sigmoid or tanh over that
     * part of C. Eight rows of C at a time, so the scratch is read along its rows.
     */
    private static void transposeOut(Job job, int r0, int r1, int c0, int c1) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        float[] t = job.c;
        int ldt = job.ldc;
        float[] out = job.out;
        int ldOut = job.ldOut;
        float alpha = job.outAlpha;
        float beta = job.outBeta;
        float[] bias = job.outBias;
        for (int ib = c0; ib < c1; ib += 8) {
            int ie = Math.min(ib + 8, c1);
            for (int j = r0; j < r1; j++) {
                int tr = j * ldt;
                float bj = bias != null ? bias[job.outBiasOff + j] : 0f;
                for (int i = ib, o = job.outOff + ib * ldOut + j; i < ie; i++, o += ldOut) {
                    out[o] = GemmKernel.epilogue(t[tr + i], beta != 0f ? out[o] : 0f, alpha, beta,
                            bj, bias != null, job.outAct, job.slope);
                }
            }
        }
        if (job.outBlockAct != null) {
            int off = job.outOff + c0 * ldOut + r0;
            job.kernels.activationForwardK(job.outBlockAct, c1 - c0, r1 - r0, out, off, ldOut, out, off, ldOut);
        }
    }

    /** {@code k == 0} or {@code alpha == 0}: the product is zero and A, B are not read. */
    private static void degenerate(Job job) {
        for (int i = 0; i < job.m; i++) {
            int cr = job.cOff + i * job.ldc;
            for (int j = 0; j < job.n; j++) {
                job.c[cr + j] = GemmKernel.epilogue(0f, job.beta != 0f ? job.c[cr + j] : 0f, 1f, job.beta,
                        job.bias != null ? job.bias[job.biasOff + j] : 0f, job.bias != null, job.act, job.slope);
            }
        }
        if (job.blockAct != null) {
            job.kernels.activationForwardK(job.blockAct, job.m, job.n, job.c, job.cOff, job.ldc,
                    job.c, job.cOff, job.ldc);
        }
    }

    /**
     * Chooses the path and the split of C; returns the number of threads to use (≤ threads) and sets the
     * number of chunks. Columns are preferred: with A read in place, column chunks share nothing but reads
     * of A; rows only when C is too narrow to give every thread two column panels and taller than wide.
     * A last panel narrow enough for the GEMV edge path is not a unit of its own (it costs little and rides
     * with the last panel). When there are fewer column units than the {@link #CHUNKS_PER_THREAD} chunks
     * per thread that keep the threads balanced, the rows are split too, into {@code rowGroups} of at least
     * {@link #MIN_GROUP_PANELS} row panels (each group packs its own B panels: a small extra).
     */
    static int partition(Job job, int threads) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        int m = job.m;
        int n = job.n;
        job.small = m <= SMALL_M;
        job.rowGroups = 1;
        int panels = Math.max(1, (n - edgeColumns(job) + NR - 1) / NR);
        if (job.small) {
            job.splitN = true;
            job.unit = GemmShape.L;
            job.units = (n + job.unit - 1) / job.unit;
        } else if (n >= m || panels >= 2 * threads) {
            job.splitN = true;
            job.unit = NR;
            job.units = panels;
        } else {
            job.splitN = false;
            job.unit = MR;
            job.units = (m + MR - 1) / MR;
        }
        long work = (long) m * n * job.k;
        int parts = threads <= 1 || work < job.kernels.parallelMinWork ? 1 : Math.min(threads, job.units);
        if (parts == 1) {
            job.chunks = 1;
            return 1;
        }
        int target = CHUNKS_PER_THREAD * parts;
        if (job.splitN && !job.small && job.units < target) {
            int rowPanels = (m + MR - 1) / MR;
            int wanted = (target + job.units - 1) / job.units;
            job.rowGroups = Math.max(1, Math.min(wanted, rowPanels / MIN_GROUP_PANELS));
        }
        job.chunks = Math.min(job.units, target) * job.rowGroups;
        return parts;
    }

    /** Row panels ({@code MR} rows each) of a row group at the least, when the rows of C are split too. */
    static final int MIN_GROUP_PANELS = 4;

    /**
     * True if the blocked path packs all of op(A), not only partial row panels: a transposed A whose rows
     * are a multiple of 128 floats apart (read in place, its kc consecutive depths would fall in a few L1
     * sets and evict each other: TN 1024³ 160 instead of 200 GFLOP/s), when C has more than one column
     * panel. With a single panel each element of A is read once whatever the cache does, and packing only
     * adds a pass (the {@code dW = Aᵀ·G} of a 10-class output layer, TN 128×10×128).
     */
    static boolean packsA(Job job) {
        return !job.small && job.transA && (job.lda & 127) == 0 && job.n > NR;
    }

    /**
     * True if a call split into chunks of columns would read A in place in each chunk (too few column panels
     * per chunk for {@link #PACK_A_MIN_PANELS}) where one thread would pack it for the packed micro-kernel: then
     * A is packed once for all threads ({@link #sharePackedA}). Before, a two-thread 784-256-128-10 step spent 59%
     * of its time in the unpacked micro-kernel (a JFR profile).
     */
    static boolean packsAOfColumnChunks(Job job) {
        return !job.small && job.splitN && !readsBInPlace(job) && job.n >= PACK_A_MIN_PANELS * NR;
    }

    /** True if {@link #blocked} reads full panels of B where they lie (few rows of C, B not transposed). */
    private static boolean readsBInPlace(Job job) {
        return !job.transB && job.m <= B_IN_PLACE_MAX_M && job.packedB == null;
    }

    /**
     * Makes a parallel call pack op(A) once into a buffer all its threads read, instead of once per chunk
     * of columns (with 4 chunks per thread, 8 times on 2 threads). The packing itself is shared out too.
     */
    private static void sharePackedA(Job job, GemmWorkspace ws) {
        int panels = (job.m + MR - 1) / MR;
        job.mPad = panels * MR;
        job.sharedA = ws.sharedA(job.mPad * job.k);
        int passes = (job.k + KC - 1) / KC;
        job.packUnits = passes * ((job.m + MC - 1) / MC);
        job.nextPack.set(0);
        job.packed.set(0);
    }

    /** Packs piece {@code unit} of op(A) (a depth pass × MC rows) into {@code job.sharedA}. */
    private static void packShared(Job job, int unit, GemmWorkspace ws) {
        int k = job.k;
        int passes = (k + KC - 1) / KC;
        int kcMax = (k + passes - 1) / passes;
        int blocks = (job.m + MC - 1) / MC;
        int pc = unit / blocks * kcMax;
        int ic = unit % blocks * MC;
        int kc = Math.min(kcMax, k - pc);
        int mc = Math.min(MC, job.m - ic);
        GemmPack.packA(job.transA, job.a, job.aOff, job.lda, ic, pc, mc, kc, job.sharedA, pc * job.mPad + ic * kc,
                GemmPack.transposes);
    }

    /** Takes chunks until none is left (every thread of a parallel call runs this). */
    static void work(Job job, GemmWorkspace ws) {
        if (job.kind != 0) {
            ParallelElementwise.work(job);
            return;
        }
        if (job.sharedA != null) {
            for (int u = job.nextPack.getAndIncrement(); u < job.packUnits; u = job.nextPack.getAndIncrement()) {
                try {
                    packShared(job, u, ws);
                } finally {
                    job.packed.incrementAndGet(); // a failure is rethrown by GemmPool.run after the wait
                }
            }
            // Every chunk reads all of A: wait for the piece another thread may still be packing.
            while (job.packed.get() < job.packUnits) {
                Thread.onSpinWait();
            }
        }
        for (int chunk = job.nextChunk.getAndIncrement(); chunk < job.chunks; chunk = job.nextChunk.getAndIncrement()) {
            runChunk(job, chunk, ws);
        }
    }

    /**
     * Computes chunk {@code chunk} of {@code job.chunks}: a range of whole units of columns or rows of C
     * (the last range reaching the edge of C), and with row groups, one group of whole row panels of it.
     */
    static void runChunk(Job job, int chunk, GemmWorkspace ws) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        int groups = job.rowGroups;
        int ranges = job.chunks / groups;
        int range = chunk / groups;
        int u0 = (int) ((long) job.units * range / ranges);
        int u1 = (int) ((long) job.units * (range + 1) / ranges);
        int extent = job.splitN ? job.n : job.m;
        int lo = Math.min(extent, u0 * job.unit);
        int hi = u1 == job.units ? extent : Math.min(extent, u1 * job.unit);
        if (lo >= hi) {
            return;
        }
        if (job.small) {
            GemmSmall.compute(job, lo, hi, ws.row(job.k), ws.sums, ws.sums2);
            if (job.blockAct != null) {
                job.kernels.activationForwardK(job.blockAct, job.m, hi - lo, job.c, job.cOff + lo, job.ldc,
                        job.c, job.cOff + lo, job.ldc);
            }
            return;
        }
        int r0 = 0;
        int r1 = job.m;
        int c0 = 0;
        int c1 = job.n;
        if (job.splitN) {
            c0 = lo;
            c1 = hi;
            int group = chunk % groups;
            int rowPanels = (job.m + MR - 1) / MR;
            r0 = Math.min(job.m, rowPanels * group / groups * MR);
            r1 = group + 1 == groups ? job.m : Math.min(job.m, rowPanels * (group + 1) / groups * MR);
        } else {
            r0 = lo;
            r1 = hi;
        }
        if (r0 >= r1) {
            return;
        }
        blocked(job, r0, r1, c0, c1, ws);
        if (job.swapped) {
            transposeOut(job, r0, r1, c0, c1);
        }
    }

    /**
     * The five loops around the micro-kernel over rows {@code [m0, m1)} and columns {@code [n0, n1)} of C;
     * a last column panel of C at most {@link #EDGE_MAX_COLS} wide goes to {@link GemmSmall#edgeColumns}.
     */
    private static void blocked(Job job, int m0, int m1, int n0, int n1, GemmWorkspace ws) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        int edge = edgeColumns(job);
        if (edge != 0 && n1 == job.n) {
            n1 -= edge;
            GemmSmall.edgeColumns(job, m0, m1, n1, job.n, ws);
            if (job.blockAct != null) {
                int off = job.cOff + m0 * job.ldc + n1;
                job.kernels.activationForwardK(job.blockAct, m1 - m0, edge, job.c, off, job.ldc, job.c, off, job.ldc);
            }
            if (n1 <= n0) {
                return;
            }
        }
        final int k = job.k;
        // Equal depth passes (784 = 4 × 196, not 3 × 256 + 16): a function of k alone, so bits never
        // depend on the split.
        final int passes = (k + KC - 1) / KC;
        final int kcMax = (k + passes - 1) / passes;
        final float[] pa = ws.packA();
        final float[] pb = ws.packB();
        final float[] tile = ws.tile;
        final float[] c = job.c;
        final int ldc = job.ldc;
        final boolean bInPlace = readsBInPlace(job);
        final int packedNPad = GemmPack.paddedColumns(job.n);
        for (int jc = n0; jc < n1; jc += NC) {
            int nc = Math.min(NC, n1 - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                // B is packed, except for few rows of C: then a full panel is used too few times to repay
                // its packing and is read where it lies; only a last, partial panel is packed.
                int packedFrom = bInPlace ? nc - nc % NR : 0;
                // With one block of rows, each panel of B is packed just before the micro-kernel calls that
                // read it, into the same L1-resident place, instead of all of them first (NT 128×784×256:
                // 784 × 256 floats transposed, 800 KB, which had left the L1 and part of the L2 by the time
                // they were read): the same floats, so the same bits.
                boolean panelByPanel = m1 - m0 <= MC && packedFrom < nc && job.packedB == null;
                if (packedFrom < nc && job.packedB == null && !panelByPanel) {
                    GemmPack.packB(job.transB, job.b, job.bOff, job.ldb, pc, jc + packedFrom, kc, nc - packedFrom, pb,
                            GemmPack.transposes);
                }
                boolean last = pc + kc == k;
                float beta = pc == 0 ? job.beta : 1f;
                float[] bias = last ? job.bias : null;
                int act = last ? job.act : GemmKernel.ACT_NONE;
                float alpha = job.alpha;
                float slope = job.slope;
                // A product of one depth pass whose epilogue is a plain store: the packed kernel writes its full
                // tiles to C itself (with the panel-by-panel B, ad hoc: NT 128×256×128 +4 to +6%, a training
                // step +1 to +4%; bench/README.md, "NT's slow forks"). Not the first of several passes: NN 1024³
                // was 2–5% slower so, for reasons not found.
                boolean plain = passes == 1 && alpha == 1f && beta == 0f && bias == null && act == GemmKernel.ACT_NONE;
                for (int ic = m0; ic < m1; ic += MC) {
                    int mc = Math.min(MC, m1 - ic);
                    // With few column panels, full MR-row panels of A are read where they lie and only a
                    // last, partial panel is packed (zero-padded to MR rows), once per block. With many
                    // (PACK_A_MIN_PANELS) of a packed B, or a transposed A whose rows are a multiple of 128
                    // floats apart (its kc consecutive depths would fall in a few L1 sets and evict each
                    // other: TN 1024³ 160 instead of 200 GFLOP/s), the whole block is packed.
                    int fullRows = job.sharedA != null || packsA(job) || !bInPlace && nc >= PACK_A_MIN_PANELS * NR
                            ? 0 : mc - mc % MR;
                    float[] apv = pa;
                    int apo = 0;
                    if (job.sharedA != null) {
                        apv = job.sharedA;
                        apo = pc * job.mPad + ic * kc;
                    } else if (fullRows < mc) {
                        GemmPack.packA(job.transA, job.a, job.aOff, job.lda, ic + fullRows, pc, mc - fullRows, kc, pa,
                                0, GemmPack.transposes);
                    }
                    int rs = job.transA ? 1 : job.lda;
                    int ps = job.transA ? job.lda : 1;
                    int aBlock = job.transA ? job.aOff + pc * job.lda + ic : job.aOff + ic * job.lda + pc;
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        float[] bv;
                        int pbo;
                        int bs;
                        if (jr < packedFrom) {
                            bv = job.b;
                            pbo = job.bOff + pc * job.ldb + jc + jr;
                            bs = job.ldb;
                        } else if (job.packedB != null) {
                            bv = job.packedB;
                            pbo = pc * packedNPad + (jc + jr) * kc;
                            bs = NR;
                        } else if (panelByPanel) {
                            GemmPack.packB(job.transB, job.b, job.bOff, job.ldb, pc, jc + jr, kc, cols, pb,
                                    GemmPack.transposes);
                            bv = pb;
                            pbo = 0;
                            bs = NR;
                        } else {
                            bv = pb;
                            pbo = (jr - packedFrom) * kc;
                            bs = NR;
                        }
                        int bo = job.biasOff + jc + jr;
                        int cCol = job.cOff + jc + jr;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir);
                            boolean direct = plain && rows == MR && cols == NR;
                            int co = cCol + (ic + ir) * ldc;
                            float[] av;
                            int ao;
                            int ars;
                            int aps;
                            if (ir < fullRows) {
                                av = job.a;
                                ao = aBlock + ir * rs;
                                ars = rs;
                                aps = ps;
                            } else {
                                av = apv;
                                ao = apo + (ir - fullRows) * kc;
                                ars = 1;
                                aps = MR;
                            }
                            if (rows <= 2 && cols > GemmShape.L) {
                                // A last panel of one or two rows (129 = 16 × 8 + 1): a kernel of two rows.
                                GemmKernel.kernel2(kc, av, ao, ars, aps, bv, pbo, bs, tile);
                            } else if (MR == 8 && rows <= 6) {
                                // A last panel of at most 6 rows: the 6-row kernels, fewer FMAs.
                                if (cols <= GemmShape.L) {
                                    GemmKernel.kernelNarrow(kc, av, ao, ars, aps, bv, pbo, bs, tile);
                                } else {
                                    GemmKernel.kernel(kc, av, ao, ars, aps, bv, pbo, bs, tile);
                                }
                            } else if (MR == 8) {
                                if (cols <= GemmShape.L) {
                                    GemmKernel.kernelNarrow8(kc, av, ao, ars, aps, bv, pbo, bs, tile);
                                } else if (ars == 1 && aps == MR && bs == NR) {
                                    GemmKernel.kernelPacked8(kc, av, ao, bv, pbo, direct ? c : tile, direct ? co : 0,
                                            direct ? ldc : NR);
                                    if (direct) {
                                        continue;
                                    }
                                } else {
                                    GemmKernel.kernel8(kc, av, ao, ars, aps, bv, pbo, bs, tile);
                                }
                            } else if (cols <= GemmShape.L) {
                                GemmKernel.kernelNarrow(kc, av, ao, ars, aps, bv, pbo, bs, tile);
                            } else if (ars == 1 && aps == MR && bs == NR) { // both packed
                                GemmKernel.kernelPacked(kc, av, ao, bv, pbo, tile);
                            } else {
                                GemmKernel.kernel(kc, av, ao, ars, aps, bv, pbo, bs, tile);
                            }
                            if (cols == NR) {
                                GemmKernel.store(tile, rows, c, co, ldc, alpha, beta, bias, bo, act, slope);
                            } else {
                                GemmKernel.mergeEdge(tile, rows, cols, c, co, ldc, alpha, beta, bias, bo, act, slope);
                            }
                        }
                    }
                    if (last && job.blockAct != null) {
                        int off = job.cOff + ic * ldc + jc;
                        job.kernels.activationForwardK(job.blockAct, mc, nc, c, off, ldc, c, off, ldc);
                    }
                }
            }
        }
    }
}
