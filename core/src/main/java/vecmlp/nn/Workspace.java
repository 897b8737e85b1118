package vecmlp.nn;

/**
 * The scratch memory of one thread's forward and backward passes through networks of one architecture,
 * sized once for at most {@link #maxBatch()} rows: the activations {@code A_l} of every layer, the output
 * pre-activations {@code Z_L} (for the stable losses), two error-signal buffers {@code G} that the
 * backward pass alternates between, and, for a network with dropout, its layers' outputs after dropout and
 * what the next training pass draws its masks from ({@link #setTrainingPass}). Hidden pre-activations are never stored: every σ' is evaluated from
 * {@code A} (see {@link vecmlp.kernel.Activation}).
 *
 * <p>Not thread-safe: give each thread its own workspace. A workspace may be shared by several
 * {@link Mlp}s of the same layer sizes (e.g. copies of one model), one call at a time.
 */
public final class Workspace {

    final int[] sizes;
    final int maxBatch;
    /** {@code act[l]}: activations of dense layer {@code l} (MATH.md's {@code A_{l+1}}), {@code maxBatch × n_{l+1}}. */
    final float[][] act;
    /** Output pre-activations {@code Z_L}, {@code maxBatch × n_L}. */
    final float[] z;
    final float[] deltaA;
    final float[] deltaB;
    /** Replicated inputs for Jacobians, allocated at first use. */
    float[] jacobianInput;
    /** {@code dropped[l]}: layer {@code l}'s activations after dropout, allocated at the first training pass with it. */
    final float[][] dropped;
    /** Per batch-normalized layer, allocated at first use: batch mean, variance, 1/√(σ²+ε), and x̂ (maxBatch × n). */
    final float[][] bnMean;
    final float[][] bnVar;
    final float[][] bnRstd;
    final float[][] xhat;
    /** Per SiLU or GELU layer: its pre-activations (after its normalization), for σ' (allocated at first use). */
    final float[][] preact;
    /** Per layer ending a residual block: its output plus the block's input (allocated at first use). */
    final float[][] summed;
    /** Per residual source (index + 1; 0 the input): the signal its connections carry back, and whether set. */
    final float[][] skipGrad;
    final boolean[] skipPending;
    /** One layer's dropout row keys ({@link Mlp#dropoutRowKey}) for the current pass. */
    final int[] rowKeys;
    long seed;
    long step;
    int[] rowIds;
    int rowIdsOff;
    /** Row weights of the next loss evaluation (null: unweighted). */
    float[] weights;
    int weightsOff;
    final int[] correct = new int[1];
    int lastCorrect;
    int lastRows;
    double lastWeight;

    Workspace(int[] sizes, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1: " + maxBatch);
        }
        int layers = sizes.length - 1;
        int maxWidth = 0;
        for (int l = 1; l <= layers; l++) {
            maxWidth = Math.max(maxWidth, sizes[l]);
        }
        long cells = (long) maxBatch * maxWidth;
        if (cells > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxBatch " + maxBatch + " times the widest layer " + maxWidth
                    + " exceeds the largest array");
        }
        this.sizes = sizes;
        this.maxBatch = maxBatch;
        this.act = new float[layers][];
        for (int l = 0; l < layers; l++) {
            act[l] = new float[maxBatch * sizes[l + 1]];
        }
        this.z = new float[maxBatch * sizes[layers]];
        this.deltaA = new float[(int) cells];
        this.deltaB = new float[(int) cells];
        this.dropped = new float[layers][];
        this.bnMean = new float[layers][];
        this.bnVar = new float[layers][];
        this.bnRstd = new float[layers][];
        this.xhat = new float[layers][];
        this.summed = new float[layers][];
        this.preact = new float[layers][];
        this.skipGrad = new float[layers + 1][];
        this.skipPending = new boolean[layers + 1];
        this.rowKeys = new int[maxBatch];
    }

    /**
     * Sets what the dropout masks of the next training pass ({@code Mlp.computeGradient}) with this workspace
     * are drawn from: the masks are a function of {@code seed}, {@code step}, the layer and each row's id
     * alone ({@link Mlp#dropoutRowKey}), never of the thread count, the batch split or the timing. Row
     * {@code r} of the batch has id {@code rowIds[off + r]} (e.g. its index in the data set, so that any
     * partitioning of the data draws the same mask for it), or its position {@code r} if {@code rowIds} is null.
     * After each training pass the step advances by one and the ids revert to positions, so a loop that never
     * calls this still draws new masks at every step. The array is read by the next pass, not copied.
     *
     * @throws IllegalArgumentException if {@code off < 0} or {@code step < 0}
     */
    public void setTrainingPass(long seed, long step, int[] rowIds, int off) {
        if (off < 0) {
            throw new IllegalArgumentException("off must be >= 0: " + off);
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0: " + step);
        }
        this.seed = seed;
        this.step = step;
        this.rowIds = rowIds;
        this.rowIdsOff = off;
    }

    /**
     * Weights the rows of the next loss evaluation ({@code Mlp.computeGradient} or {@code Mlp.evaluateLoss})
     * with this workspace: row {@code r} of that batch counts with weight {@code weights[off + r]}, and its loss
     * is the weighted mean {@code Σ w_r ℓ_r / Σ w_r} (for losses averaged over outputs too, divided by the
     * output count as well), as PyTorch's {@code CrossEntropyLoss(weight=…)} averages with class weights. Each
     * weight must be finite and {@code >= 0} (checked by that evaluation, before anything is computed); a
     * batch whose weights are all 0 has loss 0 and a zero gradient. After the evaluation the rows revert to
     * weight 1. The array is read by the next evaluation, not copied.
     *
     * @throws IllegalArgumentException if {@code off < 0}
     */
    public void setRowWeights(float[] weights, int off) {
        if (off < 0) {
            throw new IllegalArgumentException("off must be >= 0: " + off);
        }
        this.weights = weights;
        this.weightsOff = off;
    }

    /** The step of the next training pass's dropout masks (see {@link #setTrainingPass}). */
    public long trainingStep() {
        return step;
    }

    /** The largest batch (rows) this workspace holds. */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * How many of the rows of the last loss evaluation ({@code computeGradient} or {@code evaluateLoss}) were
     * classified correctly: argmax of the output equals the label (one output unit: output {@code > 0.5}
     * equals label 1); with real targets, the argmax of the target row (one unit: target {@code > 0.5}).
     */
    public int lastCorrect() {
        return lastCorrect;
    }

    /** The rows of the last loss evaluation. */
    public int lastRows() {
        return lastRows;
    }

    /** The sum of the row weights of the last loss evaluation: its row count if unweighted. */
    public double lastWeight() {
        return lastWeight;
    }

    /**
     * The activations of dense layer {@code layer} (0-based) from the last forward pass, row-major
     * {@code rows × layerSizes[layer + 1]} from index 0 (the live buffer; valid until the next call).
     */
    public float[] activations(int layer) {
        return act[layer];
    }
}
