package vecmlp.check;

import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.nn.Normalization;

/**
 * An independent float64 forward pass of an {@link Mlp}'s architecture: plain loops, the activations and
 * losses written from their definitions (not from the kernels), for central differences. A training pass
 * normalizes with the batch's statistics (layer normalization: each row's, in both) and applies dropout with the masks of {@link Mlp#dropoutRowKey} for
 * (seed, step) and each row's position; an inference pass uses the running statistics (as they were when this
 * was made).
 */
final class DoubleNetwork {

    private final int[] sizes;
    private final Activation[] activations;
    private final float[] dropout;
    private final Normalization[] norms;
    private final int[] residual;
    private final Loss loss;
    private final int[] weightOff;
    private final int[] biasOff;
    private final int[] gammaOff;
    private final int[] betaOff;
    private final int[] runMeanOff;
    private final int[] runVarOff;
    private final float[] running;

    DoubleNetwork(Mlp mlp) {
        this.sizes = mlp.layerSizes();
        this.activations = mlp.activations();
        this.dropout = mlp.dropouts();
        this.norms = mlp.normalizations();
        this.residual = mlp.residualSources();
        this.loss = mlp.loss();
        this.running = mlp.runningStatistics().clone();
        int layers = activations.length;
        this.weightOff = new int[layers];
        this.biasOff = new int[layers];
        this.gammaOff = new int[layers];
        this.betaOff = new int[layers];
        this.runMeanOff = new int[layers];
        this.runVarOff = new int[layers];
        for (int l = 0; l < layers; l++) {
            weightOff[l] = mlp.weightOffset(l);
            biasOff[l] = mlp.biasOffset(l);
            gammaOff[l] = mlp.gammaOffset(l);
            betaOff[l] = mlp.betaOffset(l);
            runMeanOff[l] = mlp.runningMeanOffset(l);
            runVarOff[l] = mlp.runningVarianceOffset(l);
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
        double[][][] za = forwardBatch(theta, new double[][] {x}, null);
        return new double[][] {za[0][0], za[1][0]};
    }

    /**
     * Returns {z_L, a_L}, each {@code rows × n_L}, for the rows of {@code x}; with {@code pass} = {seed, step}, a
     * training pass (batch statistics, dropout with row {@code i} identified by its position), else an inference
     * pass (running statistics, no dropout).
     */
    double[][][] forwardBatch(double[] theta, double[][] x, long[] pass) {
        int rows = x.length;
        double[][] a = x;
        double[][] z = null;
        double[][][] outputs = new double[activations.length][][];
        for (int l = 0; l < activations.length; l++) {
            int k = sizes[l];
            int n = sizes[l + 1];
            z = new double[rows][n];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < n; j++) {
                    double s = theta[biasOff[l] + j];
                    for (int p = 0; p < k; p++) {
                        s += a[i][p] * theta[weightOff[l] + p * n + j];
                    }
                    z[i][j] = s;
                }
            }
            double[][] y = z;
            if (norms[l] == Normalization.BATCH) {
                y = new double[rows][n];
                for (int j = 0; j < n; j++) {
                    double mean;
                    double var;
                    if (pass != null) {
                        mean = 0;
                        for (int i = 0; i < rows; i++) {
                            mean += z[i][j];
                        }
                        mean /= rows;
                        var = 0;
                        for (int i = 0; i < rows; i++) {
                            var += (z[i][j] - mean) * (z[i][j] - mean);
                        }
                        var /= rows;
                    } else {
                        mean = running[runMeanOff[l] + j];
                        var = running[runVarOff[l] + j];
                    }
                    double scale = theta[gammaOff[l] + j] / Math.sqrt(var + Mlp.BATCH_NORM_EPSILON);
                    for (int i = 0; i < rows; i++) {
                        y[i][j] = (z[i][j] - mean) * scale + theta[betaOff[l] + j];
                    }
                }
            }
            if (norms[l] == Normalization.LAYER) {
                y = new double[rows][n];
                for (int i = 0; i < rows; i++) {
                    double mean = 0;
                    for (int j = 0; j < n; j++) {
                        mean += z[i][j];
                    }
                    mean /= n;
                    double var = 0;
                    for (int j = 0; j < n; j++) {
                        var += (z[i][j] - mean) * (z[i][j] - mean);
                    }
                    double r = 1 / Math.sqrt(var / n + Mlp.LAYER_NORM_EPSILON);
                    for (int j = 0; j < n; j++) {
                        y[i][j] = (z[i][j] - mean) * r * theta[gammaOff[l] + j] + theta[betaOff[l] + j];
                    }
                }
            }
            a = new double[rows][];
            for (int i = 0; i < rows; i++) {
                a[i] = activate(activations[l], y[i]);
                if (pass != null && dropout[l] > 0f) {
                    int key = Mlp.dropoutRowKey(pass[0], pass[1], l, i);
                    int threshold = Kernels.dropoutThreshold(dropout[l]);
                    double keepScale = Kernels.dropoutScale(dropout[l]);
                    for (int j = 0; j < n; j++) {
                        a[i][j] = Kernels.dropoutKeeps(key, j, threshold) ? a[i][j] * keepScale : 0.0;
                    }
                }
                if (residual[l] != Mlp.NO_RESIDUAL) {
                    double[] src = residual[l] == Mlp.FROM_INPUT ? x[i] : outputs[residual[l]][i];
                    for (int j = 0; j < n; j++) {
                        a[i][j] += src[j];
                    }
                }
            }
            outputs[l] = a;
        }
        return new double[][][] {z, a};
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
            case ELU:
                for (int j = 0; j < n; j++) {
                    a[j] = z[j] > 0 ? z[j] : act.slope() * Math.expm1(z[j]);
                }
                break;
            case SILU:
                for (int j = 0; j < n; j++) {
                    a[j] = z[j] / (1 + Math.exp(-z[j]));
                }
                break;
            case GELU:
                for (int j = 0; j < n; j++) {
                    a[j] = vecmlp.kernel.ReferenceMath.gelu(z[j]);
                }
                break;
            case SOFTPLUS:
                for (int j = 0; j < n; j++) {
                    a[j] = Math.max(z[j], 0.0) + Math.log1p(Math.exp(-Math.abs(z[j])));
                }
                break;
            case GELU_TANH:
                for (int j = 0; j < n; j++) {
                    a[j] = 0.5 * z[j] * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z[j] + 0.044715 * z[j] * z[j] * z[j])));
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
        return loss(theta, x, rows, labels, targets, null, pass);
    }

    /** {@link #loss} weighted: {@code Σ w_i ℓ_i / Σ w_i} with row weights {@code weights} (unweighted if null). */
    double loss(double[] theta, float[] x, int rows, int[] labels, float[] targets, float[] weights, long[] pass) {
        int n0 = sizes[0];
        int n = outputSize();
        double sum = 0.0;
        double weightSum = 0.0;
        double[][] xs = new double[rows][n0];
        for (int i = 0; i < rows; i++) {
            for (int p = 0; p < n0; p++) {
                xs[i][p] = x[i * n0 + p];
            }
        }
        double[][][] za = forwardBatch(theta, xs, pass);
        for (int i = 0; i < rows; i++) {
            double[] z = za[0][i];
            double[] a = za[1][i];
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
            double w = weights == null ? 1.0 : weights[i];
            weightSum += w;
            double before = sum;
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
                case HUBER:
                    for (int j = 0; j < n; j++) {
                        double d = Math.abs(a[j] - y[j]);
                        sum += (d <= 1 ? 0.5 * d * d : d - 0.5) / n;
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
            if (weights != null) {
                sum = before + w * (sum - before);
            }
        }
        return weightSum == 0.0 ? 0.0 : sum / weightSum;
    }
}
