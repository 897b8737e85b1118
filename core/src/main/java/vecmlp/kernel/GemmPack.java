package vecmlp.kernel;

import static vecmlp.kernel.GemmShape.KC;
import static vecmlp.kernel.GemmShape.L;
import static vecmlp.kernel.GemmShape.MR;
import static vecmlp.kernel.GemmShape.NR;
import static vecmlp.kernel.GemmShape.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Packing of GEMM operands into the panel layouts the micro-kernel reads contiguously (BLIS
 * {@code packm}). B's transpose is absorbed here (A's by the strides the micro-kernel reads it with), so
 * one micro-kernel serves NN, NT, TN and TT. Edge panels are padded with zeros up to MR rows or NR columns.
 */
final class GemmPack {

    private GemmPack() {
    }

    /**
     * Whether packing gathers (a {@code FloatVector} read through an index map) where a panel's floats lie
     * a row or a column apart: on JDK 17 only. On JDK 25, C2 gave up the gather's intrinsic when it compiled
     * the packing after the SIMD warm-up (PrintInlining: {@code VectorSupport::loadWithMap} "failed to inline
     * (intrinsic)"), so every gather built vectors on the heap: 784-256-128-10 trained at 1.43–1.48 ms a step
     * instead of 0.91–0.93 with the scalar loops (batch 128, one thread, {@code Kernels.get()}, two fresh JVMs
     * each, 2-vCPU Zen 5). On JDK 17 the two were level there (0.91–0.96 ms), and the gathers packed 2–2.5×
     * as fast on the Intel AVX-512 machine. JDKs between are not measured and take the scalar loops.
     */
    static final boolean GATHER = Runtime.version().feature() < 18;

    /**
     * Packs rows {@code [i0, i0+mc)} and depths {@code [p0, p0+kc)} of {@code op(A)} into {@code ⌈mc/MR⌉}
     * micro-panels, panel {@code q} at {@code pa[paOff + q·MR·kc]}, element {@code (r, p)} at
     * {@code paOff + q·MR·kc + p·MR + r}; nothing outside the panels is written. {@code op(A)(i, p)} is
     * {@code a[aOff + i·lda + p]}, or {@code a[aOff + p·lda + i]} when {@code transA}. {@code rowMap} is
     * {@link GemmWorkspace#rowMap}{@code (lda)}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int p0, int mc, int kc, float[] pa,
                      int paOff, int[] rowMap) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        int total = (mc + MR - 1) / MR * MR * kc;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int base = paOff + ir * kc;
            // The vector stores below write L floats for MR: past a depth into the next depths and panels, which
            // their own stores overwrite after, but never past the last panel: the depths whose store would end
            // there are copied by scalars.
            int room = total - ir * kc - L;
            int vectorDepths = room < 0 ? 0 : Math.min(kc, room / MR + 1);
            if (!transA) {
                int src = aOff + (i0 + ir) * lda + p0;
                if (rows == MR && MR <= L && GATHER) {
                    // One gather of the MR rows' floats at each depth, stored as a whole vector: its lanes past
                    // MR (the last row again) are overwritten by the next depth's store. 2-2.5x the speed of the
                    // scalar loop below (ad hoc, the Intel AVX-512 machine, 128 x 784 in passes of 196, JDK 17
                    // and 25, 8 and 16 lanes), which took a fifth of the time of NN 128x256x784.
                    int p = 0;
                    for (; p < vectorDepths; p++) {
                        FloatVector.fromArray(SPECIES, a, src + p, rowMap, 0).intoArray(pa, base + p * MR);
                    }
                    for (; p < kc; p++) {
                        int d = base + p * MR;
                        for (int r = 0, s = src + p; r < MR; r++, s += lda) {
                            pa[d + r] = a[s];
                        }
                    }
                } else if (rows == MR) {
                    // MR row streams in, one sequential stream out (the row loop has a constant trip
                    // count: unrolled by C2).
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * MR;
                        for (int r = 0, s = src + p; r < MR; r++, s += lda) {
                            pa[d + r] = a[s];
                        }
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * MR;
                        for (int r = 0; r < MR; r++) {
                            pa[d + r] = r < rows ? a[src + r * lda + p] : 0f;
                        }
                    }
                }
            } else {
                int src = aOff + p0 * lda + i0 + ir;
                if (rows == MR && MR <= L) {
                    // A vector of L floats from each depth's row of A, stored whole (the lanes past MR as in
                    // the gather above), while those L floats lie inside a; the last few depths of its last
                    // rows, if any, by the loop below.
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
                        for (int r = 0; r < MR; r++) {
                            pa[d + r] = r < rows ? a[s + r] : 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs depths {@code [p0, p0+kc)} and columns {@code [j0, j0+nc)} of {@code op(B)} into {@code ⌈nc/NR⌉}
     * micro-panels, panel {@code q} at {@code pb[q·NR·kc]}, element {@code (p, j)} at {@code q·NR·kc + p·NR + j}.
     * {@code op(B)(p, j)} is {@code b[bOff + p·ldb + j]}, or {@code b[bOff + j·ldb + p]} when {@code transB}.
     * {@code columnMap} is {@link GemmWorkspace#columnMap}{@code (ldb)}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int j0, int kc, int nc, float[] pb,
                      int[] columnMap) {
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
                        for (int j = 0; j < NR; j++) {
                            pb[d + j] = j < cols ? b[s + j] : 0f;
                        }
                    }
                }
            } else if (cols == NR && GATHER) {
                // Two gathers of L columns' floats at each depth, stored in order: 2.5x the speed of the
                // column-by-column loop below with 16 lanes, 1.25x with 8 (ad hoc, the Intel AVX-512 machine,
                // 784 x 256 in one pass, JDK 17 and 25), whose packing took a quarter of NT 128x784x256.
                int src = bOff + (j0 + jr) * ldb + p0;
                int half = L * ldb;
                for (int p = 0; p < kc; p++) {
                    int d = base + p * NR;
                    FloatVector.fromArray(SPECIES, b, src + p, columnMap, 0).intoArray(pb, d);
                    FloatVector.fromArray(SPECIES, b, src + half + p, columnMap, 0).intoArray(pb, d + L);
                }
            } else {
                // Column by column: one sequential stream in; the writes, NR apart, stay in the L1-resident
                // panel.
                int src = bOff + (j0 + jr) * ldb + p0;
                for (int j = 0; j < cols; j++) {
                    int s = src + j * ldb;
                    int d = base + j;
                    for (int p = 0; p < kc; p++) {
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
