package vecmlp.kernel;

import static vecmlp.kernel.KernelTestSupport.SIZES;
import static vecmlp.kernel.KernelTestSupport.assertClose;
import static vecmlp.kernel.KernelTestSupport.gemmReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecmlp.kernel.KernelTestSupport.Mat;

/**
 * {@code sgemm} and {@code sgemmBiasActivation} of both implementations against float64 over all four
 * transpose cases, every size of {@link KernelTestSupport#SIZES} in each of m, n and k, alpha/beta
 * variations (beta = 0 with NaN in C, alpha = 0 with NaN in A and B), non-zero offsets, leading
 * dimensions larger than a row, and NaN poison around every region. The blocked paths of the fast GEMM
 * have their own tests across block boundaries ({@code Gemm*Test}).
 */
class SgemmKernelTest {

    static Stream<Arguments> cases() {
        List<int[]> shapes = new ArrayList<>();
        for (int s : SIZES) {
            shapes.add(new int[] {s, 17, 33});
            shapes.add(new int[] {9, s, 31});
            shapes.add(new int[] {7, 15, s});
            shapes.add(new int[] {3, s, 31}); // the few-row path: sums in registers, then the last columns
        }
        shapes.add(new int[] {65, 129, 127});
        shapes.add(new int[] {128, 64, 257});
        List<Arguments> list = new ArrayList<>();
        for (Kernels k : List.of(Kernels.scalar(), Kernels.simd())) {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    for (int[] s : shapes) {
                        list.add(Arguments.of(k, ta, tb, s[0], s[1], s[2]));
                    }
                }
            }
        }
        return list.stream();
    }

    private static final float[][] ALPHA_BETA = {{1f, 0f}, {-0.5f, 0.75f}, {2f, 1f}, {0f, 2f}, {0f, 0f}};

    @ParameterizedTest(name = "{0} {1}{2} m={3} n={4} k={5}")
    @MethodSource("cases")
    void sgemmMatchesFloat64(Kernels kernels, Transpose ta, Transpose tb, int m, int n, int k) {
        Random rnd = new Random(31L * m + 7L * n + k);
        boolean tA = ta == Transpose.YES;
        boolean tB = tb == Transpose.YES;
        for (float[] ab : ALPHA_BETA) {
            float alpha = ab[0];
            float beta = ab[1];
            Mat a = Mat.poisoned(tA ? k : m, tA ? m : k);
            Mat b = Mat.poisoned(tB ? n : k, tB ? k : n);
            if (alpha != 0f) { // with alpha = 0, A and B are NaN throughout: BLAS does not read them
                a.fillUniform(rnd, -1f, 1f);
                b.fillUniform(rnd, -1f, 1f);
            }
            Mat c = Mat.poisoned(m, n);
            if (beta != 0f) { // with beta = 0, C is NaN: BLAS does not read it
                c.fillUniform(rnd, -1f, 1f);
            }
            Mat c0 = c.copy();
            kernels.sgemm(ta, tb, m, n, k, alpha, a.a, a.off, a.ld, b.a, b.off, b.ld, beta, c.a, c.off, c.ld);
            c.assertPoisonIntact("C");
            double[][] bound = new double[m][n];
            Mat aRef = alpha == 0f ? a.copy().fill(0f) : a;
            Mat bRef = alpha == 0f ? b.copy().fill(0f) : b;
            double[][] ref = gemmReference(ta, tb, m, n, k, alpha, aRef, bRef, beta, c0, bound);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    assertClose(ref[i][j], c.get(i, j), bound[i][j],
                            kernels + " " + ta + tb + " alpha=" + alpha + " beta=" + beta + " C(" + i + "," + j + ")");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}{2} m={3} n={4} k={5}")
    @MethodSource("cases")
    void fusedBiasActivationEqualsSeparatePasses(Kernels kernels, Transpose ta, Transpose tb, int m, int n, int k) {
        if ((m + n + k) % 3 != 0) {
            return; // a third of the shapes suffice here; the GEMM tests cover the epilogue in depth
        }
        Random rnd = new Random(17L * m + 5L * n + k);
        boolean tA = ta == Transpose.YES;
        boolean tB = tb == Transpose.YES;
        Mat a = Mat.poisoned(tA ? k : m, tA ? m : k).fillUniform(rnd, -1f, 1f);
        Mat b = Mat.poisoned(tB ? n : k, tB ? k : n).fillUniform(rnd, -1f, 1f);
        Mat bias = KernelTestSupport.vector(rnd, n);
        for (Activation act : new Activation[] {Activation.IDENTITY, Activation.RELU, Activation.TANH, Activation.SOFTMAX}) {
            Mat fused = Mat.poisoned(m, n);
            kernels.sgemmBiasActivation(ta, tb, m, n, k, a.a, a.off, a.ld, b.a, b.off, b.ld, bias.a, bias.off, act,
                    fused.a, fused.off, fused.ld);
            fused.assertPoisonIntact("fused C");
            Mat z = Mat.poisoned(m, n);
            double[][] bound = new double[m][n];
            double[][] ref = gemmReference(ta, tb, m, n, k, 1f, a, b, 0f, z, bound);
            for (int i = 0; i < m; i++) {
                double max = Double.NEGATIVE_INFINITY;
                double[] row = new double[n];
                double rowBound = 0;
                double min = Double.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    row[j] = ref[i][j] + bias.get(0, j);
                    max = Math.max(max, row[j]);
                    min = Math.min(min, row[j]);
                    rowBound = Math.max(rowBound, bound[i][j] + KernelTestSupport.U * Math.abs(row[j]));
                }
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += Math.exp(row[j] - max);
                }
                for (int j = 0; j < n; j++) {
                    double zb = bound[i][j] + KernelTestSupport.U * Math.abs(row[j]); // + the bias add
                    double expected;
                    double tol;
                    switch (act.kind()) {
                        case IDENTITY: expected = row[j]; tol = zb; break;
                        case RELU: expected = Math.max(0, row[j]); tol = zb; break;
                        case TANH: // |tanh'| ≤ 1 carries the error of z through; tanh itself adds 4u
                            expected = Math.tanh(row[j]); tol = zb + 4 * KernelTestSupport.U * Math.abs(expected) + Float.MIN_NORMAL; break;
                        default: // softmax: an error e in each z moves every output by at most 2e relative
                            expected = Math.exp(row[j] - max) / sum;
                            tol = expected * (2 * rowBound + (6 + 2 * (max - min) + n) * KernelTestSupport.U) + Float.MIN_NORMAL;
                    }
                    assertClose(expected, fused.get(i, j), tol, kernels + " fused " + act + " C(" + i + "," + j + ")");
                }
            }
        }
    }
}
