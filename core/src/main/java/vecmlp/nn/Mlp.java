package vecmlp.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.kernel.PackedMatrix;
import vecmlp.kernel.Transpose;

/**
 * A multilayer perceptron: dense layers {@code Z_l = A_{l−1}·W_l + b_l}, {@code A_l = σ_l(Z_l)}, and a loss
 * (MATH.md), on the {@link Kernels}. Build one with {@link #builder()}:
 * <pre>{@code
 * Mlp mlp = Mlp.builder().input(784)
 *         .dense(256, Activation.RELU).dense(128, Activation.RELU).dense(10, Activation.SOFTMAX)
 *         .loss(Loss.CROSS_ENTROPY).seed(42).build();
 * }</pre>
 * or rebuild a stored one with {@link #of(int[], Activation[], Loss, float[], Kernels)}.
 *
 * <p><b>Layout.</b> Dense layer {@code l} (0-based, {@code 0 ≤ l < layerCount()}) maps
 * {@code n_l = layerSizes()[l]} inputs to {@code n_{l+1}} outputs. All parameters live in one flat array,
 * {@link #parameters()}: layer by layer, first {@code W} ({@code n_l × n_{l+1}}, row-major, at
 * {@link #weightOffset(int)}), then {@code b} ({@code n_{l+1}} values at {@link #biasOffset(int)}), then for a
 * batch-normalized layer ({@link Builder#batchNorm}) {@code γ} and {@code β} ({@link #gammaOffset},
 * {@link #betaOffset}). Batch normalization's running statistics are state, not parameters
 * ({@link #runningStatistics()}). Gradients ({@link #newGradients()}) and optimizer state use the same layout,
 * so clipping, norms and optimizer steps are single passes over one array.
 *
 * <p><b>Training and inference.</b> {@link #computeGradient computeGradient} is a training pass: layers with
 * dropout ({@link Builder#dropout}) drop, with masks drawn from what {@link Workspace#setTrainingPass} set.
 * Batch-normalized layers normalize with the batch's statistics and update their running statistics (as
 * PyTorch's training mode), so a training pass of such a network needs 2 rows or more. Every other pass
 * ({@code predict…}, {@link #evaluateLoss evaluateLoss}, {@link #inputJacobian inputJacobian}) is an inference
 * pass: it never drops (inverted dropout needs no rescaling there) and normalizes with the running statistics.
 *
 * <p><b>Batches.</b> Inputs are row-major {@code rows × inputSize()} floats, outputs
 * {@code rows × outputSize()}. Each call uses a {@link Workspace} from {@link #newWorkspace(int)} sized for
 * the largest batch; with one, no call allocates.
 *
 * <p><b>Threads.</b> Only {@link #parameters()}'s writers (an optimizer, {@link #setParameters(float[])}) and,
 * with batch normalization, training passes (its running statistics) change a model. While nobody writes,
 * every method may be called from many threads at once, each thread with its own workspace (and its own
 * gradient buffer). The kernels chosen at build time do the arithmetic;
 * this class never knows whether they are SIMD.
 *
 * <p><b>Errors.</b> Every public method validates its arguments first and throws
 * {@link IllegalArgumentException} naming the argument, index and value (wrong sizes, labels out of range,
 * NaN or infinite inputs, empty batch, batch larger than the workspace), before anything is written.
 */
public final class Mlp {

    private final int[] sizes;
    private final Activation[] activations;
    /** The drop probability after each dense layer's activation (0: none; always 0 after the output layer). */
    private final float[] dropout;
    private final Normalization[] norms;
    /** Per layer, the source its output adds ({@link #NO_RESIDUAL}, {@link #FROM_INPUT} or a layer before it). */
    private final int[] residual;
    private final Loss loss;
    private final float[] params;
    private final int[] weightOff;
    private final int[] biasOff;
    /** Offsets of γ and β of each batch-normalized layer in {@link #params} (−1 without). */
    private final int[] gammaOff;
    private final int[] betaOff;
    /** Running means and variances of the batch-normalized layers, and their offsets (−1 without). */
    private final float[] running;
    private final int[] runMeanOff;
    private final int[] runVarOff;
    private final Kernels kernels;
    /**
     * Each layer's weights laid out once for the kernels ({@link Kernels#pack}), which a prediction's plain
     * dense layers multiply by instead of the parameters; only on the private copy a {@link Predictor} holds,
     * whose parameters nothing changes. Null otherwise.
     */
    private PackedMatrix[] packed;

    /** Batch normalization's ε, as PyTorch's {@code BatchNorm1d}: {@value}. */
    public static final float BATCH_NORM_EPSILON = 1e-5f;
    /** Batch normalization's running-statistics momentum, as PyTorch's {@code BatchNorm1d}: {@value}. */
    public static final float BATCH_NORM_MOMENTUM = 0.1f;
    /** {@link #residualSource}: the layer's output adds nothing. */
    public static final int NO_RESIDUAL = -2;
    /** {@link #residualSource}: the layer's output adds the network's input. */
    public static final int FROM_INPUT = -1;
    /** Layer normalization's ε, as PyTorch's {@code LayerNorm}: {@value}. */
    public static final float LAYER_NORM_EPSILON = 1e-5f;

