package vecmlp.check;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Derivatives of plain functions by central differences in float64 (MATH.md, gradients and Jacobians):
 * column {@code j} is {@code (f(x + h e_j) − f(x − h e_j)) / 2h}, with error {@code O(h²)}. Stateless and
 * thread-safe (if {@code f} is).
 */
public final class Numerical {

    /** A step that balances truncation {@code O(h²)} against rounding {@code O(ε/h)} for smooth f of unit scale. */
    public static final double DEFAULT_STEP = 1e-5;

    private Numerical() {
    }

    /** The gradient {@code ∇f(x)} of {@code f: ℝⁿ → ℝ}. {@code x} is not changed. */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x, double h) {
        Objects.requireNonNull(f, "f");
        checkStep(h);
        double[] p = x.clone();
        double[] g = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            p[j] = x[j] + h;
            double plus = f.applyAsDouble(p);
            p[j] = x[j] - h;
            double minus = f.applyAsDouble(p);
            p[j] = x[j];
            g[j] = (plus - minus) / (2 * h);
        }
        return g;
    }

    /** The Jacobian {@code J_ij = ∂f_i/∂x_j} of {@code f: ℝⁿ → ℝᵐ} at {@code x}, as {@code m} rows of {@code n}. */
    public static double[][] jacobian(Function<double[], double[]> f, double[] x, double h) {
        Objects.requireNonNull(f, "f");
        checkStep(h);
        double[] p = x.clone();
        double[][] cols = new double[x.length][];
        int m = -1;
        for (int j = 0; j < x.length; j++) {
            p[j] = x[j] + h;
            double[] plus = f.apply(p).clone();
            p[j] = x[j] - h;
            double[] minus = f.apply(p);
            p[j] = x[j];
            if (m < 0) {
                m = plus.length;
            }
            if (plus.length != m || minus.length != m) {
                throw new IllegalArgumentException("f must return arrays of one length: " + m + ", " + plus.length
                        + ", " + minus.length);
            }
            cols[j] = new double[m];
            for (int i = 0; i < m; i++) {
                cols[j][i] = (plus[i] - minus[i]) / (2 * h);
            }
        }
        if (m < 0) {
            m = f.apply(p).length;
        }
        double[][] jac = new double[m][x.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < x.length; j++) {
                jac[i][j] = cols[j][i];
            }
        }
        return jac;
    }

    private static void checkStep(double h) {
        if (!(h > 0.0) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("h must be finite and > 0: " + h);
        }
    }
}
