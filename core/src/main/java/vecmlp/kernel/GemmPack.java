package vecmlp.kernel;

import static vecmlp.kernel.GemmShape.KC;
import static vecmlp.kernel.GemmShape.L;
import static vecmlp.kernel.GemmShape.MR;
import static vecmlp.kernel.GemmShape.NR;
import static vecmlp.kernel.GemmShape.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * Packing of GEMM operands into the panel layouts the micro-kernel reads contiguously (BLIS
 * {@code packm}). B's transpose is absorbed here (A's by the strides the micro-kernel reads it with), so
 * one micro-kernel serves NN, NT, TN and TT. Edge panels are padded with zeros up to MR rows or NR columns.
 */
final class GemmPack {

    private GemmPack() {
    }

    /**
     * Whether {@link Gemm} packs full panels of a row-major A with {@link #transposeRows} (16 lanes, 8 rows) and
     * of a transposed B with {@link #transposeColumns} instead of float by float: true, unless a
     * {@link SimdWarmup} is bringing the SIMD kernels to compiled
     * code and has not yet found the transposes compiled (its last group, {@link SimdWarmup#PACKING}). Both
     * ways write the same floats, so this changes the time of a product, never a bit. The transposes are a
     * method of their own, warmed last, because written into {@link #packA} they made each of its C2
     * compilations take 120-370 ms instead of 17-38, and the blocked GEMM ready 0.3-0.5 s later
     * (bench/README.md, "Recompilations of the packing in the warm-up").
     */
    static volatile boolean transposes = true;

    /**
     * Packs rows {@code [i0, i0+mc)} and depths {@code [p0, p0+kc)} of {@code op(A)} into {@code ⌈mc/MR⌉}
     * micro-panels, panel {@code q} at {@code pa[paOff + q·MR·kc]}, element {@code (r, p)} at
     * {@code paOff + q·MR·kc + p·MR + r}; nothing outside the panels is written. {@code op(A)(i, p)} is
     * {@code a[aOff + i·lda + p]}, or {@code a[aOff + p·lda + i]} when {@code transA}. With {@code transpose},
     * full panels of a row-major A go through {@link #transposeRows} where it applies (the same floats).
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int p0, int mc, int kc, float[] pa,
                      int paOff, boolean transpose) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        int total = (mc + MR - 1) / MR * MR * kc;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int base = paOff + ir * kc;
            if (!transA) {
                int src = aOff + (i0 + ir) * lda + p0;
                if (rows == MR) {
                    int p = transpose && MR == 8 && L == 16 ? transposeRows(a, src, lda, kc, pa, base) : 0;
                    // MR row streams in, one sequential stream out (the row loop has a constant trip
                    // count: unrolled by C2). Gathers of the MR rows' floats (FloatVector.fromArray with an
                    // index map) packed 2-2.5x as fast on an Intel AVX-512 machine and as fast on the Zen 5,
                    // but C2 often gave their intrinsic up after the SIMD warm-up, and every gather then built
                    // its vector on the heap (bench/README.md, "Gathers given up").
                    for (; p < kc; p++) {
                        int d = base + p * MR;
                        for (int r = 0, s = src + p; r < MR; r++, s += lda) {
                            pa[d + r] = a[s];
                        }
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * MR;
                        int r = 0;
                        for (; r < rows; r++) { // see the transposed partial panel below
                            pa[d + r] = a[src + r * lda + p];
                        }
                        for (; r < MR; r++) {
                            pa[d + r] = 0f;
                        }
                    }
                }
            } else {
                int src = aOff + p0 * lda + i0 + ir;
                if (rows == MR && MR <= L) {
                    // A vector of L floats from each depth's row of A, stored whole while those L floats lie
                    // inside a: its lanes past MR run into the next depths and panels, which their own stores
                    // overwrite after, but never past the last panel (the depths whose store would end there,
                    // and the last few depths of A's last rows, are copied by the loop below).
                    int room = total - ir * kc - L;
                    int vectorDepths = room < 0 ? 0 : Math.min(kc, room / MR + 1);
                    int p = 0;
                    for (int s = src; p < vectorDepths && s <= a.length - L; p++, s += lda) {
                        FloatVector.fromArray(SPECIES, a, s).intoArray(pa, base + p * MR);
                    }
                    for (; p < kc; p++) {
                        int d = base + p * MR;
                        int s = src + p * lda;
                        for (int r = 0; r < MR; r++) {
                            pa[d + r] = a[s + r];
                        }
                    }
                } else if (rows == MR) {
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * MR;
                        int s = src + p * lda;
                        for (int r = 0; r < MR; r++) { // a constant trip count: unrolled by C2
                            pa[d + r] = a[s + r];
                        }
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * MR;
                        int s = src + p * lda;
                        // Two loops, not one over MR with "r < rows ? a[s + r] : 0f": C2 hoisted that loop's
                        // range check of a over all MR rows from the profile (loop predication), and a last
                        // panel ending its array failed it: four traps and recompilations of this method in
                        // the warm-up, 0.4-0.6 s before the blocked GEMM was ready (JFR, ad hoc).
                        int r = 0;
                        for (; r < rows; r++) {
                            pa[d + r] = a[s + r];
                        }
                        for (; r < MR; r++) {
                            pa[d + r] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * The lane moves of {@link #transposeRows} and {@link #transposeColumns} (16 lanes only): {@code SWAPn}
     * exchanges neighbouring blocks of n lanes, {@code ODDn} selects the odd blocks.
     */
    private static final VectorShuffle<Float> SWAP8 = swap(8);
    private static final VectorShuffle<Float> SWAP4 = swap(4);
    private static final VectorShuffle<Float> SWAP2 = swap(2);
    private static final VectorShuffle<Float> SWAP1 = swap(1);
    private static final VectorMask<Float> ODD8 = oddBlocks(8);
    private static final VectorMask<Float> ODD4 = oddBlocks(4);
    private static final VectorMask<Float> ODD2 = oddBlocks(2);
    private static final VectorMask<Float> ODD1 = oddBlocks(1);

