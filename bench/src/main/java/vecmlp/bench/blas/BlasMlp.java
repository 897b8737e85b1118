package vecmlp.bench.blas;

import dev.ludovic.netlib.blas.BLAS;
import vecmlp.nn.Mlp;

/**
 * The peer that issue 16 names "a plain Java MLP calling OpenBLAS": the network of {@code Networks.classifier}
 * (ReLU hidden layers, softmax with cross-entropy) written as a user would write it on a BLAS: each layer's
 * three products are one {@code sgemm} each (forward {@code Z = A·W}, weights {@code dW = Aᵀ·dZ}, inputs
 * {@code dA = dZ·Wᵀ}; one sample's forward product an {@code sgemv}), the elementwise passes (bias, ReLU and its
 * derivative, softmax, column sums) plain loops, and the SGD update one {@code saxpy}. Parameters and gradients
 * have vecmlp's layout (per layer {@code W}, row major {@code n_l × n_{l+1}}, then {@code b}), so a step can be
 * checked against {@link Mlp#computeGradient}. Not thread-safe; allocates nothing after construction.
 */
public final class BlasMlp {

    private final BLAS blas;
    private final int[] sizes;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final float[] params;
    private final float[] grad;
    /** Per layer, the batch's activations {@code A_l} ({@code [0]} unused: the input is read in place). */
    private final float[][] act;
    /** Per layer, the batch's {@code dZ_l}, then {@code dA} of the layer below in {@code delta[l - 1]}. */
    private final float[][] delta;
    private final int maxBatch;

    /** A copy of {@code mlp}'s sizes and parameters, for batches of up to {@code maxBatch} rows. */
    public BlasMlp(Mlp mlp, BLAS blas, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.blas = blas;
        this.maxBatch = maxBatch;
        sizes = mlp.layerSizes().clone();
        int layers = sizes.length - 1;
        weightOffset = new int[layers];
        biasOffset = new int[layers];
        for (int l = 0; l < layers; l++) {
            weightOffset[l] = mlp.weightOffset(l);
            biasOffset[l] = mlp.biasOffset(l);
        }
        params = mlp.parameters().clone();
        grad = new float[params.length];
        act = new float[layers + 1][];
        delta = new float[layers + 1][];
        for (int l = 1; l <= layers; l++) {
            act[l] = new float[maxBatch * sizes[l]];
            delta[l] = new float[maxBatch * sizes[l]];
        }
    }

    /** The parameters, in {@link Mlp#parameters()}'s layout. */
    public float[] parameters() {
        return params;
    }

    /** The gradient of the last {@link #computeGradient}, in the same layout. */
    public float[] gradients() {
        return grad;
    }

    /** Softmax probabilities of {@code rows} inputs from {@code x[xOff]} into {@code out[0 ..]}. */
    public void predict(float[] x, int xOff, int rows, float[] out) {
        checkRows(rows);
        forward(x, xOff, rows);
        int layers = sizes.length - 1;
        System.arraycopy(act[layers], 0, out, 0, rows * sizes[layers]);
    }

