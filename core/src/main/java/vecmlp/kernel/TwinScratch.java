package vecmlp.kernel;

import static vecmlp.kernel.GemmShape.KC;

import java.util.Arrays;

/**
 * The buffers one thread needs for {@link TwinKernels}: rows of a packed block of B, each at offset 0 (the
 * form C2 vectorizes), two rows of sums, a gathered row and column for dot products, partial sums, and the
 * transposed product of a swapped TT call. Allocated at first use and grown when needed, then reused.
 * Confined to its thread.
 */
final class TwinScratch {

    /** A subclass, not {@code withInitial} and a method reference: see {@code KernelProvider.JmxRecheck}. */
    private static final ThreadLocal<TwinScratch> LOCAL = new ThreadLocal<>() {
        @Override
        protected TwinScratch initialValue() {
            return new TwinScratch();
        }
    };

    /** Partial sums of a dot product: 4 vectors of up to 64 lanes (2048-bit vectors). */
    final float[] parts = new float[4 * 64];
    /** The four blocks of each factor of a dot product's partial sums, each at offset 0. */
    final float[][] dx = new float[4][4 * 64];
    final float[][] dy = new float[4][4 * 64];
    final float[] acc0 = new float[TwinKernels.NB];
    final float[] acc1 = new float[TwinKernels.NB];
    /** KC rows, and 3 more: the zeros a depth count not a multiple of 4 is padded with. */
    private final float[][] rows = new float[KC + 3][TwinKernels.NB];
    private float[] row = new float[0];
    private float[] col = new float[0];
    private float[] transposed = new float[0];

    /** The workspace of the calling thread. */
    static TwinScratch local() {
        return LOCAL.get();
    }

    /**
     * Depths {@code [p0, p0+kc)} ({@code kc ≤ KC}) and columns {@code [j0, j0+w)} ({@code w ≤ NB}) of op(B),
     * row {@code p} of the result holding {@code op(B)(p0 + p, j0 + j)} at index {@code j}. op(B)(p, j) is
     * {@code b[bOff + p·ldb + j]}, or {@code b[bOff + j·ldb + p]} when {@code transB}. Rows {@code kc} up to
     * the next multiple of 4 are zeros. With {@code pieces}, the transposition in pieces of 8 rows and
     * {@link TwinKernels#PIECE} columns (see there; the same result).
     */
    float[][] packRows(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int w,
                       boolean pieces) {
        float[][] r = rows;
        if (!transB) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, bOff + (p0 + p) * ldb + j0, r[p], 0, w);
            }
        } else if (!pieces) {
            transposeInto(b, bOff + j0 * ldb + p0, ldb, 0, kc, 0, w, r);
        } else {
            for (int j = 0; j < w; j += TwinKernels.PIECE) {
                for (int p = 0; p < kc; p += 8) {
                    transposeInto(b, bOff + j0 * ldb + p0, ldb, p, Math.min(p + 8, kc), j,
                            Math.min(j + TwinKernels.PIECE, w), r);
                }
            }
        }
        for (int p = kc; p % 4 != 0; p++) {
            Arrays.fill(r[p], 0, w, 0f);
        }
        return r;
    }

    /**
     * {@code r[p][j] = b[base + j·ldb + p]} for {@code p0 ≤ p < p1}, {@code j0 ≤ j < j1}: eight rows of {@code r}
     * at a time, each written in order while eight adjacent floats of each row of {@code b} are read (a float at
     * a time into {@code kc} rows took 1.3–2.1 ns an element against 0.5–1.0, ad hoc, on the Intel AVX-512
     * machine, at the shapes of 64-128-10 and 784-256-128-10).
     */
    private static void transposeInto(float[] b, int base, int ldb, int p0, int p1, int j0, int j1, float[][] r) {
        int p = p0;
        for (; p + 8 <= p1; p += 8) {
            float[] r0 = r[p];
            float[] r1 = r[p + 1];
            float[] r2 = r[p + 2];
            float[] r3 = r[p + 3];
            float[] r4 = r[p + 4];
            float[] r5 = r[p + 5];
            float[] r6 = r[p + 6];
            float[] r7 = r[p + 7];
            for (int j = j0, s = base + j0 * ldb + p; j < j1; j++, s += ldb) {
                r0[j] = b[s];
                r1[j] = b[s + 1];
                r2[j] = b[s + 2];
                r3[j] = b[s + 3];
                r4[j] = b[s + 4];
                r5[j] = b[s + 5];
                r6[j] = b[s + 6];
                r7[j] = b[s + 7];
            }
        }
        for (; p < p1; p++) {
            float[] rp = r[p];
            for (int j = j0, s = base + j0 * ldb + p; j < j1; j++, s += ldb) {
                rp[j] = b[s];
            }
        }
    }

    float[] row(int k) {
        if (row.length < k) {
            row = new float[k];
        }
        return row;
    }

    float[] col(int k) {
        if (col.length < k) {
            col = new float[k];
        }
        return col;
    }

    float[] transposed(int size) {
        if (transposed.length < size) {
            transposed = new float[size];
        }
        return transposed;
    }
}
