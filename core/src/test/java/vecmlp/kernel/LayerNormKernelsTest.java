package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static vecmlp.kernel.KernelTestSupport.U;
import static vecmlp.kernel.KernelTestSupport.assertClose;
import static vecmlp.kernel.KernelTestSupport.assertSameBits;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.KernelTestSupport.Mat;

/**
 * The layer-normalization kernels: the SIMD kernels (one and three threads) and their twin give the same bits;
 * scalar and SIMD are within a derived bound of float64, over widths that hit every tail (1 to 1000), 1 to 9
 * rows, offsets, leading dimensions larger than a row and NaN poison around every output.
 *
 * <p>Bound: the row sums are within {@code γ_n Σ|terms|} of exact, so the mean within {@code γ_n mean|z| + u|μ|};
 * that error shifts every centred value, and the variance (a sum of squares) within {@code (γ_n + 3u)} of its
 * terms' magnitude plus {@code 2|z − μ|·e_μ}; {@code rstd} then within half that relatively (plus {@code u}); x̂
 * is a difference and a product ({@code 2u} and the errors of {@code μ} and {@code rstd}). The test uses rows of
 * mean ~1 and spread ~2, so these stay near {@code 10⁻⁶} relative for {@code n} up to 1000.
 */
class LayerNormKernelsTest {

    private static final Kernels SCALAR = Kernels.scalar();
    private static final Kernels[] SIMD = {Kernels.simd().withThreads(1), Kernels.simd().withThreads(3),
        new TwinKernels(SimdKernels.SPECIES.length(), GemmShape.L)};
    private static final int[] WIDTHS = {1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 257, 1000};

