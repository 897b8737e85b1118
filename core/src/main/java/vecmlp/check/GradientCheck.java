package vecmlp.check;

import java.util.Objects;
import vecmlp.nn.Mlp;
import vecmlp.nn.Workspace;

/**
 * Checks an {@link Mlp}'s backpropagation against float64 central differences
 * {@code (L(θ + h e_i) − L(θ − h e_i)) / 2h} of an independent double-precision forward pass, for every
 * parameter, and reports the relative error {@code |a − b| / max(|a| + |b|, tiny)} per layer (weights,
 * bias and normalization parameters separately). Both passes are training passes: batch normalization uses
 * the batch's statistics, dropout one fixed mask (seed 0, step 0, rows by position). Cost: two forward passes of the whole batch per parameter: use small networks.
 * Thread-safe (reads the model only).
 */
public final class GradientCheck {

    /** The default step {@code h}. */
    public static final double DEFAULT_STEP = 1e-6;
    /** The default floor of the relative error's denominator. */
    public static final double DEFAULT_TINY = 1e-6;

    private GradientCheck() {
    }

    /** The result: the largest relative error of each layer's weights, bias, and normalization parameters. */
    public static final class Result {
        private final double[] weightErrors;
        private final double[] biasErrors;
        private final double[] normErrors;
        private final float[] analytic;
        private final double[] numeric;

        Result(double[] weightErrors, double[] biasErrors, double[] normErrors, float[] analytic, double[] numeric) {
            this.weightErrors = weightErrors;
            this.biasErrors = biasErrors;
            this.normErrors = normErrors;
            this.analytic = analytic;
            this.numeric = numeric;
        }

        /** Number of layers. */
        public int layerCount() {
            return weightErrors.length;
        }

        /** The largest relative error among layer {@code l}'s weights. */
        public double weightError(int l) {
            return weightErrors[l];
        }

        /** The largest relative error among layer {@code l}'s biases. */
        public double biasError(int l) {
            return biasErrors[l];
        }

        /** The largest relative error among layer {@code l}'s {@code γ} and {@code β} (0 without normalization). */
        public double normalizationError(int l) {
            return normErrors[l];
        }

        /** The largest relative error of all parameters. */
        public double maxError() {
            double m = 0.0;
            for (int l = 0; l < weightErrors.length; l++) {
                m = Math.max(m, Math.max(weightErrors[l], Math.max(biasErrors[l], normErrors[l])));
            }
            return m;
        }

        /** The backpropagated gradient (a copy). */
        public float[] analytic() {
            return analytic.clone();
        }

        /** The central-difference gradient (a copy). */
        public double[] numeric() {
            return numeric.clone();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("GradientCheck[");
            for (int l = 0; l < weightErrors.length; l++) {
                sb.append(l == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "layer %d: W %.2e b %.2e",
                        l, weightErrors[l], biasErrors[l]));
                if (normErrors[l] > 0) {
                    sb.append(String.format(java.util.Locale.ROOT, " γβ %.2e", normErrors[l]));
                }
            }
            return sb.append(']').toString();
        }
    }

    /** Checks on {@code rows} labelled inputs with the default step and floor. */
    public static Result check(Mlp mlp, float[] x, int rows, int[] labels) {
        return check(mlp, x, rows, labels, null, DEFAULT_STEP, DEFAULT_TINY);
    }

    /** Checks on {@code rows} inputs with real targets ({@code rows × outputSize()}) with the default step and floor. */
    public static Result check(Mlp mlp, float[] x, int rows, float[] targets) {
        return check(mlp, x, rows, null, targets, DEFAULT_STEP, DEFAULT_TINY);
    }

    /**
     * Checks on {@code rows} inputs ({@code x}: {@code rows × inputSize()}), with {@code labels} or else
     * {@code targets}, step {@code h > 0} and denominator floor {@code tiny > 0}.
     */
    public static Result check(Mlp mlp, float[] x, int rows, int[] labels, float[] targets, double h, double tiny) {
        return check(mlp, x, rows, labels, targets, null, h, tiny);
    }

    /**
     * As {@link #check(Mlp, float[], int, int[], float[], double, double)}, with the loss weighted by
     * {@code rows} row weights ({@link Workspace#setRowWeights}; unweighted if null).
     */
    public static Result check(Mlp mlp, float[] x, int rows, int[] labels, float[] targets, float[] weights, double h,
                               double tiny) {
        Objects.requireNonNull(mlp, "mlp");
        if (!(h > 0.0) || !(tiny > 0.0)) {
            throw new IllegalArgumentException("h and tiny must be > 0: " + h + ", " + tiny);
        }
        if (labels == null && targets == null) {
            throw new IllegalArgumentException("labels or targets must be given");
        }
        Workspace ws = mlp.newWorkspace(rows);
        long[] pass = {0L, 0L}; // seed and step of the training pass: dropout's masks stay fixed
        ws.setTrainingPass(pass[0], pass[1], null, 0);
        if (weights != null) {
            ws.setRowWeights(weights, 0);
        }
        float[] grad = mlp.newGradients();
        if (labels != null) {
            mlp.computeGradient(x, 0, rows, labels, 0, grad, ws);
        } else {
            mlp.computeGradient(x, 0, rows, targets, 0, grad, ws);
        }
        DoubleNetwork net = new DoubleNetwork(mlp);
        float[] p = mlp.parameters();
        double[] theta = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            theta[i] = p[i];
        }
        double[] numeric = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double saved = theta[i];
            theta[i] = saved + h;
            double plus = net.loss(theta, x, rows, labels, targets, weights, pass);
            theta[i] = saved - h;
            double minus = net.loss(theta, x, rows, labels, targets, weights, pass);
            theta[i] = saved;
            numeric[i] = (plus - minus) / (2 * h);
        }
        int layers = mlp.layerCount();
        double[] we = new double[layers];
        double[] be = new double[layers];
        double[] ne = new double[layers];
        for (int l = 0; l < layers; l++) {
            int w0 = mlp.weightOffset(l);
            int b0 = mlp.biasOffset(l);
            int n = mlp.layer(l).outputSize();
            we[l] = maxRelativeError(grad, numeric, w0, b0, tiny);
            be[l] = maxRelativeError(grad, numeric, b0, b0 + n, tiny);
            int g0 = mlp.gammaOffset(l);
            ne[l] = g0 < 0 ? 0.0 : maxRelativeError(grad, numeric, g0, g0 + 2 * n, tiny);
        }
        return new Result(we, be, ne, grad, numeric);
    }

    /** {@code |a − b| / max(|a| + |b|, tiny)}. */
    public static double relativeError(double a, double b, double tiny) {
        return Math.abs(a - b) / Math.max(Math.abs(a) + Math.abs(b), tiny);
    }

    private static double maxRelativeError(float[] a, double[] b, int from, int to, double tiny) {
        double m = 0.0;
        for (int i = from; i < to; i++) {
            m = Math.max(m, relativeError(a[i], b[i], tiny));
        }
        return m;
    }
}