    /** Lane {@code j} takes lane {@code j xor block}. (An array, not a lambda: see {@link KernelProvider}'s.) */
    private static VectorShuffle<Float> swap(int block) {
        int[] from = new int[L];
        for (int j = 0; j < L; j++) {
            from[j] = j ^ block;
        }
        return VectorShuffle.fromArray(SPECIES, from, 0);
    }

    /** The lanes {@code j} with {@code j / block} odd. */
    private static VectorMask<Float> oddBlocks(int block) {
        boolean[] odd = new boolean[L];
        for (int j = 0; j < L; j++) {
            odd[j] = (j / block) % 2 == 1;
        }
        return VectorMask.fromArray(SPECIES, odd, 0);
    }

    /**
     * Packs depths {@code [0, 16·⌊kc/16⌋)} of a full panel of a row-major A (8 rows from {@code a[src]},
     * {@code lda} apart; 16 lanes) at {@code pa[base + p·8 + r]} and returns that count, the rest left to the
     * caller. A block of 16 depths is 8 loads of 16 floats, one row each, and 8 stores of two depths each: a
     * vector's lanes are (depth bit 0, row bits 2..0) where they were the 4 depth bits. Four steps each
     * exchange one bit of the vectors' index with one of the lanes' (depth bit 0 with row bit 0, then blocks of
     * 8, 2 and 4 lanes; one rearrange and three blends a pair), which leaves the vectors indexed by depth bits
     * (2, 1, 3): stored in that order. A copy: every float's bits are kept. Ad hoc, {@link #packA} of a 120 ×
     * 784 A in passes of 196 depths: 0.17 ns a float against 0.25 for 12 rows transposed as 16 × 16 (0.39 and
     * 0.60 float by float) on JDK 17, 0.115 against 0.125 on JDK 25, with the first step then done by shifts of
     * 64-bit lanes. Those shifts ({@code LongVector}) are gone, as from {@link #transposeColumns}: C2 shares the
     * type profiles of the Vector API's own methods across the JVM, and with long vectors beside
     * {@link VectorMath}'s int vectors about one JVM in ten (JDK 17) compiled this method,
     * {@link #transposeColumns} or {@link VectorMath#map} with their stores boxing vectors. With blends, a
     * prediction's first product was +4.8%, +4.6% and −3.4% in three ad-hoc runs (bench/README.md, "Long
     * vectors").
     */
    static int transposeRows(float[] a, int src, int lda, int kc, float[] pa, int base) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        int p = 0;
        for (; p + 16 <= kc; p += 16) {
            int s = src + p;
            int d = base + p * 8;
            FloatVector v0 = FloatVector.fromArray(SPECIES, a, s);
            FloatVector v1 = FloatVector.fromArray(SPECIES, a, s + lda);
            FloatVector v2 = FloatVector.fromArray(SPECIES, a, s + 2 * lda);
            FloatVector v3 = FloatVector.fromArray(SPECIES, a, s + 3 * lda);
            FloatVector v4 = FloatVector.fromArray(SPECIES, a, s + 4 * lda);
            FloatVector v5 = FloatVector.fromArray(SPECIES, a, s + 5 * lda);
            FloatVector v6 = FloatVector.fromArray(SPECIES, a, s + 6 * lda);
            FloatVector v7 = FloatVector.fromArray(SPECIES, a, s + 7 * lda);
            FloatVector y;
            // Row bit 0 with depth bit 0, single lanes: the even lanes of each pair's first vector stay, its odd
            // lanes take the second's even ones; the second's even lanes take the first's odd ones.
            y = v1.blend(v0, ODD1).rearrange(SWAP1); v0 = v0.blend(y, ODD1); v1 = y.blend(v1, ODD1);
            y = v3.blend(v2, ODD1).rearrange(SWAP1); v2 = v2.blend(y, ODD1); v3 = y.blend(v3, ODD1);
            y = v5.blend(v4, ODD1).rearrange(SWAP1); v4 = v4.blend(y, ODD1); v5 = y.blend(v5, ODD1);
            y = v7.blend(v6, ODD1).rearrange(SWAP1); v6 = v6.blend(y, ODD1); v7 = y.blend(v7, ODD1);
            // The vectors' bit 0 (now depth bit 0) with blocks of 8 lanes (depth bit 3): v_i keeps its even
            // blocks and takes its partner's even blocks into its odd ones, the partner takes v_i's odd blocks
            // into its even ones; y holds v_i's odd blocks at the even places, the partner's even at the odd.
            y = v1.blend(v0, ODD8).rearrange(SWAP8); v0 = v0.blend(y, ODD8); v1 = y.blend(v1, ODD8);
            y = v3.blend(v2, ODD8).rearrange(SWAP8); v2 = v2.blend(y, ODD8); v3 = y.blend(v3, ODD8);
            y = v5.blend(v4, ODD8).rearrange(SWAP8); v4 = v4.blend(y, ODD8); v5 = y.blend(v5, ODD8);
            y = v7.blend(v6, ODD8).rearrange(SWAP8); v6 = v6.blend(y, ODD8); v7 = y.blend(v7, ODD8);
            // Row bit 1 with blocks of 2 lanes (depth bit 1).
            y = v2.blend(v0, ODD2).rearrange(SWAP2); v0 = v0.blend(y, ODD2); v2 = y.blend(v2, ODD2);
            y = v3.blend(v1, ODD2).rearrange(SWAP2); v1 = v1.blend(y, ODD2); v3 = y.blend(v3, ODD2);
            y = v6.blend(v4, ODD2).rearrange(SWAP2); v4 = v4.blend(y, ODD2); v6 = y.blend(v6, ODD2);
            y = v7.blend(v5, ODD2).rearrange(SWAP2); v5 = v5.blend(y, ODD2); v7 = y.blend(v7, ODD2);
            // Row bit 2 with blocks of 4 lanes (depth bit 2).
            y = v4.blend(v0, ODD4).rearrange(SWAP4); v0 = v0.blend(y, ODD4); v4 = y.blend(v4, ODD4);
            y = v5.blend(v1, ODD4).rearrange(SWAP4); v1 = v1.blend(y, ODD4); v5 = y.blend(v5, ODD4);
            y = v6.blend(v2, ODD4).rearrange(SWAP4); v2 = v2.blend(y, ODD4); v6 = y.blend(v6, ODD4);
            y = v7.blend(v3, ODD4).rearrange(SWAP4); v3 = v3.blend(y, ODD4); v7 = y.blend(v7, ODD4);
            // v_i, i = (depth bits 2, 1, 3), holds depths p + 2q and p + 2q + 1, q = (bits 3, 2, 1).
            v0.intoArray(pa, d);
            v2.intoArray(pa, d + 16);
            v4.intoArray(pa, d + 32);
            v6.intoArray(pa, d + 48);
            v1.intoArray(pa, d + 64);
            v3.intoArray(pa, d + 80);
            v5.intoArray(pa, d + 96);
            v7.intoArray(pa, d + 112);
        }
        return p;
    }

    /**
     * Packs depths {@code [p0, p0+kc)} and columns {@code [j0, j0+nc)} of {@code op(B)} into {@code ⌈nc/NR⌉}
     * micro-panels, panel {@code q} at {@code pb[q·NR·kc]}, element {@code (p, j)} at {@code q·NR·kc + p·NR + j}.
     * {@code op(B)(p, j)} is {@code b[bOff + p·ldb + j]}, or {@code b[bOff + j·ldb + p]} when {@code transB}.
     * With {@code transpose}, full panels of a transposed B go through {@link #transposeColumns} where it applies
     * (the same floats).
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int j0, int kc, int nc, float[] pb,
                      boolean transpose) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (!transB) {
                int src = bOff + p0 * ldb + j0 + jr;
                if (cols == NR) {
                    for (int p = 0; p < kc; p++) {
                        int s = src + p * ldb;
                        int d = base + p * NR;
                        FloatVector.fromArray(SPECIES, b, s).intoArray(pb, d);
                        FloatVector.fromArray(SPECIES, b, s + L).intoArray(pb, d + L);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int s = src + p * ldb;
                        int d = base + p * NR;
                        int j = 0;
                        for (; j < cols; j++) { // see packA's transposed partial panel
                            pb[d + j] = b[s + j];
                        }
                        for (; j < NR; j++) {
                            pb[d + j] = 0f;
                        }
                    }
                }
            } else {
                int src = bOff + (j0 + jr) * ldb + p0;
                int p0v = transpose && cols == NR && L == 16 ? transposeColumns(b, src, ldb, kc, pb, base) : 0;
                // The rest column by column: one sequential stream in; the writes, NR apart, stay in the
                // L1-resident panel. (No gathers: see packA.) Only where depths are left: C2 hoisted the range
                // check of the first read out of the column loop, and with none left (a B that ends its array)
                // it failed, four traps in every warm-up (JFR).
                for (int j = 0; p0v < kc && j < cols; j++) {
                    int s = src + j * ldb;
                    int d = base + j;
                    for (int p = p0v; p < kc; p++) {
                        pb[d + p * NR] = b[s + p];
                    }
                }
                for (int j = cols; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        pb[base + j + p * NR] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs depths {@code [0, 16·⌊kc/16⌋)} of a full panel of a transposed B ({@code op(B)(p, j) = b[src + j·ldb
     * + p]}, {@code j < NR}; 16 lanes) at {@code pb[base + p·NR + j]} and returns that count, the rest left to
     * the caller: each block of 16 depths and 16 columns is 16 loads, transposed in registers in four steps that
     * exchange blocks of 8, 4, 2 and 1 lanes between pairs of vectors (one rearrange and three blends a pair),
     * and stored as 16 whole vectors, half a panel's row each. A copy: every float's bits are kept. The last
     * step was once done by shifts of 64-bit lanes ({@link #transposeRows}' first step), storing vectors
     * reinterpreted from longs: in about a third of JVMs running a predictor (JDK 17, ad hoc) C2 compiled half
     * of those stores without their intrinsic ("missing constant" under {@code -XX:+PrintIntrinsics}: the
     * species not a constant), and each then built its vector on the heap: a 128 × 10 × 128 output layer took
     * 30–50 µs instead of 7–11, and every transposed B was packed 4× slower. With blends, none in 20 JVMs; NT
     * products 1–4% slower where the shifts compiled well (JDK 25 always did; bench/README.md, "A transpose C2
     * sometimes compiled without its stores' intrinsic"). On JDK 17 each rearrange also checks its shuffle in
     * the loop, and two rearranges a pair spilled registers: the first version of {@link #transposeRows} (12
     * rows as 16 × 16) packed at 0.27 ns a float so against 0.44 with two; JDK 25 0.12–0.15 either way. The
     * panel's two halves of 16 columns one after the other (16 rows of B read at a time, not 32): a transposed
     * B of 784 × 256 packed at 0.24 ns a float instead of 0.27–0.28 (JDK 17, ad hoc), NT products 1–3% faster.
     */
    static int transposeColumns(float[] b, int src, int ldb, int kc, float[] pb, int base) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        int depths = kc & ~15;
        for (int half = 0; half < NR; half += 16) {
            for (int p = 0; p < depths; p += 16) {
                int s = src + half * ldb + p;
                int d = base + p * NR + half;
                FloatVector v0 = FloatVector.fromArray(SPECIES, b, s);
                FloatVector v1 = FloatVector.fromArray(SPECIES, b, s + ldb);
                FloatVector v2 = FloatVector.fromArray(SPECIES, b, s + 2 * ldb);
                FloatVector v3 = FloatVector.fromArray(SPECIES, b, s + 3 * ldb);
                FloatVector v4 = FloatVector.fromArray(SPECIES, b, s + 4 * ldb);
                FloatVector v5 = FloatVector.fromArray(SPECIES, b, s + 5 * ldb);
                FloatVector v6 = FloatVector.fromArray(SPECIES, b, s + 6 * ldb);
                FloatVector v7 = FloatVector.fromArray(SPECIES, b, s + 7 * ldb);
                FloatVector v8 = FloatVector.fromArray(SPECIES, b, s + 8 * ldb);
                FloatVector v9 = FloatVector.fromArray(SPECIES, b, s + 9 * ldb);
                FloatVector v10 = FloatVector.fromArray(SPECIES, b, s + 10 * ldb);
                FloatVector v11 = FloatVector.fromArray(SPECIES, b, s + 11 * ldb);
                FloatVector v12 = FloatVector.fromArray(SPECIES, b, s + 12 * ldb);
                FloatVector v13 = FloatVector.fromArray(SPECIES, b, s + 13 * ldb);
                FloatVector v14 = FloatVector.fromArray(SPECIES, b, s + 14 * ldb);
                FloatVector v15 = FloatVector.fromArray(SPECIES, b, s + 15 * ldb);
                FloatVector y;
                // Pairs 8 apart, blocks of 8 lanes: v_i keeps its even blocks and takes its partner's even blocks
                // into its odd ones; the partner takes v_i's odd blocks into its even ones. One rearrange a pair:
                // y has v_i's odd blocks at the even places and the partner's even blocks at the odd ones.
                y = v8.blend(v0, ODD8).rearrange(SWAP8); v0 = v0.blend(y, ODD8); v8 = y.blend(v8, ODD8);
                y = v9.blend(v1, ODD8).rearrange(SWAP8); v1 = v1.blend(y, ODD8); v9 = y.blend(v9, ODD8);
                y = v10.blend(v2, ODD8).rearrange(SWAP8); v2 = v2.blend(y, ODD8); v10 = y.blend(v10, ODD8);
                y = v11.blend(v3, ODD8).rearrange(SWAP8); v3 = v3.blend(y, ODD8); v11 = y.blend(v11, ODD8);
                y = v12.blend(v4, ODD8).rearrange(SWAP8); v4 = v4.blend(y, ODD8); v12 = y.blend(v12, ODD8);
                y = v13.blend(v5, ODD8).rearrange(SWAP8); v5 = v5.blend(y, ODD8); v13 = y.blend(v13, ODD8);
                y = v14.blend(v6, ODD8).rearrange(SWAP8); v6 = v6.blend(y, ODD8); v14 = y.blend(v14, ODD8);
                y = v15.blend(v7, ODD8).rearrange(SWAP8); v7 = v7.blend(y, ODD8); v15 = y.blend(v15, ODD8);
                // Pairs 4 apart, blocks of 4.
                y = v4.blend(v0, ODD4).rearrange(SWAP4); v0 = v0.blend(y, ODD4); v4 = y.blend(v4, ODD4);
                y = v5.blend(v1, ODD4).rearrange(SWAP4); v1 = v1.blend(y, ODD4); v5 = y.blend(v5, ODD4);
                y = v6.blend(v2, ODD4).rearrange(SWAP4); v2 = v2.blend(y, ODD4); v6 = y.blend(v6, ODD4);
                y = v7.blend(v3, ODD4).rearrange(SWAP4); v3 = v3.blend(y, ODD4); v7 = y.blend(v7, ODD4);
                y = v12.blend(v8, ODD4).rearrange(SWAP4); v8 = v8.blend(y, ODD4); v12 = y.blend(v12, ODD4);
                y = v13.blend(v9, ODD4).rearrange(SWAP4); v9 = v9.blend(y, ODD4); v13 = y.blend(v13, ODD4);
                y = v14.blend(v10, ODD4).rearrange(SWAP4); v10 = v10.blend(y, ODD4); v14 = y.blend(v14, ODD4);
                y = v15.blend(v11, ODD4).rearrange(SWAP4); v11 = v11.blend(y, ODD4); v15 = y.blend(v15, ODD4);
                // Pairs 2 apart, blocks of 2.
                y = v2.blend(v0, ODD2).rearrange(SWAP2); v0 = v0.blend(y, ODD2); v2 = y.blend(v2, ODD2);
                y = v3.blend(v1, ODD2).rearrange(SWAP2); v1 = v1.blend(y, ODD2); v3 = y.blend(v3, ODD2);
                y = v6.blend(v4, ODD2).rearrange(SWAP2); v4 = v4.blend(y, ODD2); v6 = y.blend(v6, ODD2);
                y = v7.blend(v5, ODD2).rearrange(SWAP2); v5 = v5.blend(y, ODD2); v7 = y.blend(v7, ODD2);
                y = v10.blend(v8, ODD2).rearrange(SWAP2); v8 = v8.blend(y, ODD2); v10 = y.blend(v10, ODD2);
                y = v11.blend(v9, ODD2).rearrange(SWAP2); v9 = v9.blend(y, ODD2); v11 = y.blend(v11, ODD2);
                y = v14.blend(v12, ODD2).rearrange(SWAP2); v12 = v12.blend(y, ODD2); v14 = y.blend(v14, ODD2);
                y = v15.blend(v13, ODD2).rearrange(SWAP2); v13 = v13.blend(y, ODD2); v15 = y.blend(v15, ODD2);
                // Neighbours, single lanes; then v_q holds depth p + q, stored in order.
                y = v1.blend(v0, ODD1).rearrange(SWAP1); v0 = v0.blend(y, ODD1); v1 = y.blend(v1, ODD1);
                y = v3.blend(v2, ODD1).rearrange(SWAP1); v2 = v2.blend(y, ODD1); v3 = y.blend(v3, ODD1);
                y = v5.blend(v4, ODD1).rearrange(SWAP1); v4 = v4.blend(y, ODD1); v5 = y.blend(v5, ODD1);
                y = v7.blend(v6, ODD1).rearrange(SWAP1); v6 = v6.blend(y, ODD1); v7 = y.blend(v7, ODD1);
                y = v9.blend(v8, ODD1).rearrange(SWAP1); v8 = v8.blend(y, ODD1); v9 = y.blend(v9, ODD1);
                y = v11.blend(v10, ODD1).rearrange(SWAP1); v10 = v10.blend(y, ODD1); v11 = y.blend(v11, ODD1);
                y = v13.blend(v12, ODD1).rearrange(SWAP1); v12 = v12.blend(y, ODD1); v13 = y.blend(v13, ODD1);
                y = v15.blend(v14, ODD1).rearrange(SWAP1); v14 = v14.blend(y, ODD1); v15 = y.blend(v15, ODD1);
                v0.intoArray(pb, d);
                v1.intoArray(pb, d + NR);
                v2.intoArray(pb, d + 2 * NR);
                v3.intoArray(pb, d + 3 * NR);
                v4.intoArray(pb, d + 4 * NR);
                v5.intoArray(pb, d + 5 * NR);
                v6.intoArray(pb, d + 6 * NR);
                v7.intoArray(pb, d + 7 * NR);
                v8.intoArray(pb, d + 8 * NR);
                v9.intoArray(pb, d + 9 * NR);
                v10.intoArray(pb, d + 10 * NR);
                v11.intoArray(pb, d + 11 * NR);
                v12.intoArray(pb, d + 12 * NR);
                v13.intoArray(pb, d + 13 * NR);
                v14.intoArray(pb, d + 14 * NR);
                v15.intoArray(pb, d + 15 * NR);
            }
        }
        return depths;
    }

    /**
     * The panels of a whole row-major {@code k × n} matrix B ({@code k, n > 0}) that {@link Gemm} reads instead
     * of packing B ({@link PackedMatrix}): for each depth pass of {@code k} (equal passes of at most
     * {@code KC}, as {@link Gemm}'s), the {@link #packB} panels of every column, the pass from depth {@code pc}
     * at {@code pc · nPad} ({@code nPad = ⌈n/NR⌉·NR}) and its panel of columns {@code [j, j + NR)} at
     * {@code pc · nPad + j · kc}, zero-padded. Plain copies: fast before the JIT has compiled anything.
     */
    static float[] packWhole(int k, int n, float[] b) {
        int nPad = paddedColumns(n);
        float[] panels = new float[Math.multiplyExact(k, nPad)];
        int passes = (k + KC - 1) / KC;
        int kcMax = (k + passes - 1) / passes;
        for (int pc = 0; pc < k; pc += kcMax) {
            int kc = Math.min(kcMax, k - pc);
            for (int j = 0; j < n; j += NR) {
                int cols = Math.min(NR, n - j);
                int base = pc * nPad + j * kc;
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, (pc + p) * n + j, panels, base + p * NR, cols);
                }
            }
        }
        return panels;
    }

    /** {@code n} rounded up to whole panels of NR columns. */
    static int paddedColumns(int n) {
        return (n + NR - 1) / NR * NR;
    }
}
