package vecmlp.kernel;

/**
 * Float64 forms of the special functions vecmlp's activations use and {@link Math} lacks, accurate to about
 * 10⁻¹¹ relative: the references the scalar kernels and {@code vecmlp.check}'s float64 network compute with,
 * against which the float kernels are tested.
 */
public final class ReferenceMath {

    private static final double SQRT_PI = Math.sqrt(Math.PI);

    private ReferenceMath() {
    }

    /**
     * The complementary error function {@code erfc(x) = 1 − erf(x)}: the Maclaurin series of erf for
     * {@code |x| ≤ 2.5} (terms up to about 20 against a sum near 1), the continued fraction of erfc
     * (Lentz's method) above, {@code erfc(−x) = 2 − erfc(x)}, 0 above 27 (below the smallest double).
     */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 0) {
            return 2 - erfc(-x);
        }
        if (x <= 2.5) {
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double t = term / (2 * n + 1);
                sum += t;
                if (Math.abs(t) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return 1 - 2 / SQRT_PI * sum;
        }
        if (x > 27) {
            return 0;
        }
        // erfc(x) = e^(−x²)/√π / (x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = 1 / (d == 0 ? tiny : d);
            c = x + an / c;
            c = c == 0 ? tiny : c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / SQRT_PI / f;
    }

    /** The standard normal distribution function {@code Φ(x) = erfc(−x/√2)/2}. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /** GELU, {@code x·Φ(x)} (PyTorch's {@code GELU()}, the erf form). */
    public static double gelu(double x) {
        return x * normalCdf(x);
    }

    /** GELU's derivative {@code Φ(x) + x·φ(x)}, {@code φ(x) = e^(−x²/2)/√(2π)}. */
    public static double geluGrad(double x) {
        return normalCdf(x) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }
}
