package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static vecmlp.kernel.KernelTestSupport.SIZES;
import static vecmlp.kernel.KernelTestSupport.U;
import static vecmlp.kernel.KernelTestSupport.assertClose;
import static vecmlp.kernel.KernelTestSupport.assertSameBits;
import static vecmlp.kernel.KernelTestSupport.gamma;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.KernelTestSupport.Mat;

/**
 * The batch-normalization kernels: scalar, SIMD (one and three threads) and the twin give the same bits (each
 * column's sums in row order, no fused multiply-add), and the scalar reference is within its rounding of a
 * float64 evaluation, over every tail of the column count, 1 to 130 rows, offsets, leading dimensions larger than a
 * row and NaN poison around every output.
 *
 * <p>Bounds: a sum of {@code m} terms is within {@code γ_m Σ|terms|}; the mean adds a rounding ({@code u}); the
 * variance's terms {@code (z − μ̂)²} carry the mean's error {@code e} as {@code 2|z − μ||e| + e²} each, plus
 * {@code 3u} relative (difference, square, sum) and the final division; x̂ and y are a few roundings of their
 * inputs, so within {@code 4u} of the float64 result of the same float inputs plus the propagated {@code u|x̂||γ|}.
 */
class BatchNormKernelsTest {

    private static final Kernels[] ALL = {Kernels.scalar(), Kernels.simd().withThreads(1),
        Kernels.simd().withThreads(3), new TwinKernels(SimdKernels.SPECIES.length(), GemmShape.L)};
    private static final int[] ROWS = {1, 2, 3, 17, 130};

