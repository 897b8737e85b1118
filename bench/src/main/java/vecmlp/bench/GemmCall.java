package vecmlp.bench;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;
import vecmlp.kernel.Kernels;
import vecmlp.kernel.Transpose;

/**
 * One product of the GEMM benchmarks: the shape of a {@code gemm} parameter ({@code TRANSPOSES:MxNxK}, e.g.
 * {@code NT:128x784x256}), seeded operands in [−1, 1), and one call {@code C = op(A)·op(B)} through vecmlp's
 * kernels or through the netlib peer ({@link vecmlp.bench.blas.Netlib#instance()}).
 */
final class GemmCall {

    final Transpose transA;
    final Transpose transB;
    final int m;
    final int n;
    final int k;
    final double gflop;
    private final int lda;
    private final int ldb;
    private final float[] a;
    private final float[] b;
    private final float[] c;
    private final Kernels kernels;
    private final BLAS blas;

    /** The product {@code gemm} through {@code kernels}, or through {@code blas} when {@code kernels} is null. */
    GemmCall(String gemm, Kernels kernels, BLAS blas) {
        String[] parts = gemm.split(":");
        if (parts.length != 2 || parts[0].length() != 2 || parts[1].split("x").length != 3) {
            throw new IllegalArgumentException("gemm must look like NT:128x784x256: '" + gemm + "'");
        }
        transA = parts[0].charAt(0) == 'T' ? Transpose.YES : Transpose.NO;
        transB = parts[0].charAt(1) == 'T' ? Transpose.YES : Transpose.NO;
        String[] dims = parts[1].split("x");
        m = Integer.parseInt(dims[0]);
        n = Integer.parseInt(dims[1]);
        k = Integer.parseInt(dims[2]);
        lda = transA == Transpose.YES ? m : k;
        ldb = transB == Transpose.YES ? k : n;
        gflop = 2.0 * m * n * k / 1e9;
        SplittableRandom random = new SplittableRandom(42);
        a = KernelBenchmark.random(random, m * k, -1f, 1f);
        b = KernelBenchmark.random(random, k * n, -1f, 1f);
        c = new float[m * n];
        this.kernels = kernels;
        this.blas = kernels == null ? blas : null;
        if (kernels == null && blas == null) {
            throw new IllegalArgumentException("kernels or blas must be given");
        }
    }

    /** Makes the product; returns C. */
    float[] run() {
        if (blas != null) {
            // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands.
            blas.sgemm(transB == Transpose.YES ? "T" : "N", transA == Transpose.YES ? "T" : "N",
                    n, m, k, 1f, b, 0, ldb, a, 0, lda, 0f, c, 0, n);
        } else {
            kernels.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        }
        return c;
    }
}
