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
     * Packs rows {@code [i0, i0+mc)} and depths {@code [p0, p0+kc)} of {@code op(A)} into {@code ⌈mc/MR⌉}
     * micro-panels, panel {@code q} at {@code pa[paOff + q·MR·kc]}, element {@code (r, p)} at
     * {@code paOff + q·MR·kc + p·MR + r}; nothing outside the panels is written. {@code op(A)(i, p)} is
     * {@code a[aOff + i·lda + p]}, or {@code a[aOff + p·lda + i]} when {@code transA}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int p0, int mc, int kc, float[] pa,
                      int paOff) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        int total = (mc + MR - 1) / MR * MR * kc;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int base = paOff + ir * kc;
            if (!transA) {
                int src = aOff + (i0 + ir) * lda + p0;
                if (rows == MR) {
                    // MR row streams in, one sequential stream out (the row loop has a constant trip
                    // count: unrolled by C2). Gathers of the MR rows' floats (FloatVector.fromArray with an
                    // index map) packed 2-2.5x as fast on an Intel AVX-512 machine and as fast on the Zen 5,
                    // but C2 often gave their intrinsic up after the SIMD warm-up, and every gather then built
                    // its vector on the heap (bench/README.md, "Gathers given up").
                    for (int p = 0; p < kc; p++) {
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
     * Packs depths {@code [p0, p0+kc)} and columns {@code [j0, j0+nc)} of {@code op(B)} into {@code ⌈nc/NR⌉}
     * micro-panels, panel {@code q} at {@code pb[q·NR·kc]}, element {@code (p, j)} at {@code q·NR·kc + p·NR + j}.
     * {@code op(B)(p, j)} is {@code b[bOff + p·ldb + j]}, or {@code b[bOff + j·ldb + p]} when {@code transB}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int j0, int kc, int nc, float[] pb) {
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
                // Column by column: one sequential stream in; the writes, NR apart, stay in the L1-resident
                // panel. (No gathers: see packA.)
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
