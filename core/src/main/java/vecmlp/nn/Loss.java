package vecmlp.nn;

import vecmlp.kernel.Activation;

/**
 * The loss {@code L = mean ℓ} of a network's output, each paired with the output activation that gives it
 * a simple fused error signal {@code G_L = ∂L/∂Z_L} (MATH.md, backpropagation). Targets are either a
 * class label per row (one-hot; for a single output unit the label 0 or 1 is the target value) or a row of
 * real targets.
 */
public enum Loss {
    /**
     * Softmax cross-entropy, {@code ℓ = −Σ_j y_j log softmax(z)_j}, evaluated from the pre-activations as
     * {@code lse(z)·Σy − Σ y_j z_j} (log-sum-exp, stable for any logits). Requires a {@link Activation#SOFTMAX}
     * output with at least 2 units; averaged over the {@code B} rows; {@code G_L = (softmax(Z) − Y) / B} for rows
     * of probabilities (in general {@code ((Σ_j y_j)·softmax(Z) − Y) / B}).
     */
    CROSS_ENTROPY,
    /**
     * Mean squared error over all {@code B·n_L} outputs, {@code L = Σ (a − y)² / (B·n_L)}, with any output
     * activation except softmax; {@code G_L = 2 (A − Y) / (B·n_L) ⊙ σ'(Z_L)} (identity: no factor).
     */
    MSE,
    /**
     * Binary cross-entropy on sigmoid outputs, averaged over all {@code B·n_L} outputs (multi-label), in the
     * stable form {@code ℓ = max(z, 0) − z·y + log(1 + e^−|z|)}. Requires a {@link Activation#SIGMOID}
     * output; {@code G_L = (σ(Z) − Y) / (B·n_L)}.
     */
    BINARY_CROSS_ENTROPY,
    /**
     * Huber loss with {@code δ = 1} (PyTorch's {@code HuberLoss()}, equal to {@code SmoothL1Loss()}) over all
     * {@code B·n_L} outputs, for regression that outliers should not dominate: {@code ℓ = d²/2} where
     * {@code |d| ≤ 1}, else {@code |d| − 1/2}, with {@code d = a − y}; any output activation except softmax;
     * {@code G_L = clamp(A − Y, −1, 1) / (B·n_L) ⊙ σ'(Z_L)}.
     */
    HUBER;

    /** The loss a builder picks when none is given: cross-entropy for softmax, BCE for sigmoid, MSE otherwise. */
    public static Loss defaultFor(Activation output) {
        switch (output.kind()) {
            case SOFTMAX:
                return CROSS_ENTROPY;
            case SIGMOID:
                return BINARY_CROSS_ENTROPY;
            default:
                return MSE;
        }
    }

    /**
     * Checks that this loss can follow {@code output} with {@code units} output units.
     *
     * @throws IllegalArgumentException naming the activation and units if not
     */
    public void checkCompatible(Activation output, int units) {
        switch (this) {
            case CROSS_ENTROPY:
                if (output.kind() != Activation.Kind.SOFTMAX || units < 2) {
                    throw new IllegalArgumentException("cross_entropy needs a softmax output with >= 2 units: "
                            + output + " with " + units + " units");
                }
                break;
            case BINARY_CROSS_ENTROPY:
                if (output.kind() != Activation.Kind.SIGMOID) {
                    throw new IllegalArgumentException("binary_cross_entropy needs a sigmoid output: " + output);
                }
                break;
            case MSE:
            case HUBER:
                if (output.kind() == Activation.Kind.SOFTMAX) {
                    throw new IllegalArgumentException(this + " does not take a softmax output (use cross_entropy): "
                            + output);
                }
                break;
            default:
                throw new AssertionError(this);
        }
    }

    /** Lower-case name, e.g. {@code cross_entropy}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Looks a loss up by its name ({@code cross_entropy, mse, binary_cross_entropy, huber}, any case). */
    public static Loss of(String name) {
        java.util.Objects.requireNonNull(name, "name");
        try {
            return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown loss: '" + name + "'", e);
        }
    }

    /**
     * Label smoothing: the target rows {@code (1 − ε)·onehot(c) + ε/k} of {@code rows} class labels from
     * {@code labels[lOff]}, written to {@code targets[0 .. rows·k)} (PyTorch's {@code label_smoothing}). Training
     * on them with cross-entropy is training with smoothed labels. Unchecked: labels in {@code [0, k)}.
     */
    public static void smoothedTargets(int[] labels, int lOff, int rows, int k, float epsilon, float[] targets) {
        float off = epsilon / k;
        float on = (1f - epsilon) + off;
        java.util.Arrays.fill(targets, 0, rows * k, off);
        for (int r = 0; r < rows; r++) {
            targets[r * k + labels[lOff + r]] = on;
        }
    }

    // ------------------------------------------------------------------ evaluation (unchecked, no allocation)

