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
     * the next multiple of 4 are zeros.
     */
    float[][] packRows(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int w) {
        float[][] r = rows;
        if (!transB) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, bOff + (p0 + p) * ldb + j0, r[p], 0, w);
            }
        } else {
            for (int j = 0; j < w; j++) {
                int src = bOff + (j0 + j) * ldb + p0;
                for (int p = 0; p < kc; p++) {
                    r[p][j] = b[src + p];
                }
            }
        }
        for (int p = kc; p % 4 != 0; p++) {
            Arrays.fill(r[p], 0, w, 0f);
        }
        return r;
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
