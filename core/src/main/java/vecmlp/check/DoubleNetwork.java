package vecmlp.check;

import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;

/**
 * An independent float64 forward pass of an {@link Mlp}'s architecture: plain loops, the activations and
 * losses written from their definitions (not from the kernels), for central differences. A training pass
 * applies dropout with the masks of {@link Mlp#dropoutRowKey} for (seed, step) and each row's position.
 */
final class DoubleNetwork {

    private final int[] sizes;
    private final Activation[] activations;
    private final float[] dropout;
    private final Loss loss;
    private final int[] weightOff;
    private final int[] biasOff;

    DoubleNetwork(Mlp mlp) {
        this.sizes = mlp.layerSizes();
        this.activations = mlp.activations();
        this.dropout = mlp.dropouts();
        this.loss = mlp.loss();
        this.weightOff = new int[activations.length];
        this.biasOff = new int[activations.length];
        for (int l = 0; l < activations.length; l++) {
            weightOff[l] = mlp.weightOffset(l);
            biasOff[l] = mlp.biasOffset(l);
        }
    }

    int inputSize() {
        return sizes[0];
    }

    int outputSize() {
        return sizes[sizes.length - 1];
    }

    /** Returns {z_L, a_L} for one input row x (length n_0) in an inference pass. */
    double[][] forwardRow(double[] theta, double[] x) {
        return forwardRow(theta, x, null, 0);
    }

    /**
     * Returns {z_L, a_L} for one input row x (length n_0); with {@code pass} = {seed, step}, a training pass in
     * which the row has id {@code row}.
     */
    double[][] forwardRow(double[] theta, double[] x, long[] pass, int row) {
        double[] a = x;
        double[] z = null;
        for (int l = 0; l < activations.length; l++) {
            int k = sizes[l];
            int n = sizes[l + 1];
            z = new double[n];
            for (int j = 0; j < n; j++) {
                double s = theta[biasOff[l] + j];
                for (int p = 0; p < k; p++) {
                    s += a[p] * theta[weightOff[l] + p * n + j];
                }
                z[j] = s;
            }
            a = activate(activations[l], z);
            if (pass != null && dropout[l] > 0f) {
                int key = Mlp.dropoutRowKey(pass[0], pass[1], l, row);
                int threshold = Kernels.dropoutThreshold(dropout[l]);
                double scale = Kernels.dropoutScale(dropout[l]);
                for (int j = 0; j < n; j++) {
                    a[j] = Kernels.dropoutKeeps(key, j, threshold) ? a[j] * scale : 0.0;
                }
            }
        }
        return new double[][] {z, a};
    }

    static double[] activate(Activation act, double[] z) {
        int n = z.length;
        double[] a = new double[n];
        switch (act.kind()) {
            case IDENTITY:
                System.arraycopy(z, 0, a, 0, n);
                break;
            case RELU:
                for (int j = 0; j < n; j++) {
                    a[j] = z[j] > 0 ? z[j] : 0.0;
                }
                break;
            case LEAKY_RELU:
                for (int j = 0; j < n; j++) {
                    a[j] = z[j] > 0 ? z[j] : act.slope() * z[j];
                }
                break;
            case SIGMOID:
                for (int j = 0; j < n; j++) {
                    a[j] = 1.0 / (1.0 + Math.exp(-z[j]));
                }
                break;
            case TANH:
                for (int j = 0; j < n; j++) {
                    a[j] = Math.tanh(z[j]);
                }
                break;
            case SOFTMAX: {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    max = Math.max(max, v);
                }
                double sum = 0.0;
                for (int j = 0; j < n; j++) {
                    a[j] = Math.exp(z[j] - max);
                    sum += a[j];
                }
                for (int j = 0; j < n; j++) {
                    a[j] /= sum;
                }
                break;
            }
            default:
                throw new AssertionError(act);
        }
        return a;
    }

    /**
     * The mean loss over rows, from labels (if not null) or targets; a training pass ({seed, step} in
     * {@code pass}, rows identified by position) unless {@code pass} is null.
     */
    double loss(double[] theta, float[] x, int rows, int[] labels, float[] targets, long[] pass) {
        int n0 = sizes[0];
        int n = outputSize();
        double sum = 0.0;
        double[] xr = new double[n0];
        for (int i = 0; i < rows; i++) {
            for (int p = 0; p < n0; p++) {
                xr[p] = x[i * n0 + p];
            }
            double[][] za = forwardRow(theta, xr, pass, i);
            double[] z = za[0];
            double[] a = za[1];
            double[] y = new double[n];
            if (labels != null) {
                if (n == 1) {
                    y[0] = labels[i];
                } else {
                    y[labels[i]] = 1.0;
                }
            } else {
                for (int j = 0; j < n; j++) {
                    y[j] = targets[i * n + j];
                }
            }
            switch (loss) {
                case CROSS_ENTROPY: {
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : z) {
                        max = Math.max(max, v);
                    }
                    double s = 0.0;
                    for (double v : z) {
                        s += Math.exp(v - max);
                    }
                    double lse = max + Math.log(s);
                    for (int j = 0; j < n; j++) {
                        sum -= y[j] * (z[j] - lse);
                    }
                    break;
                }
                case MSE:
                    for (int j = 0; j < n; j++) {
                        sum += (a[j] - y[j]) * (a[j] - y[j]) / n;
                    }
                    break;
                case BINARY_CROSS_ENTROPY:
                    for (int j = 0; j < n; j++) {
                        // −y log σ(z) − (1 − y) log(1 − σ(z)), via log σ(z) = −log(1 + e^−z)
                        sum += (y[j] * Math.log1p(Math.exp(-z[j])) + (1 - y[j]) * Math.log1p(Math.exp(z[j]))) / n;
                    }
                    break;
                default:
                    throw new AssertionError(loss);
            }
        }
        return sum / rows;
    }
}
