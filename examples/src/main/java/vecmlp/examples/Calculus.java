package vecmlp.examples;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import vecmlp.check.GradientDescent;
import vecmlp.check.Numerical;

/**
 * The {@code calculus} command: the worked examples A, B and C of {@code shared/MATH.md}, computed by
 * vecmlp's {@code vecmlp.check} (central differences in float64, the plain gradient-descent loop) and
 * printed beside the values MATH.md derives by hand.
 */
final class Calculus {

    /** Everything the command computed, for the test. */
    static final class Values {
        double[] gradientA;
        double normA;
        double linearA;
        double actualA;
        List<GradientDescent.Step> descentB;
        double[][] jacobianC;
    }

    private Calculus() {
    }

    static Values run(PrintStream out) {
        Values v = new Values();
        double h = Numerical.DEFAULT_STEP;

        // A: f(x, y) = x² + 4y² at (1, 1), moved by Δ = (0.01, 0.005).
        ToDoubleFunction<double[]> fa = p -> p[0] * p[0] + 4 * p[1] * p[1];
        double[] a = {1, 1};
        double[] delta = {0.01, 0.005};
        v.gradientA = Numerical.gradient(fa, a, h);
        v.normA = Math.hypot(v.gradientA[0], v.gradientA[1]);
        v.linearA = v.gradientA[0] * delta[0] + v.gradientA[1] * delta[1];
        v.actualA = fa.applyAsDouble(new double[] {a[0] + delta[0], a[1] + delta[1]}) - fa.applyAsDouble(a);
        out.println("A. gradient and linear approximation: f(x, y) = x^2 + 4y^2 at (1, 1)");
        out.printf(Locale.ROOT, "   grad f(1, 1)      = (%s, %s)     by central differences, h = %s (by hand: (2, 8))%n",
                num(v.gradientA[0]), num(v.gradientA[1]), num(h));
        out.printf(Locale.ROOT, "   |grad f|          = %s  (sqrt 68 = %.6f)%n", num6(v.normA), Math.sqrt(68));
        out.printf(Locale.ROOT, "   moving by (0.01, 0.005): linear prediction grad f . delta = %s, actual change "
                + "f(1.01, 1.005) - f(1, 1) = %s%n%n", num(v.linearA), num(v.actualA));

        // B: minimise f(x, y) = (x − 3)² + 2(y + 1)² from (0, 0) with η = 0.1.
        ToDoubleFunction<double[]> fb = p -> (p[0] - 3) * (p[0] - 3) + 2 * (p[1] + 1) * (p[1] + 1);
        Function<double[], double[]> gb = p -> Numerical.gradient(fb, p, h);
        v.descentB = GradientDescent.minimize(fb, gb, new double[] {0, 0}, 0.1, 2);
        out.println("B. gradient descent: f(x, y) = (x - 3)^2 + 2(y + 1)^2 from (0, 0), learning rate 0.1");
        out.println("   (gradients by central differences; by hand: 11 -> 6.48 -> 3.9456)");
        out.println("   step | point          | f       | gradient");
        out.println("   -----+----------------+---------+-------------");
        for (GradientDescent.Step s : v.descentB) {
            double[] p = s.point();
            double[] g = s.gradient();
            out.printf(Locale.ROOT, "   %4d | %-14s | %-7s | %s%n", s.step(), "(" + num(p[0]) + ", " + num(p[1]) + ")",
                    num(s.value()), s.step() < v.descentB.size() - 1 ? "(" + num(g[0]) + ", " + num(g[1]) + ")" : "");
        }
        out.println();

        // C: the Jacobian of f(x, y) = (x² + y, 2x + 3y) at (1, 2).
        Function<double[], double[]> fc = p -> new double[] {p[0] * p[0] + p[1], 2 * p[0] + 3 * p[1]};
        v.jacobianC = Numerical.jacobian(fc, new double[] {1, 2}, h);
        out.println("C. a Jacobian: f(x, y) = (x^2 + y, 2x + 3y) at (1, 2)  (by hand: [[2x, 1], [2, 3]] = [[2, 1], [2, 3]])");
        out.printf(Locale.ROOT, "   J = [[%s, %s],%n        [%s, %s]]%n", num(v.jacobianC[0][0]), num(v.jacobianC[0][1]),
                num(v.jacobianC[1][0]), num(v.jacobianC[1][1]));
        out.flush();
        return v;
    }

    /** A float64 result rounded to 9 significant digits, trailing zeros dropped (central differences are exact to ~1e-10 here). */
    static String num(double x) {
        if (Math.abs(x) < 1e-9) {
            return "0";
        }
        return new BigDecimal(x).round(new MathContext(9)).stripTrailingZeros().toPlainString();
    }

    private static String num6(double x) {
        return String.format(Locale.ROOT, "%.6f", x);
    }
}
