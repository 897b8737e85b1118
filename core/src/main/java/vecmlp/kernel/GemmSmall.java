package vecmlp.kernel;

import static vecmlp.kernel.GemmShape.L;
import static vecmlp.kernel.GemmShape.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The path for a few rows ({@code m ≤} {@link Gemm#SMALL_M}, e.g. batch-1 inference): a GEMV per row of
 * C that reads the operands where they lie, without packing. It is memory bound on B, which it streams
 * once per row: with B not transposed, rows of B are read vector by vector into four independent
 * accumulators ({@code C[i, j..j+4L) += A[i,p] · B[p, j..j+4L)}); with B transposed, each {@code C[i,j]}
 * is a dot product of two contiguous rows (a transposed A is first gathered into a contiguous row).
 *
 * <p>Each element's sum is a fixed sequence of FMAs that depends only on {@code k}, never on the column
 * range a thread gets, so results are bit-identical for any thread count.
 */
final class GemmSmall {

    private GemmSmall() {
    }

    /**
     * Rows {@code [0, m)}, columns {@code [j0, j1)} of C; {@code row} is a scratch array of ≥ k floats,
     * {@code sums} of ≥ 4L.
     */
    static void compute(Gemm.Job job, int j0, int j1, float[] row, float[] sums) {
        for (int i = 0; i < job.m; i++) {
            if (!job.transB) {
                rowTimesB(job, i, j0, j1, sums);
            } else {
                rowDotRows(job, i, j0, j1, row);
            }
        }
    }

    /** {@code C[i, j0..j1) = epilogue(Σ_p op(A)[i,p] · B[p, j0..j1))}, B stored {@code k × n}. */
    private static void rowTimesB(Gemm.Job job, int i, int j0, int j1, float[] sums) {
        final int k = job.k;
        final float[] a = job.a;
        final float[] b = job.b;
        final int ldb = job.ldb;
        // op(A)(i, p) = a[aBase + p·aStride]
        final int aBase = job.transA ? job.aOff + i : job.aOff + i * job.lda;
        final int aStride = job.transA ? job.lda : 1;
        final int cRow = job.cOff + i * job.ldc;
        int j = j0;
        for (; j + 4 * L <= j1; j += 4 * L) {
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = FloatVector.zero(SPECIES);
            FloatVector s2 = FloatVector.zero(SPECIES);
            FloatVector s3 = FloatVector.zero(SPECIES);
            int bj = job.bOff + j;
            for (int p = 0; p < k; p++) {
                FloatVector x = FloatVector.broadcast(SPECIES, a[aBase + p * aStride]);
                int bp = bj + p * ldb;
                s0 = x.fma(FloatVector.fromArray(SPECIES, b, bp), s0);
                s1 = x.fma(FloatVector.fromArray(SPECIES, b, bp + L), s1);
                s2 = x.fma(FloatVector.fromArray(SPECIES, b, bp + 2 * L), s2);
                s3 = x.fma(FloatVector.fromArray(SPECIES, b, bp + 3 * L), s3);
            }
            // Through memory, not as arguments: a FloatVector passed to a method C2 does not inline is boxed.
            s0.intoArray(sums, 0);
            s1.intoArray(sums, L);
            s2.intoArray(sums, 2 * L);
            s3.intoArray(sums, 3 * L);
            store(job, sums, 4, cRow, j);
        }
        for (; j + L <= j1; j += L) {
            FloatVector s0 = FloatVector.zero(SPECIES);
            int bj = job.bOff + j;
            for (int p = 0; p < k; p++) {
                FloatVector x = FloatVector.broadcast(SPECIES, a[aBase + p * aStride]);
                s0 = x.fma(FloatVector.fromArray(SPECIES, b, bj + p * ldb), s0);
            }
            s0.intoArray(sums, 0);
            store(job, sums, 1, cRow, j);
        }
        for (; j < j1; j++) {
            float s = 0f;
            int bj = job.bOff + j;
            for (int p = 0; p < k; p++) {
                s = Math.fma(a[aBase + p * aStride], b[bj + p * ldb], s);
            }
            job.c[cRow + j] = epilogue(job, s, cRow, j);
        }
    }

    /** {@code C[i, j] = epilogue(op(A)[i,:] · B[j,:])} for j in {@code [j0, j1)}, B stored {@code n × k}. */
    private static void rowDotRows(Gemm.Job job, int i, int j0, int j1, float[] row) {
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
        final float[] b = job.b;
        final int cRow = job.cOff + i * job.ldc;
        final int bound4 = k - k % (4 * L);
        final int bound = k - k % L;
        for (int j = j0; j < j1; j++) {
            int bj = job.bOff + j * job.ldb;
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
            float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
            for (; p < k; p++) {
                s = Math.fma(x[xOff + p], b[bj + p], s);
            }
            job.c[cRow + j] = epilogue(job, s, cRow, j);
        }
    }

    /** The vector epilogue of {@code count} vectors of sums, the same roundings as {@link GemmKernel}. */
    private static void store(Gemm.Job job, float[] sums, int count, int cRow, int j) {
        float[] c = job.c;
        for (int v = 0; v < count; v++) {
            int o = cRow + j + v * L;
            FloatVector x = FloatVector.fromArray(SPECIES, sums, v * L);
            if (job.alpha != 1f) {
                x = x.mul(job.alpha);
            }
            if (job.beta != 0f) {
                x = FloatVector.fromArray(SPECIES, c, o).fma(FloatVector.broadcast(SPECIES, job.beta), x);
            }
            if (job.bias != null) {
                x = x.add(FloatVector.fromArray(SPECIES, job.bias, job.biasOff + j + v * L));
            }
            if (job.act == GemmKernel.ACT_RELU) {
                x = x.max(0f);
            } else if (job.act == GemmKernel.ACT_LEAKY) {
                x = x.blend(x.mul(job.slope), x.compare(VectorOperators.LE, 0f));
            }
            x.intoArray(c, o);
        }
    }

    private static float epilogue(Gemm.Job job, float x, int cRow, int j) {
        return GemmKernel.epilogue(x, job.c[cRow + j], job.alpha, job.beta,
                job.bias == null ? 0f : job.bias[job.biasOff + j], job.bias != null, job.act, job.slope);
    }
}
