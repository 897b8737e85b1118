package vecmlp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MATH.md's worked examples A, B and C, reproduced with the numerical tools. Central differences of these
 * quadratics are exact up to rounding ({@code f''' = 0}), so the bounds are a few ε₆₄/h, not O(h²).
 */
class WorkedExamplesTest {

    private static final double H = 1e-5;
    /** Central-difference rounding: about ε₆₄·|f|/h ≈ 1e-16·10/1e-5 = 1e-10; asserted with margin. */
    private static final double FD = 1e-8;

    @Test
    void exampleA_gradientAndLinearApproximation() {
        double[] g = Numerical.gradient(p -> p[0] * p[0] + 4 * p[1] * p[1], new double[] {1, 1}, H);
        assertEquals(2.0, g[0], FD);
        assertEquals(8.0, g[1], FD);
        double norm = Math.hypot(g[0], g[1]);
        assertEquals(Math.sqrt(68), norm, FD);
        assertEquals(8.246211, norm, 5e-7);
        double predicted = g[0] * 0.01 + g[1] * 0.005;
        assertEquals(0.06, predicted, FD * 0.01);
        double actual = (1.01 * 1.01 + 4 * 1.005 * 1.005) - 5.0;
        assertEquals(0.0602, actual, 1e-12);
        assertEquals(5.0602, 1.01 * 1.01 + 4 * 1.005 * 1.005, 1e-12);
    }

    @Test
    void exampleB_gradientDescentTable() {
        List<GradientDescent.Step> path = GradientDescent.minimize(
                p -> (p[0] - 3) * (p[0] - 3) + 2 * (p[1] + 1) * (p[1] + 1),
                p -> new double[] {2 * (p[0] - 3), 4 * (p[1] + 1)},
                new double[] {0, 0}, 0.1, 2);
        assertEquals(3, path.size());
        double[][] points = {{0, 0}, {0.6, -0.4}, {1.08, -0.64}};
        double[] values = {11, 6.48, 3.9456};
        for (int s = 0; s < 3; s++) {
            assertEquals(s, path.get(s).step());
            assertEquals(points[s][0], path.get(s).point()[0], 1e-12);
            assertEquals(points[s][1], path.get(s).point()[1], 1e-12);
            assertEquals(values[s], path.get(s).value(), 1e-12);
        }
        assertEquals(-6, path.get(0).gradient()[0], 1e-12);
        assertEquals(4, path.get(0).gradient()[1], 1e-12);
        assertEquals(-4.8, path.get(1).gradient()[0], 1e-12);
        assertEquals(2.4, path.get(1).gradient()[1], 1e-12);
        // The analytic gradient the loop used agrees with the numerical one at every visited point.
        for (GradientDescent.Step s : path) {
            double[] num = Numerical.gradient(p -> (p[0] - 3) * (p[0] - 3) + 2 * (p[1] + 1) * (p[1] + 1), s.point(), H);
            assertEquals(s.gradient()[0], num[0], FD);
            assertEquals(s.gradient()[1], num[1], FD);
        }
    }

    @Test
    void exampleC_jacobian() {
        double[][] j = Numerical.jacobian(p -> new double[] {p[0] * p[0] + p[1], 2 * p[0] + 3 * p[1]},
                new double[] {1, 2}, H);
        double[][] expected = {{2, 1}, {2, 3}};
        assertEquals(2, j.length);
        for (int r = 0; r < 2; r++) {
            assertEquals(2, j[r].length);
            for (int c = 0; c < 2; c++) {
                assertEquals(expected[r][c], j[r][c], FD, "J[" + r + "][" + c + "]");
            }
        }
    }

    @Test
    void centralDifferenceErrorShrinksAsHSquared() {
        // f = sin: f''' ≠ 0, so the truncation error is h²/6·|cos x| and shrinks 100× when h shrinks 10×.
        double x = 0.7;
        double e1 = Math.abs(Numerical.gradient(p -> Math.sin(p[0]), new double[] {x}, 1e-2)[0] - Math.cos(x));
        double e2 = Math.abs(Numerical.gradient(p -> Math.sin(p[0]), new double[] {x}, 1e-3)[0] - Math.cos(x));
        assertEquals(1e-4 / 6 * Math.cos(x), e1, 1e-7);
        assertEquals(100.0, e1 / e2, 1.0);
    }
}
