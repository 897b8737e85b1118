package vecmlp.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The minimal gradient-descent loop of MATH.md, {@code x ← x − η·∇f(x)}, in float64, recording every point,
 * value and gradient: the reference the optimizers' behaviour is explained by. Stateless and thread-safe.
 */
public final class GradientDescent {

    private GradientDescent() {
    }

    /** One visited point: the step number, the point, {@code f} there and {@code ∇f} there. */
    public static final class Step {
        private final int step;
        private final double[] point;
        private final double value;
        private final double[] gradient;

        Step(int step, double[] point, double value, double[] gradient) {
            this.step = step;
            this.point = point;
            this.value = value;
            this.gradient = gradient;
        }

        /** 0 for the start. */
        public int step() {
            return step;
        }

        /** The point (a copy). */
        public double[] point() {
            return point.clone();
        }

        /** {@code f(point)}. */
        public double value() {
            return value;
        }

        /** {@code ∇f(point)} (a copy). */
        public double[] gradient() {
            return gradient.clone();
        }
    }

    /**
     * Runs {@code steps} updates from {@code x0} with learning rate {@code lr}; returns the {@code steps + 1}
     * visited points, the start first.
     */
    public static List<Step> minimize(ToDoubleFunction<double[]> f, Function<double[], double[]> gradient,
                                      double[] x0, double lr, int steps) {
        Objects.requireNonNull(f, "f");
        Objects.requireNonNull(gradient, "gradient");
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0: " + steps);
        }
        if (!(lr > 0.0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lr must be finite and > 0: " + lr);
        }
        List<Step> path = new ArrayList<>(steps + 1);
        double[] x = x0.clone();
        for (int s = 0; ; s++) {
            double[] g = gradient.apply(x).clone();
            if (g.length != x.length) {
                throw new IllegalArgumentException("gradient length " + g.length + " != point length " + x.length);
            }
            path.add(new Step(s, x.clone(), f.applyAsDouble(x), g));
            if (s == steps) {
                return path;
            }
            for (int j = 0; j < x.length; j++) {
                x[j] -= lr * g[j];
            }
        }
    }
}