    /**
     * Sums {@code w_i·ℓ_i} over {@code rows} rows of {@code n} outputs and, if {@code delta != null}, writes
     * {@code G_L} before the output activation's derivative (the caller applies σ' for MSE). Targets come
     * from {@code labels} (if not null) or {@code targets}; row weights {@code w_i} from {@code weights} (if
     * not null; else 1), whose sum is {@code weightSum} ({@code rows} unweighted): the loss is
     * {@code Σ w_i ℓ_i / (weightSum · (n or 1))}, so {@code G_L} rows are scaled by {@code w_i / weightSum}
     * (none if {@code weightSum} is 0). Returns the weighted sum in double (not yet divided), and stores the
     * number of correct predictions in {@code correct[0]}.
     */
    double evaluate(int rows, int n, float[] z, float[] a, int[] labels, int lOff, float[] targets, int tOff,
                    float[] weights, int wOff, float weightSum, float[] delta, int[] correct) {
        double sum = 0.0;
        correct[0] = 0;
        float scale = weightSum == 0f ? 0f
                : this == CROSS_ENTROPY ? 1f / weightSum : (this == MSE ? 2f : 1f) / (weightSum * n);
        for (int i = 0; i < rows; i++) {
            float w = weights == null ? 1f : weights[wOff + i];
            // Unweighted: one running sum, as always; weighted: each row's sum, then its weighted add.
            double rowSum = row(i, n, z, a, labels, lOff, targets, tOff, scale * w, weights == null ? sum : 0.0,
                    delta, correct);
            sum = weights == null ? rowSum : sum + w * rowSum;
        }
        return sum;
    }

    /**
     * Row {@code i} of {@link #evaluate}: returns {@code start} plus the row's loss, writes its {@code G_L}
     * scaled by {@code rowScale} if {@code delta != null}, and counts a correct prediction in
     * {@code correct[0]}. A method of its own, so that a call loops over one row: HotSpot compiles it, and
     * {@link #evaluate}, without first compiling a copy for a loop already running (on-stack replacement).
     */
    private double row(int i, int n, float[] z, float[] a, int[] labels, int lOff, float[] targets, int tOff,
                       float rowScale, double start, float[] delta, int[] correct) {
        double rowSum = start;
        int r = i * n;
        int label = labels != null ? labels[lOff + i] : -1;
        int t = tOff + r;
        double ySum = 1.0;
        int predicted = n == 1 ? (a[r] > 0.5f ? 1 : 0) : argmax(a, r, n);
        int truth;
        if (labels != null) {
            truth = label;
        } else {
            truth = n == 1 ? (targets[t] > 0.5f ? 1 : 0) : argmax(targets, t, n);
        }
        if (predicted == truth) {
            correct[0]++;
        }
        switch (this) {
            case CROSS_ENTROPY: {
                // lse(z) = z_j − log s_j for any j; at j = argmax z, s_j ≥ 1/n, so the log is finite.
                int jMax = argmax(z, r, n);
                double lse = (double) z[r + jMax] - Math.log(a[r + jMax]);
                if (labels != null) {
                    rowSum += lse - z[r + label];
                } else {
                    ySum = 0.0;
                    double yz = 0.0;
                    for (int j = 0; j < n; j++) {
                        ySum += targets[t + j];
                        yz += (double) targets[t + j] * z[r + j];
                    }
                    rowSum += lse * ySum - yz;
                }
                break;
            }
            case MSE:
                for (int j = 0; j < n; j++) {
                    double d = (double) a[r + j] - target(labels, label, targets, t, n, j);
                    rowSum += d * d;
                }
                break;
            case BINARY_CROSS_ENTROPY:
                for (int j = 0; j < n; j++) {
                    double zz = z[r + j];
                    double y = target(labels, label, targets, t, n, j);
                    rowSum += Math.max(zz, 0.0) - zz * y + Math.log1p(Math.exp(-Math.abs(zz)));
                }
                break;
            case HUBER:
                for (int j = 0; j < n; j++) {
                    double d = Math.abs((double) a[r + j] - target(labels, label, targets, t, n, j));
                    rowSum += d <= 1.0 ? 0.5 * d * d : d - 0.5;
                }
                break;
            default:
                throw new AssertionError(this);
        }
        if (delta != null && this == HUBER) {
            for (int j = 0; j < n; j++) {
                float d = a[r + j] - target(labels, label, targets, t, n, j);
                delta[r + j] = rowScale * Math.max(-1f, Math.min(1f, d));
            }
        } else if (delta != null) {
            // Cross-entropy: ∂ℓ/∂z = (Σy)·s − y, which is s − y for rows of probabilities.
            float aScale = this == CROSS_ENTROPY ? (float) ySum : 1f;
            for (int j = 0; j < n; j++) {
                delta[r + j] = rowScale * (aScale * a[r + j] - target(labels, label, targets, t, n, j));
            }
        }
        return rowSum;
    }

    /** The divisor that turns {@link #evaluate}'s sum into the mean loss, given the rows' weight sum. */
    double divisor(double weightSum, int n) {
        return this == CROSS_ENTROPY ? weightSum : weightSum * n;
    }

    private static float target(int[] labels, int label, float[] targets, int t, int n, int j) {
        if (labels == null) {
            return targets[t + j];
        }
        if (n == 1) {
            return label;
        }
        return j == label ? 1f : 0f;
    }

    static int argmax(float[] x, int off, int n) {
        int best = 0;
        float max = x[off];
        for (int j = 1; j < n; j++) {
            if (x[off + j] > max) {
                max = x[off + j];
                best = j;
            }
        }
        return best;
    }
}