    private Mlp(int[] sizes, Activation[] activations, float[] dropout, Normalization[] norms, int[] residual,
                Loss loss, Kernels kernels) {
        this.sizes = sizes;
        this.activations = activations;
        this.dropout = dropout;
        this.norms = norms;
        this.residual = residual;
        this.loss = loss;
        this.kernels = kernels;
        int layers = activations.length;
        this.weightOff = new int[layers];
        this.biasOff = new int[layers];
        this.gammaOff = new int[layers];
        this.betaOff = new int[layers];
        this.runMeanOff = new int[layers];
        this.runVarOff = new int[layers];
        int off = 0;
        int run = 0;
        for (int l = 0; l < layers; l++) {
            int n = sizes[l + 1];
            weightOff[l] = off;
            off += sizes[l] * n;
            biasOff[l] = off;
            off += n;
            boolean bn = norms[l] == Normalization.BATCH;
            boolean affine = norms[l] != Normalization.NONE;
            gammaOff[l] = affine ? off : -1;
            betaOff[l] = affine ? off + n : -1;
            off += affine ? 2 * n : 0;
            runMeanOff[l] = bn ? run : -1;
            runVarOff[l] = bn ? run + n : -1;
            run += bn ? 2 * n : 0;
        }
        this.params = new float[off];
        this.running = new float[run];
        for (int l = 0; l < layers; l++) {
            if (runVarOff[l] >= 0) {
                Arrays.fill(running, runVarOff[l], runVarOff[l] + sizes[l + 1], 1f);
            }
        }
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A network of the given architecture with the given parameters (copied), e.g. read from a model file.
     *
     * @param layerSizes  {@code n_0, …, n_L}: input width, then each dense layer's width; all ≥ 1, {@code L ≥ 1}
     * @param activations {@code L} activations, one per dense layer
     * @param loss        compatible with the last activation ({@link Loss#checkCompatible})
     * @param parameters  {@link #parameterCount(int[])} values in the layout of the class comment; all finite
     * @param kernels     the kernels to compute with
     * @throws IllegalArgumentException naming the bad argument and value
     */
    public static Mlp of(int[] layerSizes, Activation[] activations, Loss loss, float[] parameters, Kernels kernels) {
        Objects.requireNonNull(activations, "activations");
        return of(layerSizes, activations, new float[activations.length], loss, parameters, kernels);
    }

    /**
     * As {@link #of(int[], Activation[], Loss, float[], Kernels)}, with dropout: {@code dropout[l]} is the drop
     * probability applied to dense layer {@code l}'s activations in training passes, in {@code [0, 1)}, and 0
     * for the output layer.
     */
    public static Mlp of(int[] layerSizes, Activation[] activations, float[] dropout, Loss loss, float[] parameters,
                         Kernels kernels) {
        Objects.requireNonNull(activations, "activations");
        Normalization[] none = new Normalization[activations.length];
        Arrays.fill(none, Normalization.NONE);
        return of(layerSizes, activations, dropout, none, loss, parameters, kernels);
    }

    /**
     * As {@link #of(int[], Activation[], float[], Loss, float[], Kernels)}, with a normalization per dense layer
     * ({@link Normalization#NONE} for the output layer); {@code parameters} then hold each normalized layer's
     * {@code γ} and {@code β} after its bias (see the class comment). The running statistics start at mean 0
     * and variance 1; set them through {@link #runningStatistics()}.
     */
    public static Mlp of(int[] layerSizes, Activation[] activations, float[] dropout, Normalization[] norms, Loss loss,
                         float[] parameters, Kernels kernels) {
        Objects.requireNonNull(activations, "activations");
        int[] none = new int[activations.length];
        Arrays.fill(none, NO_RESIDUAL);
        return of(layerSizes, activations, dropout, norms, none, loss, parameters, kernels);
    }

    /**
     * As {@link #of(int[], Activation[], float[], Normalization[], Loss, float[], Kernels)}, with residual
     * connections: {@code residual[l]} is {@link #NO_RESIDUAL}, or the source whose output layer {@code l}'s output
     * adds ({@link #FROM_INPUT} or an earlier layer of the same width; see {@link #residualSource}).
     */
    public static Mlp of(int[] layerSizes, Activation[] activations, float[] dropout, Normalization[] norms,
                         int[] residual, Loss loss, float[] parameters, Kernels kernels) {
        Objects.requireNonNull(parameters, "parameters");
        Mlp mlp = create(layerSizes, activations, dropout, norms, residual, loss, kernels);
        if (parameters.length != mlp.params.length) {
            throw new IllegalArgumentException("parameters.length must be " + mlp.params.length + " for layer sizes "
                    + Arrays.toString(layerSizes) + ": " + parameters.length);
        }
        checkFinite("parameters", parameters);
        System.arraycopy(parameters, 0, mlp.params, 0, parameters.length);
        return mlp;
    }

    private static Mlp create(int[] layerSizes, Activation[] activations, float[] dropout, Normalization[] norms,
                              int[] residual, Loss loss, Kernels kernels) {
        Objects.requireNonNull(residual, "residual");
        Objects.requireNonNull(layerSizes, "layerSizes");
        Objects.requireNonNull(activations, "activations");
        Objects.requireNonNull(dropout, "dropout");
        Objects.requireNonNull(norms, "norms");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(kernels, "kernels");
        if (layerSizes.length < 2) {
            throw new IllegalArgumentException("layerSizes needs an input and at least one layer: "
                    + Arrays.toString(layerSizes));
        }
        if (activations.length != layerSizes.length - 1) {
            throw new IllegalArgumentException("activations.length must be layerSizes.length - 1 = "
                    + (layerSizes.length - 1) + ": " + activations.length);
        }
        for (int l = 0; l < layerSizes.length; l++) {
            if (layerSizes[l] < 1) {
                throw new IllegalArgumentException("layerSizes[" + l + "] must be >= 1: " + layerSizes[l]);
            }
        }
        for (int l = 0; l < activations.length; l++) {
            Objects.requireNonNull(activations[l], "activations[" + l + "]");
        }
        if (dropout.length != activations.length) {
            throw new IllegalArgumentException("dropout.length must be activations.length = " + activations.length
                    + ": " + dropout.length);
        }
        for (int l = 0; l < dropout.length; l++) {
            if (!(dropout[l] >= 0f && dropout[l] < 1f)) {
                throw new IllegalArgumentException("dropout of layer " + l + " must be in [0, 1): " + dropout[l]);
            }
        }
        if (norms.length != activations.length) {
            throw new IllegalArgumentException("norms.length must be activations.length = " + activations.length
                    + ": " + norms.length);
        }
        for (int l = 0; l < norms.length; l++) {
            Objects.requireNonNull(norms[l], "norms[" + l + "]");
            if (norms[l] == Normalization.LAYER && layerSizes[l + 1] < 2) {
                throw new IllegalArgumentException("layer normalization of layer " + l
                        + " needs a width >= 2 (a single value normalizes to 0): " + layerSizes[l + 1]);
            }
        }
        if (norms[norms.length - 1] != Normalization.NONE) {
            throw new IllegalArgumentException("the output layer " + (norms.length - 1)
                    + " cannot be normalized (normalization applies to hidden layers): " + norms[norms.length - 1]);
        }
        if (residual.length != activations.length) {
            throw new IllegalArgumentException("residual.length must be activations.length = " + activations.length
                    + ": " + residual.length);
        }
        for (int l = 0; l < residual.length; l++) {
            int src = residual[l];
            if (src == NO_RESIDUAL) {
                continue;
            }
            if (src < FROM_INPUT || src >= l) {
                throw new IllegalArgumentException("residual source of layer " + l + " must be NO_RESIDUAL (-2), "
                        + "FROM_INPUT (-1) or a layer before it: " + src);
            }
            if (l == residual.length - 1) {
                throw new IllegalArgumentException("the output layer " + l + " cannot end a residual block: " + src);
            }
            if (layerSizes[src + 1] != layerSizes[l + 1]) {
                throw new IllegalArgumentException("residual block ending at layer " + l + " adds "
                        + (src == FROM_INPUT ? "the input" : "layer " + src + "'s output") + " of width "
                        + layerSizes[src + 1] + " to an output of width " + layerSizes[l + 1]);
            }
        }
        if (dropout[dropout.length - 1] != 0f) {
            throw new IllegalArgumentException("dropout of the output layer " + (dropout.length - 1)
                    + " must be 0 (dropout applies between layers): " + dropout[dropout.length - 1]);
        }
        loss.checkCompatible(activations[activations.length - 1], layerSizes[layerSizes.length - 1]);
        long count = parameterCount(layerSizes, norms);
        if (count > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("too many parameters for one array: " + count);
        }
        return new Mlp(layerSizes.clone(), activations.clone(), dropout.clone(), norms.clone(), residual.clone(), loss,
                kernels);
    }

    /** The number of parameters {@code Σ_l (n_l·n_{l+1} + n_{l+1})} of a network with these layer sizes. */
    public static long parameterCount(int[] layerSizes) {
        long count = 0;
        for (int l = 0; l + 1 < layerSizes.length; l++) {
            count += (long) layerSizes[l] * layerSizes[l + 1] + layerSizes[l + 1];
        }
        return count;
    }

    /** The number of parameters with these normalizations: {@code 2·n_{l+1}} more ({@code γ}, {@code β}) per one. */
    public static long parameterCount(int[] layerSizes, Normalization[] norms) {
        long count = parameterCount(layerSizes);
        for (int l = 0; l < norms.length && l + 1 < layerSizes.length; l++) {
            count += norms[l] != Normalization.NONE ? 2L * layerSizes[l + 1] : 0;
        }
        return count;
    }

    // ------------------------------------------------------------------ architecture and parameters

    /** {@code n_0}: features per input row. */
    public int inputSize() {
        return sizes[0];
    }

    /** {@code n_L}: values per output row. */
    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    /** {@code L}: the number of dense layers. */
    public int layerCount() {
        return activations.length;
    }

    /** {@code n_0, …, n_L} (a copy). */
    public int[] layerSizes() {
        return sizes.clone();
    }

    /** The activation of each dense layer (a copy). */
    public Activation[] activations() {
        return activations.clone();
    }

    /** The activation of dense layer {@code layer} (0-based). */
    public Activation activation(int layer) {
        return activations[checkLayer(layer)];
    }

    /**
     * The drop probability applied to dense layer {@code layer}'s activations in training passes (0: no
     * dropout); inference ({@code predict}, {@code evaluateLoss}) never drops.
     */
    public float dropout(int layer) {
        return dropout[checkLayer(layer)];
    }

    /** The drop probability after each dense layer (a copy). */
    public float[] dropouts() {
        return dropout.clone();
    }

    /** The normalization of dense layer {@code layer}'s pre-activations. */
    public Normalization normalization(int layer) {
        return norms[checkLayer(layer)];
    }

    /** The normalization of each dense layer (a copy). */
    public Normalization[] normalizations() {
        return norms.clone();
    }

    /** Offset in {@link #parameters()} of layer {@code layer}'s {@code γ} ({@code n_{l+1}} values), −1 without. */
    public int gammaOffset(int layer) {
        return gammaOff[checkLayer(layer)];
    }

    /** Offset in {@link #parameters()} of batch-normalized layer {@code layer}'s {@code β}, −1 without. */
    public int betaOffset(int layer) {
        return betaOff[checkLayer(layer)];
    }

    /**
     * The running means and variances of the batch-normalized layers (state, not parameters: training passes
     * update them, inference passes normalize with them): the live array, layer by layer the {@code n_{l+1}}
     * means at {@link #runningMeanOffset}, then the variances at {@link #runningVarianceOffset}. Empty without
     * batch normalization.
     */
    public float[] runningStatistics() {
        return running;
    }

    /** Offset in {@link #runningStatistics()} of layer {@code layer}'s running means, −1 without batch normalization. */
    public int runningMeanOffset(int layer) {
        return runMeanOff[checkLayer(layer)];
    }

    /** Offset in {@link #runningStatistics()} of layer {@code layer}'s running variances, −1 without. */
    public int runningVarianceOffset(int layer) {
        return runVarOff[checkLayer(layer)];
    }

    /**
     * Where dense layer {@code layer}'s output gets a residual connection from: {@link #NO_RESIDUAL} (none),
     * {@link #FROM_INPUT} (the network's input) or the index of an earlier layer, whose output (after its
     * dropout and its own residual connection) is added to this layer's output after its activation and dropout
     * ({@link Builder#residual}).
     */
    public int residualSource(int layer) {
        return residual[checkLayer(layer)];
    }

    /** {@link #residualSource} of each dense layer (a copy). */
    public int[] residualSources() {
        return residual.clone();
    }

    /** The loss. */
    public Loss loss() {
        return loss;
    }

    /** The kernels this network computes with. */
    public Kernels kernels() {
        return kernels;
    }

    /**
     * The number of classes a label may name: {@code outputSize()}, or 2 for a single output unit (labels 0
     * and 1 are its target values).
     */
    public int numClasses() {
        return outputSize() == 1 ? 2 : outputSize();
    }

    /**
     * All parameters, in the layout of the class comment: the live array, not a copy. Writing to it changes
     * the model (not while other threads use it).
     */
    public float[] parameters() {
        return params;
    }

    /** The length of {@link #parameters()}. */
    public int parameterCount() {
        return params.length;
    }

    /** Offset in {@link #parameters()} of {@code W} of dense layer {@code layer}, an {@code n_l × n_{l+1}} row-major matrix. */
    public int weightOffset(int layer) {
        return weightOff[checkLayer(layer)];
    }

    /** Offset in {@link #parameters()} of {@code b} of dense layer {@code layer}, {@code n_{l+1}} values. */
    public int biasOffset(int layer) {
        return biasOff[checkLayer(layer)];
    }

    /** A description of dense layer {@code layer}: sizes, activation and offsets. */
    public Layer layer(int layer) {
        checkLayer(layer);
        return new Layer(layer, sizes[layer], sizes[layer + 1], activations[layer], norms[layer], dropout[layer],
                weightOff[layer], biasOff[layer]);
    }

    /** All dense layers, in order. */
    public List<Layer> layers() {
        List<Layer> list = new ArrayList<>(activations.length);
        for (int l = 0; l < activations.length; l++) {
            list.add(layer(l));
        }
        return List.copyOf(list);
    }

    /** Copies {@code values} into the parameters. @throws IllegalArgumentException on a wrong length or a non-finite value */
    public void setParameters(float[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length != params.length) {
            throw new IllegalArgumentException("values.length must be " + params.length + ": " + values.length);
        }
        checkFinite("values", values);
        System.arraycopy(values, 0, params, 0, params.length);
    }

    /** An independent copy of this network (same architecture, copied parameters, same kernels). */
    public Mlp copy() {
        return withKernels(kernels);
    }

    /** An independent copy of this network (with its running statistics) that computes with other kernels. */
    public Mlp withKernels(Kernels kernels) {
        Mlp copy = of(sizes, activations, dropout, norms, residual, loss, params, kernels);
        System.arraycopy(running, 0, copy.running, 0, running.length);
        return copy;
    }

    /**
     * An inference-only snapshot of this network: a copy of its parameters and running statistics, with each
     * layer's weights also laid out once for its kernels ({@link Kernels#pack}), so that a prediction of more
     * than four rows does not pack them in every call (the SIMD kernels; the others read them as they are).
     * The same outputs as {@link #predict}, bit for bit; later changes to this network do not reach it.
     */
    public Predictor predictor() {
        Mlp copy = withKernels(kernels);
        PackedMatrix[] layers = new PackedMatrix[activations.length];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = kernels.pack(sizes[l], sizes[l + 1], copy.params, weightOff[l], sizes[l + 1]);
        }
        copy.packed = layers;
        return new Predictor(copy);
    }

    /** A zeroed buffer for gradients, the layout of {@link #parameters()}. */
    public float[] newGradients() {
        return new float[params.length];
    }

    /** A workspace for batches of up to {@code maxBatch} rows (see {@link Workspace}). */
    public Workspace newWorkspace(int maxBatch) {
        return new Workspace(sizes, maxBatch);
    }

    // ------------------------------------------------------------------ inference

    /**
     * The outputs {@code A_L} of {@code rows} inputs: {@code out[outOff ..]} receives {@code rows × outputSize()}
     * values. Allocates nothing. Thread-safe with one workspace per thread.
     *
     * @param x   {@code rows × inputSize()} finite values from {@code xOff}
     * @param rows in {@code [1, ws.maxBatch()]}
     */
    public void predict(float[] x, int xOff, int rows, float[] out, int outOff, Workspace ws) {
        checkInput(x, xOff, rows, ws);
        checkRegion("out", out, outOff, rows, outputSize());
        forward(x, xOff, rows, ws, false, false);
        System.arraycopy(ws.act[activations.length - 1], 0, out, outOff, rows * outputSize());
    }

    /** {@link #predict(float[], int, int, float[], int, Workspace)} from offset 0; {@code x.length} must be {@code rows × inputSize()}. */
    public void predict(float[] x, int rows, float[] out, Workspace ws) {
        checkExactLength("x", x, rows, inputSize());
        predict(x, 0, rows, out, 0, ws);
    }

    /**
     * Convenience: predicts with a new workspace (allocates; use a workspace overload on hot paths).
     * {@code x.length} must be {@code rows × inputSize()}, {@code out} at least {@code rows × outputSize()}.
     */
    public void predict(float[] x, int rows, float[] out) {
        checkExactLength("x", x, rows, inputSize());
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1: " + rows);
        }
        predict(x, 0, rows, out, 0, newWorkspace(rows));
    }

    /**
     * The fast path for one sample: {@code out[0 .. outputSize())} receives the outputs of the single input
     * {@code x[0 .. inputSize())} (a vector-matrix product per layer). Allocates nothing.
     */
    public void predictOne(float[] x, float[] out, Workspace ws) {
        predict(x, 0, 1, out, 0, ws);
    }

    /**
     * The predicted class of each of {@code rows} inputs into {@code classes[cOff ..]}: the argmax of the
     * output row (first on ties), or for one output unit {@code output > 0.5 ? 1 : 0}.
     */
    public void predictClasses(float[] x, int xOff, int rows, int[] classes, int cOff, Workspace ws) {
        checkInput(x, xOff, rows, ws);
        Objects.requireNonNull(classes, "classes");
        if (cOff < 0 || (long) cOff + rows > classes.length) {
            throw new IllegalArgumentException("classes: " + rows + " values from offset " + cOff
                    + " exceed length " + classes.length);
        }
        forward(x, xOff, rows, ws, false, false);
        float[] a = ws.act[activations.length - 1];
        int n = outputSize();
        for (int i = 0; i < rows; i++) {
            classes[cOff + i] = n == 1 ? (a[i] > 0.5f ? 1 : 0) : Loss.argmax(a, i * n, n);
        }
    }

    // ------------------------------------------------------------------ loss and gradients

    /**
     * Forward and backward pass for {@code rows} labelled inputs: returns the mean loss (the weighted mean after
     * {@link Workspace#setRowWeights}) and overwrites {@code grad} (layout of {@link #parameters()}) with
     * {@code ∂L/∂θ}. The model is not changed.
     * Allocates nothing; {@link Workspace#lastCorrect()} then counts the correct predictions.
     *
     * @param labels {@code rows} class indices from {@code lOff}, each in {@code [0, numClasses())}
     */
    public float computeGradient(float[] x, int xOff, int rows, int[] labels, int lOff, float[] grad, Workspace ws) {
        checkInput(x, xOff, rows, ws);
        checkLabels(labels, lOff, rows);
        checkWeights(ws, rows);
        checkGrad(grad);
        checkTrainingPass(ws, rows);
        return lossAndGradient(x, xOff, rows, labels, lOff, null, 0, grad, ws);
    }

    /**
     * As {@link #computeGradient(float[], int, int, int[], int, float[], Workspace)}, with real targets:
     * {@code rows × outputSize()} finite values from {@code tOff} (for cross-entropy, rows of probabilities:
     * one-hot or soft labels).
     */
    public float computeGradient(float[] x, int xOff, int rows, float[] targets, int tOff, float[] grad, Workspace ws) {
        checkInput(x, xOff, rows, ws);
        checkTargets(targets, tOff, rows);
        checkWeights(ws, rows);
        checkGrad(grad);
        checkTrainingPass(ws, rows);
        return lossAndGradient(x, xOff, rows, null, 0, targets, tOff, grad, ws);
    }

    /** The mean loss of {@code rows} labelled inputs (forward pass only); sets {@link Workspace#lastCorrect()}. */
    public float evaluateLoss(float[] x, int xOff, int rows, int[] labels, int lOff, Workspace ws) {
        checkInput(x, xOff, rows, ws);
        checkLabels(labels, lOff, rows);
        checkWeights(ws, rows);
        return lossAndGradient(x, xOff, rows, labels, lOff, null, 0, null, ws);
    }

    /** The mean loss of {@code rows} inputs with real targets (forward pass only); sets {@link Workspace#lastCorrect()}. */
    public float evaluateLoss(float[] x, int xOff, int rows, float[] targets, int tOff, Workspace ws) {
        checkInput(x, xOff, rows, ws);
        checkTargets(targets, tOff, rows);
        checkWeights(ws, rows);
        return lossAndGradient(x, xOff, rows, null, 0, targets, tOff, null, ws);
    }

    // ------------------------------------------------------------------ Jacobian

    /**
     * The Jacobian of the outputs with respect to the inputs, {@code J_ij = ∂A_L[i]/∂x[j]}, for each of
     * {@code rows} inputs: {@code jac[jOff ..]} receives {@code rows} row-major {@code outputSize() × inputSize()}
     * matrices. One batched backward pass (MATH.md): each input is replicated {@code n_L} times, the
     * backward pass starts from {@code G_L = D_L} (the output activation's Jacobian) and the signal arriving
     * at the input is {@code J}. Needs {@code ws.maxBatch() ≥ rows·outputSize()}; allocates a replica buffer
     * in the workspace at first use.
     */
    public void inputJacobian(float[] x, int xOff, int rows, float[] jac, int jOff, Workspace ws) {
        Objects.requireNonNull(ws, "ws");
        int n0 = inputSize();
        int nL = outputSize();
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1: " + rows);
        }
        if ((long) rows * nL > ws.maxBatch) {
            throw new IllegalArgumentException("rows*outputSize = " + (long) rows * nL
                    + " exceeds the workspace's maxBatch " + ws.maxBatch);
        }
        checkWorkspace(ws);
        checkRegion("x", x, xOff, rows, n0);
        checkFiniteRegion(x, xOff, rows, n0);
        checkRegion("jac", jac, jOff, rows * nL, n0);
        int batch = rows * nL;
        if (ws.jacobianInput == null) {
            ws.jacobianInput = new float[ws.maxBatch * n0];
        }
        float[] rep = ws.jacobianInput;
        for (int s = 0; s < rows; s++) {
            for (int r = 0; r < nL; r++) {
                System.arraycopy(x, xOff + s * n0, rep, (s * nL + r) * n0, n0);
            }
        }
        forward(rep, 0, batch, ws, false, false);
        // G_L = D_L: the identity block of each sample times the output activation's Jacobian.
        int last = activations.length - 1;
        float[] g = ws.deltaA;
        Arrays.fill(g, 0, batch * nL, 0f);
        for (int i = 0; i < batch; i++) {
            g[i * nL + i % nL] = 1f;
        }
        kernels.activationBackward(activations[last], batch, nL, derivativeInput(ws, last), 0, nL, g, 0, nL);
        backward(rep, 0, batch, null, ws, jac, jOff, false);
    }

    // ------------------------------------------------------------------ passes (unchecked)

    private float lossAndGradient(float[] x, int xOff, int rows, int[] labels, int lOff, float[] targets, int tOff,
                                  float[] grad, Workspace ws) {
        boolean training = grad != null;
        forward(x, xOff, rows, ws, true, training);
        int last = activations.length - 1;
        int n = outputSize();
        float[] delta = grad == null ? null : ws.deltaA;
        float[] weights = ws.weights;
        int wOff = ws.weightsOff;
        ws.weights = null;
        double weightSum = rows;
        if (weights != null) {
            weightSum = 0.0;
            for (int i = 0; i < rows; i++) {
                weightSum += weights[wOff + i];
            }
        }
        double sum = loss.evaluate(rows, n, ws.z, ws.act[last], labels, lOff, targets, tOff, weights, wOff,
                (float) weightSum, delta, ws.correct);
        ws.lastCorrect = ws.correct[0];
        ws.lastRows = rows;
        ws.lastWeight = weightSum;
        if (grad != null) {
            if (loss == Loss.MSE || loss == Loss.HUBER) {
                // G_L = 2(A − Y)/(B·n) ⊙ σ'(Z_L) (Huber: the clamped difference); cross-entropy and BCE deltas are
                // already ∂L/∂Z_L.
                kernels.activationBackward(activations[last], rows, n, derivativeInput(ws, last), 0, n, delta, 0, n);
            }
            backward(x, xOff, rows, grad, ws, null, 0, true);
            ws.step++;
            ws.rowIds = null;
        }
        return weightSum == 0.0 ? 0f : (float) (sum / loss.divisor(weightSum, n));
    }

    /**
     * Z_l = A_{l−1}·W_l + b_l, A_l = σ_l(Z_l), fused where the activation allows; a normalized layer normalizes Z
     * before σ; the output's Z_L is kept when the loss needs it, and Z (normalized) of SiLU and GELU layers for
     * their σ'. In training, a layer with dropout passes {@code A_l} with its mask applied ({@code ws.dropped[l]})
     * on; a layer ending a residual block passes its output plus the block's input ({@code ws.summed[l]}).
     */
    private void forward(float[] x, int xOff, int rows, Workspace ws, boolean keepOutputZ, boolean training) {
        float[] in = x;
        int inOff = xOff;
        int last = activations.length - 1;
        for (int l = 0; l <= last; l++) {
            int k = sizes[l];
            int n = sizes[l + 1];
            boolean keepZ = activations[l].needsPreactivation();
            if (l == last && (keepOutputZ || keepZ)) {
                kernels.sgemmBiasActivation(Transpose.NO, Transpose.NO, rows, n, k, in, inOff, k,
                        params, weightOff[l], n, params, biasOff[l], Activation.IDENTITY, ws.z, 0, n);
                kernels.activationForward(activations[l], rows, n, ws.z, 0, n, ws.act[l], 0, n);
            } else if (keepZ) {
                // SiLU, GELU: σ' needs Z (after the normalization, if any), kept in ws.preact[l]
                if (ws.preact[l] == null) {
                    ws.preact[l] = new float[ws.maxBatch * n];
                }
                boolean normalized = norms[l] != Normalization.NONE;
                kernels.sgemmBiasActivation(Transpose.NO, Transpose.NO, rows, n, k, in, inOff, k, params,
                        weightOff[l], n, params, biasOff[l], Activation.IDENTITY, normalized ? ws.act[l] : ws.preact[l],
                        0, n);
                if (normalized) { // in place in ws.act[l], then kept
                    if (norms[l] == Normalization.BATCH) {
                        batchNorm(l, rows, ws, training);
                    } else {
                        layerNorm(l, rows, ws);
                    }
                    System.arraycopy(ws.act[l], 0, ws.preact[l], 0, rows * n);
                }
                kernels.activationForward(activations[l], rows, n, ws.preact[l], 0, n, ws.act[l], 0, n);
            } else if (norms[l] != Normalization.NONE) {
                kernels.sgemmBiasActivation(Transpose.NO, Transpose.NO, rows, n, k, in, inOff, k,
                        params, weightOff[l], n, params, biasOff[l], Activation.IDENTITY, ws.act[l], 0, n);
                if (norms[l] == Normalization.BATCH) {
                    batchNorm(l, rows, ws, training);
                } else {
                    layerNorm(l, rows, ws);
                }
                if (activations[l].kind() != Activation.Kind.IDENTITY) {
                    kernels.activationForward(activations[l], rows, n, ws.act[l], 0, n, ws.act[l], 0, n);
                }
            } else if (packed != null) {
                kernels.sgemmBiasActivation(Transpose.NO, rows, n, k, in, inOff, k, packed[l], params, biasOff[l],
                        activations[l], ws.act[l], 0, n);
            } else {
                kernels.sgemmBiasActivation(Transpose.NO, Transpose.NO, rows, n, k, in, inOff, k,
                        params, weightOff[l], n, params, biasOff[l], activations[l], ws.act[l], 0, n);
            }
            in = ws.act[l];
            inOff = 0;
            if (training && dropout[l] > 0f) {
                if (ws.dropped[l] == null) {
                    ws.dropped[l] = new float[ws.maxBatch * n];
                }
                dropoutRowKeys(ws, l, rows);
                kernels.dropout(rows, n, dropout[l], ws.rowKeys, 0, ws.act[l], 0, n, ws.dropped[l], 0, n);
                in = ws.dropped[l];
            }
            if (residual[l] != NO_RESIDUAL) {
                if (ws.summed[l] == null) {
                    ws.summed[l] = new float[ws.maxBatch * n];
                }
                int src = residual[l];
                System.arraycopy(in, 0, ws.summed[l], 0, rows * n);
                kernels.axpy(rows * n, 1f, src == FROM_INPUT ? x : output(ws, src, training),
                        src == FROM_INPUT ? xOff : 0, ws.summed[l], 0);
                in = ws.summed[l];
            }
        }
    }

    /** What layer {@code l}'s σ' is evaluated from: its Z for SiLU and GELU (the output layer's in ws.z), else A. */
    private float[] derivativeInput(Workspace ws, int l) {
        if (!activations[l].needsPreactivation()) {
            return ws.act[l];
        }
        return l == activations.length - 1 ? ws.z : ws.preact[l];
    }

    /** Layer {@code l}'s output as the next layer reads it: with its residual sum, else dropped (training), else A. */
    private float[] output(Workspace ws, int l, boolean training) {
        return residual[l] != NO_RESIDUAL ? ws.summed[l] : training && dropout[l] > 0f ? ws.dropped[l] : ws.act[l];
    }

    /**
     * Batch normalization of layer {@code l}'s {@code Z} in {@code ws.act[l]}, in place: with the batch's
     * statistics in training (keeping {@code x̂} and {@code 1/√(σ²+ε)} for the backward pass, and updating the
     * running statistics), with the running statistics in inference.
     */
    private void batchNorm(int l, int rows, Workspace ws, boolean training) {
        int n = sizes[l + 1];
        if (ws.bnMean[l] == null) {
            ws.bnMean[l] = new float[n];
            ws.bnVar[l] = new float[n];
            ws.bnRstd[l] = new float[n];
            ws.xhat[l] = new float[ws.maxBatch * n];
        }
        float[] mean = ws.bnMean[l];
        float[] var = ws.bnVar[l];
        float[] rstd = ws.bnRstd[l];
        int rm = runMeanOff[l];
        int rv = runVarOff[l];
        if (training) {
            kernels.columnMeanAndVariance(rows, n, ws.act[l], 0, n, mean, 0, var, 0);
            float keep = 1f - BATCH_NORM_MOMENTUM;
            float unbias = (float) rows / (rows - 1);
            for (int j = 0; j < n; j++) {
                rstd[j] = (float) (1.0 / Math.sqrt((double) var[j] + BATCH_NORM_EPSILON));
                running[rm + j] = keep * running[rm + j] + BATCH_NORM_MOMENTUM * mean[j];
                running[rv + j] = keep * running[rv + j] + BATCH_NORM_MOMENTUM * (var[j] * unbias);
            }
            kernels.normalizeColumns(rows, n, ws.act[l], 0, n, mean, 0, rstd, 0, params, gammaOff[l], params,
                    betaOff[l], ws.xhat[l], 0, n, ws.act[l], 0, n);
        } else {
            for (int j = 0; j < n; j++) {
                rstd[j] = (float) (1.0 / Math.sqrt((double) running[rv + j] + BATCH_NORM_EPSILON));
            }
            kernels.normalizeColumns(rows, n, ws.act[l], 0, n, running, rm, rstd, 0, params, gammaOff[l], params,
                    betaOff[l], null, 0, 0, ws.act[l], 0, n);
        }
    }

    /** Layer normalization of layer {@code l}'s {@code Z} in {@code ws.act[l]}, in place, keeping x̂ and each row's 1/σ. */
    private void layerNorm(int l, int rows, Workspace ws) {
        int n = sizes[l + 1];
        if (ws.xhat[l] == null) {
            ws.bnMean[l] = new float[n];
            ws.bnVar[l] = new float[n];
            ws.bnRstd[l] = new float[ws.maxBatch];
            ws.xhat[l] = new float[ws.maxBatch * n];
        }
        kernels.layerNorm(rows, n, LAYER_NORM_EPSILON, ws.act[l], 0, n, params, gammaOff[l], params, betaOff[l],
                ws.xhat[l], 0, n, ws.bnRstd[l], 0, ws.act[l], 0, n);
    }

    /** The row keys of dense layer {@code layer}'s dropout in the current training pass into {@code ws.rowKeys}. */
    private static void dropoutRowKeys(Workspace ws, int layer, int rows) {
        long base = layerKey(ws.seed, ws.step, layer);
        for (int r = 0; r < rows; r++) {
            ws.rowKeys[r] = rowKey(base, ws.rowIds == null ? r : ws.rowIds[ws.rowIdsOff + r]);
        }
    }

    private static long layerKey(long seed, long step, int layer) {
        return Rng.mix(Rng.mix(Rng.mix(seed) + step) + layer);
    }

    private static int rowKey(long layerKey, int rowId) {
        return (int) (Rng.mix(layerKey + rowId) >>> 32);
    }

    /**
     * The key of a row's dropout mask ({@link Kernels#dropout}) in dense layer {@code layer} of a training pass:
     * {@code mix(mix(mix(mix(seed) + step) + layer) + rowId)}, the top 32 bits, where {@code mix} is SplitMix64's
     * output function of {@code z + 0x9E3779B97F4A7C15}. Column {@code j} of the row is kept when
     * {@link Kernels#dropoutKeeps}{@code (key, j, Kernels.dropoutThreshold(p))}.
     */
    public static int dropoutRowKey(long seed, long step, int layer, int rowId) {
        return rowKey(layerKey(seed, step, layer), rowId);
    }

    /**
     * Backpropagation from {@code G_L} in {@code ws.deltaA} (MATH.md): {@code dW_l = A_{l−1}ᵀ·G_l} (TN),
     * {@code db_l = Σ_rows G_l}, {@code G_{l−1} = (G_l·W_lᵀ) ⊙ σ'_{l−1}} (NT); in training, where dropout
     * follows layer {@code l−1}, {@code A_{l−1}} is its dropped output and {@code G_l·W_lᵀ} gets the same mask
     * before {@code σ'}. Parameter gradients go to
     * {@code grad} unless null; the input's signal {@code G_0} is computed only if {@code inputGrad != null}.
     */
    private void backward(float[] x, int xOff, int rows, float[] grad, Workspace ws, float[] inputGrad, int igOff,
                          boolean training) {
        float[] g = ws.deltaA;
        float[] other = ws.deltaB;
        Arrays.fill(ws.skipPending, false);
        for (int l = activations.length - 1; l >= 0; l--) {
            int k = sizes[l];
            int n = sizes[l + 1];
            if (norms[l] == Normalization.LAYER) {
                // ∂L/∂Y → ∂L/∂Z; an inference pass (Jacobians) puts dγ, dβ in scratch
                kernels.layerNormBackward(rows, n, ws.xhat[l], 0, n, params, gammaOff[l], ws.bnRstd[l], 0, g, 0, n,
                        training ? grad : ws.bnMean[l], training ? gammaOff[l] : 0, training ? grad : ws.bnVar[l],
                        training ? betaOff[l] : 0);
            } else if (norms[l] == Normalization.BATCH) {
                // G arrives as ∂L/∂Y (after the normalization, before σ); make it ∂L/∂Z.
                if (training) {
                    kernels.normalizeColumnsBackward(rows, n, ws.xhat[l], 0, n, params, gammaOff[l], ws.bnRstd[l], 0,
                            g, 0, n, grad, gammaOff[l], grad, betaOff[l]);
                } else {
                    // inference (Jacobians): Y is affine in Z, ∂Y/∂Z = γ/√(σ²_running + ε) per column
                    float[] rstd = ws.bnRstd[l];
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < n; j++) {
                            g[i * n + j] *= params[gammaOff[l] + j] * rstd[j];
                        }
                    }
                }
            }
            boolean droppedBefore = l > 0 && training && dropout[l - 1] > 0f;
            float[] aPrev = l == 0 ? x : output(ws, l - 1, training);
            int aPrevOff = l == 0 ? xOff : 0;
            if (grad != null) {
                // dW_l = A_{l−1}ᵀ · G_l (TN: A read transposed, no copy)
                kernels.sgemm(Transpose.YES, Transpose.NO, k, n, rows, 1f, aPrev, aPrevOff, k, g, 0, n,
                        0f, grad, weightOff[l], n);
                // db_l = Σ_rows G_l
                kernels.columnSums(rows, n, g, 0, n, grad, biasOff[l]);
            }
            if (l > 0) {
                // G_{l−1} = (G_l · W_lᵀ) ⊙ σ'_{l−1}(A_{l−1}) (NT: W read transposed)
                kernels.sgemm(Transpose.NO, Transpose.YES, rows, k, n, 1f, g, 0, n, params, weightOff[l], n,
                        0f, other, 0, k);
                // ∂L/∂(output of l−1): the residual connections it feeds, then those it ends with
                residualBackward(ws, l - 1, rows, k, other);
                if (droppedBefore) {
                    // the same mask, from the same keys, on the signal: ∂/∂A = ∂/∂D ⊙ mask / (1 − p)
                    dropoutRowKeys(ws, l - 1, rows);
                    kernels.dropout(rows, k, dropout[l - 1], ws.rowKeys, 0, other, 0, k, other, 0, k);
                }
                kernels.activationBackward(activations[l - 1], rows, k, derivativeInput(ws, l - 1), 0, k, other, 0, k);
                float[] t = g;
                g = other;
                other = t;
            } else if (inputGrad != null) {
                // G_0 = G_1 · W_1ᵀ: only for Jacobians; training skips it.
                kernels.sgemm(Transpose.NO, Transpose.YES, rows, k, n, 1f, g, 0, n, params, weightOff[l], n,
                        0f, inputGrad, igOff, k);
                if (ws.skipPending[0]) {
                    kernels.axpy(rows * k, 1f, ws.skipGrad[0], 0, inputGrad, igOff);
                }
            }
        }
    }

    /**
     * For {@code signal = ∂L/∂(output of layer s)} from the layer after it: adds what residual connections from
     * {@code s} received, and, if {@code s} ends a residual block, passes the total on to that block's source
     * ({@code ws.skipGrad[source + 1]}, set by the first connection and added to by others).
     */
    private void residualBackward(Workspace ws, int s, int rows, int width, float[] signal) {
        if (ws.skipPending[s + 1]) {
            kernels.axpy(rows * width, 1f, ws.skipGrad[s + 1], 0, signal, 0);
        }
        int src = residual[s];
        if (src != NO_RESIDUAL) {
            int slot = src + 1;
            if (ws.skipGrad[slot] == null) {
                ws.skipGrad[slot] = new float[ws.maxBatch * width];
            }
            if (ws.skipPending[slot]) {
                kernels.axpy(rows * width, 1f, signal, 0, ws.skipGrad[slot], 0);
            } else {
                System.arraycopy(signal, 0, ws.skipGrad[slot], 0, rows * width);
                ws.skipPending[slot] = true;
            }
        }
    }

    // ------------------------------------------------------------------ checks

    private int checkLayer(int layer) {
        if (layer < 0 || layer >= activations.length) {
            throw new IllegalArgumentException("layer must be in [0, " + activations.length + "): " + layer);
        }
        return layer;
    }

    private void checkWorkspace(Workspace ws) {
        Objects.requireNonNull(ws, "ws");
        if (!Arrays.equals(ws.sizes, sizes)) {
            throw new IllegalArgumentException("ws was made for layer sizes " + Arrays.toString(ws.sizes)
                    + ", not " + Arrays.toString(sizes));
        }
    }

    private void checkInput(float[] x, int xOff, int rows, Workspace ws) {
        checkWorkspace(ws);
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1: " + rows);
        }
        if (rows > ws.maxBatch) {
            throw new IllegalArgumentException("rows " + rows + " exceeds the workspace's maxBatch " + ws.maxBatch);
        }
        checkRegion("x", x, xOff, rows, inputSize());
        checkFiniteRegion(x, xOff, rows, inputSize());
    }

    private void checkFiniteRegion(float[] x, int xOff, int rows, int cols) {
        // One vectorized pass: Σx² is finite unless some x is NaN or ±∞ (or the sum overflows, a false alarm
        // that the exact scan below then clears). Keeps the check at a few µs per training batch.
        if (Float.isFinite(kernels.sumOfSquares(rows * cols, x, xOff))) {
            return;
        }
        int end = xOff + rows * cols;
        for (int i = xOff; i < end; i++) {
            if (!Float.isFinite(x[i])) {
                int rel = i - xOff;
                throw new IllegalArgumentException("x[row " + rel / cols + ", column " + rel % cols
                        + "] must be finite: " + x[i]);
            }
        }
    }

    /** The row weights set on {@code ws} ({@link Workspace#setRowWeights}), if any: in bounds, finite, >= 0. */
    private static void checkWeights(Workspace ws, int rows) {
        float[] w = ws.weights;
        if (w == null) {
            return;
        }
        int off = ws.weightsOff;
        if ((long) off + rows > w.length) {
            throw new IllegalArgumentException("row weights: " + rows + " values from offset " + off
                    + " exceed length " + w.length);
        }
        for (int i = off; i < off + rows; i++) {
            if (!(w[i] >= 0f) || w[i] == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("row weights[" + i + "] must be finite and >= 0: " + w[i]);
            }
        }
    }

    private void checkLabels(int[] labels, int lOff, int rows) {
        Objects.requireNonNull(labels, "labels");
        if (lOff < 0 || (long) lOff + rows > labels.length) {
            throw new IllegalArgumentException("labels: " + rows + " values from offset " + lOff
                    + " exceed length " + labels.length);
        }
        int classes = numClasses();
        for (int i = 0; i < rows; i++) {
            int label = labels[lOff + i];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("labels[" + (lOff + i) + "] must be in [0, " + classes + "): " + label);
            }
        }
    }

    private void checkTargets(float[] targets, int tOff, int rows) {
        int n = outputSize();
        checkRegion("targets", targets, tOff, rows, n);
        int end = tOff + rows * n;
        for (int i = tOff; i < end; i++) {
            if (!Float.isFinite(targets[i])) {
                int rel = i - tOff;
                throw new IllegalArgumentException("targets[row " + rel / n + ", column " + rel % n
                        + "] must be finite: " + targets[i]);
            }
        }
    }

    private void checkTrainingPass(Workspace ws, int rows) {
        if (rows < 2) {
            for (int l = 0; l < norms.length; l++) {
                if (norms[l] == Normalization.BATCH) {
                    throw new IllegalArgumentException("rows must be >= 2 in a training pass of a network with batch "
                            + "normalization (layer " + l + " normalizes with the batch's statistics): " + rows);
                }
            }
        }
        if (ws.rowIds != null && (long) ws.rowIdsOff + rows > ws.rowIds.length) {
            throw new IllegalArgumentException("the row ids set by ws.setTrainingPass: " + rows + " ids from offset "
                    + ws.rowIdsOff + " exceed length " + ws.rowIds.length);
        }
    }

    private void checkGrad(float[] grad) {
        Objects.requireNonNull(grad, "grad");
        if (grad.length != params.length) {
            throw new IllegalArgumentException("grad.length must be parameterCount() = " + params.length + ": "
                    + grad.length);
        }
    }

    private static void checkRegion(String name, float[] a, int off, int rows, int cols) {
        Objects.requireNonNull(a, name);
        if (off < 0) {
            throw new IllegalArgumentException(name + " offset must be >= 0: " + off);
        }
        long end = off + (long) rows * cols;
        if (end > a.length) {
            throw new IllegalArgumentException(name + ": " + rows + " rows of " + cols + " values from offset " + off
                    + " need length " + end + ": " + a.length);
        }
    }

    private static void checkExactLength(String name, float[] a, int rows, int cols) {
        Objects.requireNonNull(a, name);
        if (a.length != (long) rows * cols) {
            throw new IllegalArgumentException(name + ".length must be rows*" + cols + " = " + (long) rows * cols
                    + ": " + a.length);
        }
    }

    private static void checkFinite(String name, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite: " + values[i]);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Mlp[").append(sizes[0]);
        for (int l = 0; l < activations.length; l++) {
            sb.append(" -> ").append(sizes[l + 1]).append(norms[l] == Normalization.BATCH ? " batch-norm "
                    : norms[l] == Normalization.LAYER ? " layer-norm " : " ")
                    .append(activations[l]);
            if (dropout[l] > 0f) {
                sb.append(" dropout ").append(dropout[l]);
            }
            if (residual[l] != NO_RESIDUAL) {
                sb.append(" + ").append(residual[l] == FROM_INPUT ? "input" : "layer " + residual[l]);
            }
        }
        return sb.append(", ").append(loss).append(", ").append(params.length).append(" parameters]").toString();
    }

    // ------------------------------------------------------------------ builder

    /**
     * Builds an {@link Mlp} layer by layer. Defaults: loss {@link Loss#defaultFor} the output activation,
     * initialisation {@link Init#defaultFor} each layer's activation, seed 0, {@link Kernels#get()}.
     * Not thread-safe.
     */
    public static final class Builder {
        private int input = -1;
        private final List<Integer> widths = new ArrayList<>();
        private final List<Activation> acts = new ArrayList<>();
        private final List<Init> inits = new ArrayList<>();
        private final List<Float> drops = new ArrayList<>();
        private final List<Normalization> normList = new ArrayList<>();
        private final List<Integer> residualList = new ArrayList<>();
        private Loss loss;
        private Init init;
        private long seed;
        private Kernels kernels;

        private Builder() {
        }

        /** The input width {@code n_0 ≥ 1}. */
        public Builder input(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("input size must be >= 1: " + size);
            }
            this.input = size;
            return this;
        }

        /** Appends a dense layer of {@code units ≥ 1} outputs with activation {@code activation}. */
        public Builder dense(int units, Activation activation) {
            return dense(units, activation, null);
        }

        /** Appends a dense layer with its own initialisation (null: the builder's or the activation's default). */
        public Builder dense(int units, Activation activation, Init layerInit) {
            if (units < 1) {
                throw new IllegalArgumentException("units of layer " + widths.size() + " must be >= 1: " + units);
            }
            Objects.requireNonNull(activation, "activation");
            widths.add(units);
            acts.add(activation);
            inits.add(layerInit);
            drops.add(0f);
            normList.add(Normalization.NONE);
            residualList.add(NO_RESIDUAL);
            return this;
        }

        /**
         * Makes the last {@code blockLayers ≥ 1} dense layers a residual block: the last one's output (after its
         * activation and dropout) adds the block's input, the output of the layer before the block (or the
         * network's input), which must have the same width: {@code x + f(x)}. With {@code .dense(h, RELU)
         * .dropout(p).dense(d, IDENTITY).dropout(p).residual(2)} after a layer of width {@code d}, this is the
         * ResNet block of Gorishniy et al. (2021) without its leading normalization. Not allowed on the output
         * layer ({@link #build} says so).
         *
         * @throws IllegalStateException    if fewer than {@code blockLayers} dense layers were added
         * @throws IllegalArgumentException if the widths differ, naming both
         */
        public Builder residual(int blockLayers) {
            if (blockLayers < 1) {
                throw new IllegalArgumentException("blockLayers must be >= 1: " + blockLayers);
            }
            if (widths.size() < blockLayers) {
                throw new IllegalStateException("residual(" + blockLayers + ") needs " + blockLayers
                        + " dense layers before it: " + widths.size());
            }
            int last = widths.size() - 1;
            int src = last - blockLayers;
            int from = src < 0 ? input : widths.get(src);
            if (from != widths.get(last)) {
                throw new IllegalArgumentException("residual(" + blockLayers + ") adds " + (src < 0 ? "the input"
                        : "layer " + src + "'s output") + " of width " + from + " to layer " + last + "'s output of width "
                        + widths.get(last));
            }
            residualList.set(last, src < 0 ? FROM_INPUT : src);
            return this;
        }

        /**
         * Batch normalization of the last dense layer added, between its product and its activation (PyTorch's
         * {@code Linear → BatchNorm1d → activation}; see {@link Normalization#BATCH}): {@code γ} starts at 1,
         * {@code β} at 0, the running mean at 0 and the running variance at 1. Not allowed on the output layer
         * ({@link #build} says so).
         *
         * @throws IllegalStateException if no dense layer was added yet
         */
        public Builder batchNorm() {
            if (widths.isEmpty()) {
                throw new IllegalStateException("batchNorm() needs a dense layer before it");
            }
            normList.set(normList.size() - 1, Normalization.BATCH);
            return this;
        }

        /**
         * Layer normalization of the last dense layer added, between its product and its activation (PyTorch's
         * {@code Linear → LayerNorm → activation}; see {@link Normalization#LAYER}): {@code γ} starts at 1,
         * {@code β} at 0. Not allowed on the output layer, nor on a layer of width 1 (whose normalized value is
         * always 0).
         *
         * @throws IllegalStateException if no dense layer was added yet
         * @throws IllegalArgumentException if the last dense layer has width 1
         */
        public Builder layerNorm() {
            if (widths.isEmpty()) {
                throw new IllegalStateException("layerNorm() needs a dense layer before it");
            }
            int width = widths.get(widths.size() - 1);
            if (width < 2) {
                throw new IllegalArgumentException("layerNorm() of layer " + (widths.size() - 1)
                        + " needs a width >= 2 (a single value normalizes to 0): " + width);
            }
            normList.set(normList.size() - 1, Normalization.LAYER);
            return this;
        }

        /**
         * Inverted dropout after the last dense layer added: in training passes each of its activations is
         * zeroed with probability {@code p} and the others scaled by {@code 1 / (1 − p)}; inference passes
         * leave them unchanged. Not allowed after the output layer ({@link #build} says so).
         *
         * @param p the drop probability, in {@code [0, 1)}
         * @throws IllegalStateException if no dense layer was added yet
         */
        public Builder dropout(float p) {
            if (widths.isEmpty()) {
                throw new IllegalStateException("dropout(" + p + ") needs a dense layer before it");
            }
            if (!(p >= 0f && p < 1f)) {
                throw new IllegalArgumentException("dropout p of layer " + (widths.size() - 1)
                        + " must be in [0, 1): " + p);
            }
            drops.set(drops.size() - 1, p);
            return this;
        }

        /** The loss (default: {@link Loss#defaultFor} the output activation). */
        public Builder loss(Loss loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            return this;
        }

        /** The initialisation of every layer without its own (default: {@link Init#defaultFor} each activation). */
        public Builder init(Init init) {
            this.init = Objects.requireNonNull(init, "init");
            return this;
        }

        /** The seed of the initial weights (default 0); the same seed gives the same bits. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The kernels (default {@link Kernels#get()}). */
        public Builder kernels(Kernels kernels) {
            this.kernels = Objects.requireNonNull(kernels, "kernels");
            return this;
        }

        /**
         * The network, with weights drawn from {@code Rng(seed)} layer by layer (W row-major) and zero biases.
         *
         * @throws IllegalStateException if the input or the layers are missing
         * @throws IllegalArgumentException if the loss does not fit the output activation
         */
        public Mlp build() {
            if (input < 1) {
                throw new IllegalStateException("input(size) was not set");
            }
            if (widths.isEmpty()) {
                throw new IllegalStateException("no dense layer was added");
            }
            int[] sizes = new int[widths.size() + 1];
            sizes[0] = input;
            for (int l = 0; l < widths.size(); l++) {
                sizes[l + 1] = widths.get(l);
            }
            Activation[] a = acts.toArray(new Activation[0]);
            Loss chosen = loss != null ? loss : Loss.defaultFor(a[a.length - 1]);
            float[] d = new float[a.length];
            for (int l = 0; l < d.length; l++) {
                d[l] = drops.get(l);
            }
            int[] res = new int[a.length];
            for (int l = 0; l < res.length; l++) {
                res[l] = residualList.get(l);
            }
            Mlp mlp = create(sizes, a, d, normList.toArray(new Normalization[0]), res, chosen,
                    kernels != null ? kernels : Kernels.get());
            Rng rng = new Rng(seed);
            for (int l = 0; l < a.length; l++) {
                Init li = inits.get(l) != null ? inits.get(l) : init != null ? init : Init.defaultFor(a[l]);
                li.fill(mlp.params, mlp.weightOff[l], sizes[l], sizes[l + 1], rng);
                if (mlp.gammaOff[l] >= 0) {
                    Arrays.fill(mlp.params, mlp.gammaOff[l], mlp.gammaOff[l] + sizes[l + 1], 1f);
                }
            }
            return mlp;
        }
    }
}