    @Test
    void forwardAndBackwardMatchFloat64AndTheTwin() {
        Random rnd = new Random(53);
        for (int n : WIDTHS) {
            for (int m : new int[] {1, 2, 9}) {
                Mat z = Mat.poisoned(m, n).fillUniform(rnd, -1f, 3f);
                Mat gam = KernelTestSupport.vector(rnd, n);
                Mat bet = KernelTestSupport.vector(rnd, n);
                Mat g = Mat.poisoned(m, n).fillUniform(rnd, -1f, 1f);
                Kernels[] all = {SCALAR, SIMD[0], SIMD[1], SIMD[2]};
                Mat[] xh = new Mat[4];
                Mat[] y = new Mat[4];
                Mat[] rs = new Mat[4];
                Mat[] gz = new Mat[4];
                Mat[] dg = new Mat[4];
                Mat[] db = new Mat[4];
                for (int k = 0; k < 4; k++) {
                    xh[k] = new Mat(m, n, 2, n + 3, 4);
                    y[k] = k % 2 == 0 ? z.copy() : new Mat(m, n, 1, n + 1, 2);
                    rs[k] = new Mat(1, m, 3, m, 3);
                    all[k].layerNorm(m, n, 1e-5f, k % 2 == 0 ? y[k].a : z.a, z.off, z.ld, gam.a, gam.off, bet.a,
                            bet.off, xh[k].a, xh[k].off, xh[k].ld, rs[k].a, rs[k].off, y[k].a, y[k].off, y[k].ld);
                    xh[k].assertPoisonIntact("xhat");
                    y[k].assertPoisonIntact("y");
                    rs[k].assertPoisonIntact("rstd");
                    gz[k] = g.copy();
                    dg[k] = KernelTestSupport.vector(rnd, n);
                    db[k] = KernelTestSupport.vector(rnd, n);
                    all[k].layerNormBackward(m, n, xh[k].a, xh[k].off, xh[k].ld, gam.a, gam.off, rs[k].a, rs[k].off,
                            gz[k].a, gz[k].off, gz[k].ld, dg[k].a, dg[k].off, db[k].a, db[k].off);
                    gz[k].assertPoisonIntact("dz");
                    dg[k].assertPoisonIntact("dGamma");
                    db[k].assertPoisonIntact("dBeta");
                }
                for (int k = 0; k < 2; k++) { // scalar and SIMD against float64
                    Kernels kk = all[k];
                    for (int i = 0; i < m; i++) {
                        double mean = 0;
                        for (int j = 0; j < n; j++) {
                            mean += z.get(i, j);
                        }
                        mean /= n;
                        double var = 0;
                        for (int j = 0; j < n; j++) {
                            var += (z.get(i, j) - mean) * (z.get(i, j) - mean);
                        }
                        double r = 1 / Math.sqrt(var / n + 1e-5);
                        double tol = (KernelTestSupport.gamma(n) * 8 + 8 * U) * Math.max(1, r);
                        assertClose(r, rs[k].get(0, i), tol * r, kk + " rstd row " + i + " n=" + n);
                        double sg = 0;
                        double sgx = 0;
                        double absG = 0;
                        double absGx = 0;
                        double maxXErr = 0;
                        double[] gp = new double[n];
                        double[] x = new double[n];
                        double[] xErr = new double[n];
                        for (int j = 0; j < n; j++) {
                            x[j] = (z.get(i, j) - mean) * r;
                            xErr[j] = tol * (Math.abs(x[j]) + r * 4);
                            maxXErr = Math.max(maxXErr, xErr[j]);
                            assertClose(x[j], xh[k].get(i, j), xErr[j], kk + " xhat");
                            double yy = x[j] * gam.get(0, j) + bet.get(0, j);
                            assertClose(yy, y[k].get(i, j), xErr[j] * Math.abs(gam.get(0, j)) + 2 * U * (Math.abs(yy)
                                    + Math.abs(x[j] * gam.get(0, j))), kk + " y");
                            gp[j] = g.get(i, j) * (double) gam.get(0, j);
                            sg += gp[j];
                            sgx += gp[j] * x[j];
                            absG += Math.abs(gp[j]);
                            absGx += Math.abs(gp[j] * x[j]);
                        }
                        double gn = KernelTestSupport.gamma(n + 2);
                        for (int j = 0; j < n; j++) {
                            double dz = r / n * (n * gp[j] - sg - x[j] * sgx);
                            // the sums' rounding (γ_n) and their inputs' (g' one rounding, x̂ its bound), the
                            // three roundings of the bracket and two of the scaling, and rstd's relative error
                            double err = gn * absG + Math.abs(x[j]) * (gn * absGx + absG * maxXErr)
                                    + Math.abs(sgx) * xErr[j] + 4 * U * (n * Math.abs(gp[j]) + Math.abs(sg)
                                    + Math.abs(x[j] * sgx));
                            assertClose(dz, gz[k].get(i, j), r / n * err + Math.abs(dz) * (tol + 3 * U),
                                    kk + " dz " + i + "," + j + " n=" + n);
                        }
                    }
                }
                for (int k = 2; k < 4; k++) { // SIMD on three threads and the twin: SIMD's bits
                    String w = all[k].description() + " m=" + m + " n=" + n;
                    for (int i = 0; i < m; i++) {
                        assertSameBits(rs[1].get(0, i), rs[k].get(0, i), w + " rstd");
                        for (int j = 0; j < n; j++) {
                            assertSameBits(xh[1].get(i, j), xh[k].get(i, j), w + " xhat");
                            assertSameBits(y[1].get(i, j), y[k].get(i, j), w + " y");
                            assertSameBits(gz[1].get(i, j), gz[k].get(i, j), w + " dz");
                        }
                    }
                    for (int j = 0; j < n; j++) {
                        assertSameBits(dg[1].get(0, j), dg[k].get(0, j), w + " dGamma");
                        assertSameBits(db[1].get(0, j), db[k].get(0, j), w + " dBeta");
                    }
                }
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        float[] a = new float[20];
        for (Kernels k : new Kernels[] {SCALAR, SIMD[0], SIMD[2]}) {
            assertThrows(IllegalArgumentException.class,
                    () -> k.layerNorm(2, 0, 1e-5f, a, 0, 1, a, 0, a, 0, a, 0, 1, a, 0, a, 0, 1));
            assertThrows(IllegalArgumentException.class,
                    () -> k.layerNorm(2, 3, 0f, a, 0, 3, a, 0, a, 0, a, 0, 3, a, 0, a, 0, 3));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> k.layerNorm(2, 3, 1e-5f, a, 0, 3, a, 0, a, 0, a, 0, 3, a, 19, a, 0, 3));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> k.layerNormBackward(2, 3, a, 0, 3, a, 0, a, 0, a, 16, 3, a, 0, a, 0));
        }
    }
}
