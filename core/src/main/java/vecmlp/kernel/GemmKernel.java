package vecmlp.kernel;

import static vecmlp.kernel.GemmShape.L;
import static vecmlp.kernel.GemmShape.MR;
import static vecmlp.kernel.GemmShape.NR;
import static vecmlp.kernel.GemmShape.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The register-blocked micro-kernels of the GEMM and their epilogue: an {@code MR × NR} block of
 * {@code C} (6 or 8 rows × 2 vectors, {@link GemmShape#MR}) accumulated over an {@code MR × kc} panel of A
 * and a {@code kc × NR} panel of B (Goto and van de Geijn; BLIS {@code gemm_ukr}) and stored to an
 * {@code MR × NR} accumulator tile that stays in L1; {@link #store} then writes
 * {@code C = act(alpha·acc + beta·C + bias)} from it (2·MR vector loads against {@code 2·MR·kc} FMAs), except
 * for a full tile of {@link #kernelPacked8} whose epilogue is a plain store, which it writes to C itself.
 * Each height has three variants: any strides ({@link #kernel}, {@link #kernel8}), both panels packed
 * ({@link #kernelPacked}, {@link #kernelPacked8}: constant strides, no range check in the loop), and one
 * vector wide for narrow panels ({@link #kernelNarrow}, {@link #kernelNarrow8}); a last panel of one or two rows
 * has {@link #kernel2}. Every variant computes an element of C as the same sequence of FMAs over the depth, so
 * which one ran never changes a bit.
 *
 * <p>Panels are packed by {@link GemmPack}: A as {@code pa[p·MR + r]}, B as {@code pb[p·NR + j]}, both
 * zero-padded, so the kernel never branches on edges inside its loop. Rows past the edge of C are not
 * stored; a block narrower than NR goes through {@link #mergeEdge}, whose scalar arithmetic is the same
 * sequence of roundings as the vector epilogue, so an element's bits never depend on where the block
 * boundaries fall (and thus not on the thread count).
 */
final class GemmKernel {

    /** Epilogue activations fused in registers. */
    static final int ACT_NONE = 0;
    static final int ACT_RELU = 1;
    static final int ACT_LEAKY = 2;

    private GemmKernel() {
    }

    /**
     * {@code acc[r·NR + j] = Σ_p A(r, p)·pb[pbo + p·bs + j]} for 6 rows and NR columns: the raw sums of
     * one block, in registers, stored once at the end. {@code A(r, p) = pa[pao + r·rs + p·ps]}: a packed
     * panel ({@code rs = 1, ps = MR}) or A where it lies ({@code rs = lda, ps = 1} for a row-major A,
     * {@code rs = 1, ps = lda} for a transposed one). A is read one element at a time (broadcast), so its
     * layout needs no vector-friendly order. B is a packed panel ({@code bs = NR}) or, for a few rows of C,
     * a row-major B where it lies ({@code bs = ldb}).
     *
     * <p>The loop is kept apart from the epilogue on purpose: with the epilogue's branches in the same
     * method, C2 deoptimized and recompiled it as new branches were first taken, and a recompilation with
     * every branch profiled could exceed its inlining budget and leave some {@code fma} calls un-intrinsified
     * (boxing every vector: tens of MB per training step, 20× slower). A branch-free loop compiles once.
     */
    static void kernel(int kc, float[] pa, int pao, int rs, int ps, float[] pb, int pbo, int bs, float[] acc) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES);
        FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES);
        FloatVector c51 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ia = pao + p * ps;
            int ib = pbo + p * bs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, ib);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pb, ib + L);
            FloatVector a = FloatVector.broadcast(SPECIES, pa[ia]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SPECIES, pa[ia + rs]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(SPECIES, pa[ia + 2 * rs]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(SPECIES, pa[ia + 3 * rs]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(SPECIES, pa[ia + 4 * rs]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(SPECIES, pa[ia + 5 * rs]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, L);
        c10.intoArray(acc, NR);
        c11.intoArray(acc, NR + L);
        c20.intoArray(acc, 2 * NR);
        c21.intoArray(acc, 2 * NR + L);
        c30.intoArray(acc, 3 * NR);
        c31.intoArray(acc, 3 * NR + L);
        c40.intoArray(acc, 4 * NR);
        c41.intoArray(acc, 4 * NR + L);
        c50.intoArray(acc, 5 * NR);
        c51.intoArray(acc, 5 * NR + L);
    }

    /**
     * {@link #kernel} for a last panel of one or two rows (2 rows × NR columns, 4 accumulators; A and B with any
     * strides): 129 rows are 16 panels of 8 and one of a single row, which the 6-row kernel computed as six, 5%
     * of the product's time for 1% of its rows. The same FMA sequence per element, so the same bits.
     */
    static void kernel2(int kc, float[] pa, int pao, int rs, int ps, float[] pb, int pbo, int bs, float[] acc) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ia = pao + p * ps;
            int ib = pbo + p * bs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, ib);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pb, ib + L);
            FloatVector a = FloatVector.broadcast(SPECIES, pa[ia]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SPECIES, pa[ia + rs]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, L);
        c10.intoArray(acc, NR);
        c11.intoArray(acc, NR + L);
    }

    /**
     * {@link #kernel} for a packed panel of A ({@code rs = 1, ps = MR}) and a packed panel of B
     * ({@code bs = NR}): the same FMA sequence per element, so the same bits. With constant strides C2
     * hoists B's range checks out of the loop and keeps two for A's six elements (JDK 17's code,
     * disassembled); with the strides as arguments every load keeps its check and the loop its
     * multiplications and spilled strides.
     */
    static void kernelPacked(int kc, float[] pa, int pao, float[] pb, int pbo, float[] acc) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES);
        FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES);
        FloatVector c51 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ia = pao + p * MR;
            int ib = pbo + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, ib);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pb, ib + L);
            FloatVector a = FloatVector.broadcast(SPECIES, pa[ia]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SPECIES, pa[ia + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(SPECIES, pa[ia + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(SPECIES, pa[ia + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(SPECIES, pa[ia + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(SPECIES, pa[ia + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, L);
        c10.intoArray(acc, NR);
        c11.intoArray(acc, NR + L);
        c20.intoArray(acc, 2 * NR);
        c21.intoArray(acc, 2 * NR + L);
        c30.intoArray(acc, 3 * NR);
        c31.intoArray(acc, 3 * NR + L);
        c40.intoArray(acc, 4 * NR);
        c41.intoArray(acc, 4 * NR + L);
        c50.intoArray(acc, 5 * NR);
        c51.intoArray(acc, 5 * NR + L);
    }

    /**
     * {@link #kernel} for a block at most one vector wide: the first {@code L} columns of each of the 6 rows
     * ({@code acc[r·NR + j]}, {@code j < L}), half the FMAs of a full block, for a narrow C (a 10-class
     * output layer) or a last column panel of at most L columns. The same FMA sequence per element as
     * {@link #kernel}, so an element's bits do not depend on which of the two computed it.
     */
    static void kernelNarrow(int kc, float[] pa, int pao, int rs, int ps, float[] pb, int pbo, int bs, float[] acc) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = FloatVector.zero(SPECIES);
        FloatVector c2 = FloatVector.zero(SPECIES);
        FloatVector c3 = FloatVector.zero(SPECIES);
        FloatVector c4 = FloatVector.zero(SPECIES);
        FloatVector c5 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ia = pao + p * ps;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, pbo + p * bs);
            c0 = FloatVector.broadcast(SPECIES, pa[ia]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, pa[ia + rs]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, pa[ia + 2 * rs]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, pa[ia + 3 * rs]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, pa[ia + 4 * rs]).fma(b0, c4);
            c5 = FloatVector.broadcast(SPECIES, pa[ia + 5 * rs]).fma(b0, c5);
        }
        c0.intoArray(acc, 0);
        c1.intoArray(acc, NR);
        c2.intoArray(acc, 2 * NR);
        c3.intoArray(acc, 3 * NR);
        c4.intoArray(acc, 4 * NR);
        c5.intoArray(acc, 5 * NR);
    }

    /**
     * The 8-row micro-kernel ({@code MR = 8}, 16 vector accumulators: for 32 vector registers) over a
     * packed panel of A and a packed panel of B: per element the FMA sequence of {@link #kernel}, so the
     * same bits. On the Zen 5 it runs as fast per FMA as a 12-row block of 24 accumulators (ad hoc, panels in
     * L1 and L2: 207–210 against 196 GFLOP/s on JDK 17, 214 against 213 on JDK 25), and batches of 8k rows
     * fill it, where 12 rows left a third of the last panel of 128 rows idle (bench/README.md, "Eight rows").
     * The sums go to {@code out[oo]}, rows {@code ld} apart: the accumulator tile ({@code ld = NR}) for
     * {@link #store} or {@link #mergeEdge} to finish, or C itself when a full tile's epilogue is a plain store
     * ({@code alpha = 1, beta = 0}, no bias, no activation, one depth pass: {@code store} would copy the tile
     * unchanged), which spares the tile's 16 stores and {@code store}'s 16 loads. No branch: C2 compiles only
     * what the warm-up's calls took, and a branch the warm-up never took would throw this method away in a
     * caller's first steps (a first version with one did so at the switch to SIMD).
     */
    static void kernelPacked8(int kc, float[] pa, int pao, float[] pb, int pbo, float[] out, int oo, int ld) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        FloatVector c00a = FloatVector.zero(SPECIES);
        FloatVector c00b = FloatVector.zero(SPECIES);
        FloatVector c01a = FloatVector.zero(SPECIES);
        FloatVector c01b = FloatVector.zero(SPECIES);
        FloatVector c02a = FloatVector.zero(SPECIES);
        FloatVector c02b = FloatVector.zero(SPECIES);
        FloatVector c03a = FloatVector.zero(SPECIES);
        FloatVector c03b = FloatVector.zero(SPECIES);
        FloatVector c04a = FloatVector.zero(SPECIES);
        FloatVector c04b = FloatVector.zero(SPECIES);
        FloatVector c05a = FloatVector.zero(SPECIES);
        FloatVector c05b = FloatVector.zero(SPECIES);
        FloatVector c06a = FloatVector.zero(SPECIES);
        FloatVector c06b = FloatVector.zero(SPECIES);
        FloatVector c07a = FloatVector.zero(SPECIES);
        FloatVector c07b = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ia = pao + p * 8;
            int ib = pbo + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, ib);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pb, ib + L);
            FloatVector a = FloatVector.broadcast(SPECIES, pa[ia]);
            c00a = a.fma(b0, c00a);
            c00b = a.fma(b1, c00b);
            a = FloatVector.broadcast(SPECIES, pa[ia + 1]);
            c01a = a.fma(b0, c01a);
            c01b = a.fma(b1, c01b);
            a = FloatVector.broadcast(SPECIES, pa[ia + 2]);
            c02a = a.fma(b0, c02a);
            c02b = a.fma(b1, c02b);
            a = FloatVector.broadcast(SPECIES, pa[ia + 3]);
            c03a = a.fma(b0, c03a);
            c03b = a.fma(b1, c03b);
            a = FloatVector.broadcast(SPECIES, pa[ia + 4]);
            c04a = a.fma(b0, c04a);
            c04b = a.fma(b1, c04b);
            a = FloatVector.broadcast(SPECIES, pa[ia + 5]);
            c05a = a.fma(b0, c05a);
            c05b = a.fma(b1, c05b);
            a = FloatVector.broadcast(SPECIES, pa[ia + 6]);
            c06a = a.fma(b0, c06a);
            c06b = a.fma(b1, c06b);
            a = FloatVector.broadcast(SPECIES, pa[ia + 7]);
            c07a = a.fma(b0, c07a);
            c07b = a.fma(b1, c07b);
        }
        int o = oo;
        c00a.intoArray(out, o);
        c00b.intoArray(out, o + L);
        o += ld;
        c01a.intoArray(out, o);
        c01b.intoArray(out, o + L);
        o += ld;
        c02a.intoArray(out, o);
        c02b.intoArray(out, o + L);
        o += ld;
        c03a.intoArray(out, o);
        c03b.intoArray(out, o + L);
        o += ld;
        c04a.intoArray(out, o);
        c04b.intoArray(out, o + L);
        o += ld;
        c05a.intoArray(out, o);
        c05b.intoArray(out, o + L);
        o += ld;
        c06a.intoArray(out, o);
        c06b.intoArray(out, o + L);
        o += ld;
        c07a.intoArray(out, o);
        c07b.intoArray(out, o + L);
    }

    /** {@link #kernel} for 8 rows: A and B read with any strides. */
    static void kernel8(int kc, float[] pa, int pao, int rs, int ps, float[] pb, int pbo, int bs, float[] acc) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        FloatVector c00a = FloatVector.zero(SPECIES);
        FloatVector c00b = FloatVector.zero(SPECIES);
        FloatVector c01a = FloatVector.zero(SPECIES);
        FloatVector c01b = FloatVector.zero(SPECIES);
        FloatVector c02a = FloatVector.zero(SPECIES);
        FloatVector c02b = FloatVector.zero(SPECIES);
        FloatVector c03a = FloatVector.zero(SPECIES);
        FloatVector c03b = FloatVector.zero(SPECIES);
        FloatVector c04a = FloatVector.zero(SPECIES);
        FloatVector c04b = FloatVector.zero(SPECIES);
        FloatVector c05a = FloatVector.zero(SPECIES);
        FloatVector c05b = FloatVector.zero(SPECIES);
        FloatVector c06a = FloatVector.zero(SPECIES);
        FloatVector c06b = FloatVector.zero(SPECIES);
        FloatVector c07a = FloatVector.zero(SPECIES);
        FloatVector c07b = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ia = pao + p * ps;
            int ib = pbo + p * bs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, ib);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pb, ib + L);
            FloatVector a = FloatVector.broadcast(SPECIES, pa[ia]);
            c00a = a.fma(b0, c00a);
            c00b = a.fma(b1, c00b);
            a = FloatVector.broadcast(SPECIES, pa[ia + rs]);
            c01a = a.fma(b0, c01a);
            c01b = a.fma(b1, c01b);
            a = FloatVector.broadcast(SPECIES, pa[ia + 2 * rs]);
            c02a = a.fma(b0, c02a);
            c02b = a.fma(b1, c02b);
            a = FloatVector.broadcast(SPECIES, pa[ia + 3 * rs]);
            c03a = a.fma(b0, c03a);
            c03b = a.fma(b1, c03b);
            a = FloatVector.broadcast(SPECIES, pa[ia + 4 * rs]);
            c04a = a.fma(b0, c04a);
            c04b = a.fma(b1, c04b);
            a = FloatVector.broadcast(SPECIES, pa[ia + 5 * rs]);
            c05a = a.fma(b0, c05a);
            c05b = a.fma(b1, c05b);
            a = FloatVector.broadcast(SPECIES, pa[ia + 6 * rs]);
            c06a = a.fma(b0, c06a);
            c06b = a.fma(b1, c06b);
            a = FloatVector.broadcast(SPECIES, pa[ia + 7 * rs]);
            c07a = a.fma(b0, c07a);
            c07b = a.fma(b1, c07b);
        }
        c00a.intoArray(acc, 0);
        c00b.intoArray(acc, L);
        c01a.intoArray(acc, NR);
        c01b.intoArray(acc, NR + L);
        c02a.intoArray(acc, 2 * NR);
        c02b.intoArray(acc, 2 * NR + L);
        c03a.intoArray(acc, 3 * NR);
        c03b.intoArray(acc, 3 * NR + L);
        c04a.intoArray(acc, 4 * NR);
        c04b.intoArray(acc, 4 * NR + L);
        c05a.intoArray(acc, 5 * NR);
        c05b.intoArray(acc, 5 * NR + L);
        c06a.intoArray(acc, 6 * NR);
        c06b.intoArray(acc, 6 * NR + L);
        c07a.intoArray(acc, 7 * NR);
        c07b.intoArray(acc, 7 * NR + L);
    }

    /** {@link #kernelNarrow} for 8 rows. */
    static void kernelNarrow8(int kc, float[] pa, int pao, int rs, int ps, float[] pb, int pbo, int bs, float[] acc) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c02 = FloatVector.zero(SPECIES);
        FloatVector c03 = FloatVector.zero(SPECIES);
        FloatVector c04 = FloatVector.zero(SPECIES);
        FloatVector c05 = FloatVector.zero(SPECIES);
        FloatVector c06 = FloatVector.zero(SPECIES);
        FloatVector c07 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ia = pao + p * ps;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, pbo + p * bs);
            c00 = FloatVector.broadcast(SPECIES, pa[ia]).fma(b0, c00);
            c01 = FloatVector.broadcast(SPECIES, pa[ia + rs]).fma(b0, c01);
            c02 = FloatVector.broadcast(SPECIES, pa[ia + 2 * rs]).fma(b0, c02);
            c03 = FloatVector.broadcast(SPECIES, pa[ia + 3 * rs]).fma(b0, c03);
            c04 = FloatVector.broadcast(SPECIES, pa[ia + 4 * rs]).fma(b0, c04);
            c05 = FloatVector.broadcast(SPECIES, pa[ia + 5 * rs]).fma(b0, c05);
            c06 = FloatVector.broadcast(SPECIES, pa[ia + 6 * rs]).fma(b0, c06);
            c07 = FloatVector.broadcast(SPECIES, pa[ia + 7 * rs]).fma(b0, c07);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, NR);
        c02.intoArray(acc, 2 * NR);
        c03.intoArray(acc, 3 * NR);
        c04.intoArray(acc, 4 * NR);
        c05.intoArray(acc, 5 * NR);
        c06.intoArray(acc, 6 * NR);
        c07.intoArray(acc, 7 * NR);
    }

    /**
     * The epilogue of a full-width block: {@code C[r][0..NR) = act(alpha·acc[r·NR + j] + beta·C + bias)} for
     * {@code r < rows}, with C read only when {@code beta != 0}. Vector for vector the roundings of
     * {@link #epilogue}, so a block written here and one written by {@link #mergeEdge} agree bit for bit.
     */
    static void store(float[] acc, int rows, float[] c, int co, int ldc,
                      float alpha, float beta, float[] bias, int bo, int act, float slope) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        boolean scaled = alpha != 1f;
        boolean load = beta != 0f;
        boolean biased = bias != null;
        FloatVector va = FloatVector.broadcast(SPECIES, alpha);
        FloatVector vb = FloatVector.broadcast(SPECIES, beta);
        FloatVector bias0 = biased ? FloatVector.fromArray(SPECIES, bias, bo) : va;
        FloatVector bias1 = biased ? FloatVector.fromArray(SPECIES, bias, bo + L) : va;
        for (int r = 0, o = co; r < rows; r++, o += ldc) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, acc, r * NR);
            FloatVector x1 = FloatVector.fromArray(SPECIES, acc, r * NR + L);
            if (scaled) {
                x0 = x0.mul(va);
                x1 = x1.mul(va);
            }
            if (load) {
                x0 = FloatVector.fromArray(SPECIES, c, o).fma(vb, x0);
                x1 = FloatVector.fromArray(SPECIES, c, o + L).fma(vb, x1);
            }
            if (biased) {
                x0 = x0.add(bias0);
                x1 = x1.add(bias1);
            }
            if (act == ACT_RELU) {
                x0 = x0.max(0f);
                x1 = x1.max(0f);
            } else if (act == ACT_LEAKY) {
                x0 = x0.blend(x0.mul(slope), x0.compare(VectorOperators.LE, 0f));
                x1 = x1.blend(x1.mul(slope), x1.compare(VectorOperators.LE, 0f));
            }
            x0.intoArray(c, o);
            x1.intoArray(c, o + L);
        }
    }

    /**
     * The epilogue of a block narrower than NR: {@code tile} holds the raw sums ({@link #kernel}'s
     * {@code MR × NR} accumulator tile); writes {@code rows × cols} of C with
     * exactly the roundings of the vector epilogue.
     */
    static void mergeEdge(float[] tile, int rows, int cols, float[] c, int co, int ldc,
                          float alpha, float beta, float[] bias, int bo, int act, float slope) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        for (int r = 0; r < rows; r++) {
            int cr = co + r * ldc;
            for (int j = 0; j < cols; j++) {
                c[cr + j] = epilogue(tile[r * NR + j], beta != 0f ? c[cr + j] : 0f, alpha, beta,
                        bias != null ? bias[bo + j] : 0f, bias != null, act, slope);
            }
        }
    }

    /** The scalar epilogue of one sum {@code x}: the roundings of {@link #store}, lane by lane. */
    static float epilogue(float x, float cOld, float alpha, float beta, float bias, boolean hasBias,
                          int act, float slope) {
        if (alpha != 1f) {
            x = x * alpha;
        }
        if (beta != 0f) {
            x = Math.fma(cOld, beta, x);
        }
        if (hasBias) {
            x = x + bias;
        }
        if (act == ACT_RELU) {
            x = Math.max(x, 0f);
        } else if (act == ACT_LEAKY && x <= 0f) {
            x = x * slope;
        }
        return x;
    }
}