    @Test
    void statisticsMatchFloat64AndEveryImplementation() {
        Random rnd = new Random(31);
        for (int n : SIZES) {
            for (int m : ROWS) {
                Mat z = Mat.poisoned(m, n).fillUniform(rnd, -3f, 5f);
                Mat[] means = new Mat[ALL.length];
                Mat[] vars = new Mat[ALL.length];
                for (int k = 0; k < ALL.length; k++) {
                    means[k] = KernelTestSupport.vector(rnd, n);
                    vars[k] = KernelTestSupport.vector(rnd, n);
                    ALL[k].columnMeanAndVariance(m, n, z.a, z.off, z.ld, means[k].a, means[k].off, vars[k].a,
                            vars[k].off);
                    means[k].assertPoisonIntact("mean");
                    vars[k].assertPoisonIntact("var");
                }
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double abs = 0;
                    for (int i = 0; i < m; i++) {
                        sum += z.get(i, j);
                        abs += Math.abs(z.get(i, j));
                    }
                    double mu = sum / m;
                    float muHat = means[0].get(0, j);
                    double muErr = gamma(m) * abs / m + U * Math.abs(mu);
                    assertClose(mu, muHat, muErr, "mean m=" + m + " n=" + n + " j=" + j);
                    double var = 0;
                    double bound = 0;
                    for (int i = 0; i < m; i++) {
                        double d = z.get(i, j) - mu;
                        var += d * d;
                        bound += 2 * Math.abs(d) * muErr + muErr * muErr + 3 * U * (Math.abs(d) + muErr) * (Math.abs(d) + muErr);
                    }
                    double varErr = (bound + gamma(m) * var) / m + U * var / m;
                    assertClose(var / m, vars[0].get(0, j), varErr + Float.MIN_NORMAL, "var m=" + m + " n=" + n + " j=" + j);
                    for (int k = 1; k < ALL.length; k++) {
                        assertSameBits(means[0].get(0, j), means[k].get(0, j), ALL[k].description() + " mean");
                        assertSameBits(vars[0].get(0, j), vars[k].get(0, j), ALL[k].description() + " var");
                    }
                }
            }
        }
    }

    @Test
    void normalizationAndItsBackwardMatchFloat64AndEveryImplementation() {
        Random rnd = new Random(37);
        for (int n : SIZES) {
            for (int m : ROWS) {
                Mat z = Mat.poisoned(m, n).fillUniform(rnd, -3f, 5f);
                Mat mean = KernelTestSupport.vector(rnd, n);
                Mat rstd = new Mat(1, n, 2, Math.max(1, n), 3).fillUniform(rnd, 0.2f, 3f);
                Mat gam = KernelTestSupport.vector(rnd, n);
                Mat bet = KernelTestSupport.vector(rnd, n);
                Mat g = Mat.poisoned(m, n).fillUniform(rnd, -1f, 1f);
                Mat[] xh = new Mat[ALL.length];
                Mat[] y = new Mat[ALL.length];
                Mat[] gz = new Mat[ALL.length];
                Mat[] dg = new Mat[ALL.length];
                Mat[] db = new Mat[ALL.length];
                for (int k = 0; k < ALL.length; k++) {
                    xh[k] = new Mat(m, n, 4, n + 2, 5);
                    y[k] = k % 2 == 0 ? z.copy() : new Mat(m, n, 1, n + 7, 2); // in place, and not
                    ALL[k].normalizeColumns(m, n, k % 2 == 0 ? y[k].a : z.a, z.off, z.ld, mean.a, mean.off, rstd.a,
                            rstd.off, gam.a, gam.off, bet.a, bet.off, xh[k].a, xh[k].off, xh[k].ld, y[k].a, y[k].off,
                            y[k].ld);
                    xh[k].assertPoisonIntact("xhat");
                    y[k].assertPoisonIntact("y");
                    gz[k] = g.copy();
                    dg[k] = KernelTestSupport.vector(rnd, n);
                    db[k] = KernelTestSupport.vector(rnd, n);
                    ALL[k].normalizeColumnsBackward(m, n, xh[k].a, xh[k].off, xh[k].ld, gam.a, gam.off, rstd.a,
                            rstd.off, gz[k].a, gz[k].off, gz[k].ld, dg[k].a, dg[k].off, db[k].a, db[k].off);
                    gz[k].assertPoisonIntact("dz");
                    dg[k].assertPoisonIntact("dGamma");
                    db[k].assertPoisonIntact("dBeta");
                }
                for (int j = 0; j < n; j++) {
                    double sg = 0;
                    double sgx = 0;
                    double absG = 0;
                    double absGx = 0;
                    for (int i = 0; i < m; i++) {
                        double x = ((double) z.get(i, j) - mean.get(0, j)) * rstd.get(0, j);
                        double xf = xh[0].get(i, j);
                        assertClose(x, (float) xf, 2.0000001 * U * Math.abs(x) + 2 * U * Math.abs(z.get(i, j) * rstd.get(0, j)),
                                "xhat " + i + "," + j);
                        double yy = xf * gam.get(0, j) + bet.get(0, j);
                        assertClose(yy, y[0].get(i, j), 2 * U * (Math.abs(xf * gam.get(0, j)) + Math.abs(yy)), "y");
                        sg += g.get(i, j);
                        sgx += g.get(i, j) * xf;
                        absG += Math.abs(g.get(i, j));
                        absGx += Math.abs(g.get(i, j) * xf);
                    }
                    assertClose(sg, db[0].get(0, j), gamma(m) * absG, "dBeta");
                    assertClose(sgx, dg[0].get(0, j), gamma(m + 1) * absGx, "dGamma");
                    double c = (double) gam.get(0, j) * rstd.get(0, j) / m;
                    for (int i = 0; i < m; i++) {
                        double xf = xh[0].get(i, j);
                        double dbf = db[0].get(0, j);
                        double dgf = dg[0].get(0, j);
                        double inner = (double) m * g.get(i, j) - dbf - xf * dgf;
                        double size = Math.abs((double) m * g.get(i, j)) + Math.abs(dbf) + Math.abs(xf * dgf);
                        assertClose(c * inner, gz[0].get(i, j), Math.abs(c) * (4 * U * size + 3 * U * Math.abs(inner))
                                + Float.MIN_NORMAL, "dz " + i + "," + j);
                    }
                    for (int k = 1; k < ALL.length; k++) {
                        String w = ALL[k].description() + " m=" + m + " n=" + n + " j=" + j;
                        assertSameBits(db[0].get(0, j), db[k].get(0, j), w + " dBeta");
                        assertSameBits(dg[0].get(0, j), dg[k].get(0, j), w + " dGamma");
                        for (int i = 0; i < m; i++) {
                            assertSameBits(xh[0].get(i, j), xh[k].get(i, j), w + " xhat");
                            assertSameBits(y[0].get(i, j), y[k].get(i, j), w + " y");
                            assertSameBits(gz[0].get(i, j), gz[k].get(i, j), w + " dz");
                        }
                    }
                }
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        float[] a = new float[10];
        for (Kernels k : ALL) {
            assertThrows(IllegalArgumentException.class, () -> k.columnMeanAndVariance(0, 2, a, 0, 2, a, 0, a, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> k.columnMeanAndVariance(2, 4, a, 0, 4, a, 0, a, 8));
            assertThrows(IllegalArgumentException.class,
                    () -> k.normalizeColumnsBackward(0, 2, a, 0, 2, a, 0, a, 0, a, 0, 2, a, 0, a, 0));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> k.normalizeColumns(2, 3, a, 0, 3, a, 0, a, 0, a, 8, a, 0, null, 0, 0, a, 0, 3));
        }
    }
}