    /** Forward and backward pass: returns the mean cross-entropy and leaves its gradient in {@link #gradients}. */
    public float computeGradient(float[] x, int xOff, int rows, int[] labels, int lOff) {
        checkRows(rows);
        forward(x, xOff, rows);
        int layers = sizes.length - 1;
        int classes = sizes[layers];
        float[] p = act[layers];
        float[] dz = delta[layers];
        double loss = 0;
        float scale = 1f / rows;
        for (int r = 0; r < rows; r++) {
            int y = labels[lOff + r];
            loss -= Math.log(Math.max(p[r * classes + y], Float.MIN_NORMAL));
            for (int j = 0; j < classes; j++) {
                dz[r * classes + j] = (p[r * classes + j] - (j == y ? 1f : 0f)) * scale;
            }
        }
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            float[] a = l == 0 ? x : act[l];
            int aOff = l == 0 ? xOff : 0;
            float[] d = delta[l + 1];
            gemm(true, false, in, out, rows, a, aOff, in, d, 0, out, grad, weightOffset[l], out);
            int b = biasOffset[l];
            java.util.Arrays.fill(grad, b, b + out, 0f);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < out; j++) {
                    grad[b + j] += d[r * out + j];
                }
            }
            if (l > 0) {
                float[] below = delta[l];
                gemm(false, true, rows, in, out, d, 0, out, params, weightOffset[l], out, below, 0, in);
                float[] z = act[l]; // ReLU's output is positive exactly where its input was
                for (int i = 0; i < rows * in; i++) {
                    below[i] = z[i] > 0f ? below[i] : 0f;
                }
            }
        }
        return (float) (loss / rows);
    }

    /** One SGD step {@code θ ← θ − lr · ∇θ} with the gradient of the last {@link #computeGradient}. */
    public void sgdStep(float lr) {
        blas.saxpy(params.length, -lr, grad, 1, params, 1);
    }

    /**
     * Throws unless this network computes what {@code reference} (the same parameters) computes on the first
     * {@code rows} samples: probabilities within 1e-5, the loss within 1e-5 of it relatively, every gradient
     * element within 1e-4 of the gradient's largest magnitude (float sums over different orders).
     */
    public void check(Mlp reference, float[] x, int rows, int[] labels) {
        float[] expected = new float[rows * reference.outputSize()];
        float[] actual = new float[expected.length];
        reference.predict(x, 0, rows, expected, 0, reference.newWorkspace(rows));
        predict(x, 0, rows, actual);
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= 1e-5f)) {
                throw new IllegalStateException("probability " + i + ": BLAS MLP " + actual[i] + ", vecmlp "
                        + expected[i]);
            }
        }
        float[] g = reference.newGradients();
        float lossExpected = reference.computeGradient(x, 0, rows, labels, 0, g, reference.newWorkspace(rows));
        float loss = computeGradient(x, 0, rows, labels, 0);
        if (!(Math.abs(loss - lossExpected) <= 1e-5f * Math.abs(lossExpected))) {
            throw new IllegalStateException("loss: BLAS MLP " + loss + ", vecmlp " + lossExpected);
        }
        float max = 0f;
        for (float v : g) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < g.length; i++) {
            if (!(Math.abs(g[i] - grad[i]) <= 1e-4f * max)) {
                throw new IllegalStateException("gradient " + i + ": BLAS MLP " + grad[i] + ", vecmlp " + g[i]);
            }
        }
    }

    private void forward(float[] x, int xOff, int rows) {
        int layers = sizes.length - 1;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            float[] a = l == 0 ? x : act[l];
            int aOff = l == 0 ? xOff : 0;
            float[] z = act[l + 1];
            if (rows == 1) { // one sample: z = Wᵀ·a, W row-major (in × out) being column-major Wᵀ (out × in)
                blas.sgemv("N", out, in, 1f, params, weightOffset[l], out, a, aOff, 1, 0f, z, 0, 1);
            } else {
                gemm(false, false, rows, out, in, a, aOff, in, params, weightOffset[l], out, z, 0, out);
            }
            int b = biasOffset[l];
            if (l < layers - 1) {
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < out; j++) {
                        float v = z[r * out + j] + params[b + j];
                        z[r * out + j] = v > 0f ? v : 0f;
                    }
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int o = r * out;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < out; j++) {
                        z[o + j] += params[b + j];
                        max = Math.max(max, z[o + j]);
                    }
                    float sum = 0f;
                    for (int j = 0; j < out; j++) {
                        float e = (float) Math.exp(z[o + j] - max);
                        z[o + j] = e;
                        sum += e;
                    }
                    float inv = 1f / sum;
                    for (int j = 0; j < out; j++) {
                        z[o + j] *= inv;
                    }
                }
            }
        }
    }

    /** Row-major {@code C = op(A)·op(B)} ({@code m × n}, depth k), as column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}. */
    private void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, 1f, b, bOff, ldb, a, aOff, lda, 0f, c, cOff, ldc);
    }

    private void checkRows(int rows) {
        if (rows < 1 || rows > maxBatch) {
            throw new IllegalArgumentException("rows must be in [1, " + maxBatch + "]: " + rows);
        }
    }
}
