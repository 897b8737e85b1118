package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/**
 * Shared test machinery for the kernels: matrices embedded in NaN-poisoned arrays at non-zero offsets
 * with leading dimensions larger than a row, float64 references, and error bounds derived from the
 * arithmetic.
 *
 * <p>Bounds: with unit roundoff {@code u = 2⁻²⁴}, a float sum of {@code k} products, in any order and with
 * or without fused multiply-adds, differs from the exact value by at most
 * {@code γ_k · Σ|a_i b_i|} with {@code γ_k = k·u / (1 − k·u)} (Higham, Accuracy and Stability of Numerical
 * Algorithms, §3.1). The references are computed in double from the same float inputs, so their own error
 * (about {@code 2⁻⁵³} relative) is negligible against these bounds.
 */
final class KernelTestSupport {

    /** Unit roundoff of float: half an ulp of 1. */
    static final double U = 0x1p-24;

    /** Lengths that hit every tail of 4-, 8- and 16-lane loops (and their unrolled multiples). */
    static final int[] SIZES = {0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 257, 1000};

    private KernelTestSupport() {
    }

    /** {@code γ_k = k·u / (1 − k·u)}. */
    static double gamma(int k) {
        return k * U / (1 - k * U);
    }

    /**
     * A {@code rows × cols} matrix at offset {@code off} with leading dimension {@code ld} inside an array
     * whose every other element (before, between rows, after) is NaN.
     */
    static final class Mat {
        final float[] a;
        final int off;
        final int ld;
        final int rows;
        final int cols;

        Mat(int rows, int cols, int off, int ld, int tail) {
            this.rows = rows;
            this.cols = cols;
            this.off = off;
            this.ld = ld;
            int len = off + (rows == 0 ? 0 : (rows - 1) * ld + cols) + tail;
            this.a = new float[Math.max(len, off + tail)];
            java.util.Arrays.fill(a, Float.NaN);
        }

        /** A poisoned matrix with extra offset 3, leading dimension {@code cols + 5} and 7 NaN after it. */
        static Mat poisoned(int rows, int cols) {
            return new Mat(rows, cols, 3, cols + 5, 7);
        }

        Mat fillUniform(Random rnd, float lo, float hi) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    set(i, j, lo + (hi - lo) * rnd.nextFloat());
                }
            }
            return this;
        }

        Mat fill(float value) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    set(i, j, value);
                }
            }
            return this;
        }

        float get(int i, int j) {
            return a[off + i * ld + j];
        }

        void set(int i, int j, float v) {
            a[off + i * ld + j] = v;
        }

        /** An independent copy: same geometry, same contents, poison included. */
        Mat copy() {
            return new Mat(this);
        }

        private Mat(Mat src) {
            this.rows = src.rows;
            this.cols = src.cols;
            this.off = src.off;
            this.ld = src.ld;
            this.a = src.a.clone();
        }

        boolean inside(int index) {
            int rel = index - off;
            if (rel < 0 || rows == 0 || cols == 0) {
                return false;
            }
            int i = rel / ld;
            int j = rel % ld;
            return i < rows && j < cols;
        }

        /** Fails unless every element outside the matrix is still NaN. */
        void assertPoisonIntact(String what) {
            for (int x = 0; x < a.length; x++) {
                if (!inside(x) && !Float.isNaN(a[x])) {
                    fail(what + ": element " + x + " outside the " + rows + "x" + cols + " region (offset " + off
                            + ", ld " + ld + ") was overwritten with " + a[x]);
                }
            }
        }
    }

    /** A vector of {@code n} values at offset 5 with NaN before and after. */
    static Mat vector(Random rnd, int n) {
        return new Mat(1, n, 5, Math.max(1, n), 6).fillUniform(rnd, -1f, 1f);
    }

    /** Asserts {@code |actual − expected| ≤ tol} with a message that names the element. */
    static void assertClose(double expected, float actual, double tol, String what) {
        if (!(Math.abs(actual - expected) <= tol)) {
            fail(what + ": expected " + expected + " ± " + tol + " but was " + actual
                    + " (error " + Math.abs(actual - expected) + ")");
        }
    }

    /** Asserts two floats are identical bit for bit (NaN equal to NaN). */
    static void assertSameBits(float expected, float actual, String what) {
        assertTrue(Float.floatToIntBits(expected) == Float.floatToIntBits(actual),
                () -> what + ": expected " + expected + " but was " + actual);
    }

    /** Float64 reference of {@code alpha·op(A)·op(B) + beta·C} and the error bound of each element. */
    static double[][] gemmReference(Transpose ta, Transpose tb, int m, int n, int k, float alpha, Mat a, Mat b,
                                    float beta, Mat c, double[][] bound) {
        double[][] ref = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta == Transpose.YES ? a.get(p, i) : a.get(i, p);
                    double y = tb == Transpose.YES ? b.get(j, p) : b.get(p, j);
                    s += x * y;
                    abs += Math.abs(x * y);
                }
                double cij = beta == 0f ? 0 : beta * (double) c.get(i, j);
                ref[i][j] = alpha * s + cij;
                // k products summed (γ_k), then the scaling by alpha and the add of beta·C: two more roundings.
                bound[i][j] = gamma(k + 3) * (Math.abs(alpha) * abs + Math.abs(cij)) + Float.MIN_NORMAL;
            }
        }
        return ref;
    }
}
