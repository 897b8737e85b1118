package vecmlp.train;

import java.util.Arrays;

/**
 * A labelled data set held as one flat row-major {@code float[]} of features ({@code rows × cols}, one
 * sample per row) and either integer class labels (classification) or a flat row-major {@code float[]}
 * of targets ({@code rows × targetCols}, regression or soft targets), and optionally a weight per row
 * ({@link #withWeights}).
 *
 * <p>Immutable by convention: the arrays are taken without copying and must not be changed afterwards.
 * Safe to share between threads.
 */
public final class Dataset {

    private final float[] features;
    private final int rows;
    private final int cols;
    private final int[] labels;
    private final int numClasses;
    private final float[] targets;
    private final int targetCols;
    private final float[] weights;

    private Dataset(float[] features, int rows, int cols, int[] labels, int numClasses, float[] targets, int targetCols) {
        this(features, rows, cols, labels, numClasses, targets, targetCols, null);
    }

    private Dataset(float[] features, int rows, int cols, int[] labels, int numClasses, float[] targets, int targetCols,
                    float[] weights) {
        this.features = features;
        this.rows = rows;
        this.cols = cols;
        this.labels = labels;
        this.numClasses = numClasses;
        this.targets = targets;
        this.targetCols = targetCols;
        this.weights = weights;
    }

    /**
     * This data set with a weight per row (sample weights): the trainer's loss is then the weighted mean
     * {@code Σ w_i ℓ_i / Σ w_i} over each batch (and over the data set when evaluating), as with
     * {@link vecmlp.nn.Workspace#setRowWeights}. Shares this set's arrays; the weights are taken without copying.
     *
     * @param weights {@code rows()} values, each finite and {@code >= 0}
     * @throws IllegalArgumentException naming the first bad value's row
     */
    public Dataset withWeights(float[] weights) {
        if (weights == null) {
            throw new NullPointerException("weights must not be null");
        }
        if (weights.length != rows) {
            throw new IllegalArgumentException("weights.length must equal rows " + rows + ": " + weights.length);
        }
        for (int i = 0; i < rows; i++) {
            if (!(weights[i] >= 0f) || weights[i] == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("weight of row " + i + " must be finite and >= 0: " + weights[i]);
            }
        }
        return new Dataset(features, rows, cols, labels, numClasses, targets, targetCols, weights);
    }

    /** True if this set has a weight per row. */
    public boolean hasWeights() {
        return weights != null;
    }

    /** The row weights (the backing array), or {@code null} if every row has weight 1. */
    public float[] weights() {
        return weights;
    }

    /**
     * A classification data set.
     *
     * @param features   {@code rows × cols} values, row-major; every value finite
     * @param labels     {@code rows} class indices in {@code [0, numClasses)}
     * @throws IllegalArgumentException naming the row (and column) of the first bad value
     */
    public static Dataset ofClasses(float[] features, int rows, int cols, int[] labels, int numClasses) {
        checkFeatures(features, rows, cols);
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1: " + numClasses);
        }
        if (labels == null) {
            throw new NullPointerException("labels must not be null");
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException("labels.length must equal rows " + rows + ": " + labels.length);
        }
        for (int i = 0; i < rows; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label of row " + i + " must be in [0, " + numClasses + "): "
                        + labels[i]);
            }
        }
        return new Dataset(features, rows, cols, labels, numClasses, null, 0);
    }

    /**
     * A data set with real-valued targets (regression, or one-hot / soft class targets).
     *
     * @param targets {@code rows × targetCols} values, row-major; every value finite
     */
    public static Dataset ofTargets(float[] features, int rows, int cols, float[] targets, int targetCols) {
        checkFeatures(features, rows, cols);
        if (targetCols < 1) {
            throw new IllegalArgumentException("targetCols must be >= 1: " + targetCols);
        }
        if (targets == null) {
            throw new NullPointerException("targets must not be null");
        }
        if (targets.length != (long) rows * targetCols) {
            throw new IllegalArgumentException("targets.length must be rows*targetCols = " + (long) rows * targetCols
                    + ": " + targets.length);
        }
        checkFinite("targets", targets, targetCols);
        return new Dataset(features, rows, cols, null, 0, targets, targetCols);
    }

    private static void checkFeatures(float[] features, int rows, int cols) {
        if (features == null) {
            throw new NullPointerException("features must not be null");
        }
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0: " + rows);
        }
        if (cols < 1) {
            throw new IllegalArgumentException("cols must be >= 1: " + cols);
        }
        if (features.length != (long) rows * cols) {
            throw new IllegalArgumentException("features.length must be rows*cols = " + (long) rows * cols + ": "
                    + features.length);
        }
        checkFinite("features", features, cols);
    }

    private static void checkFinite(String name, float[] values, int cols) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(name + " of row " + i / cols + ", column " + i % cols
                        + " must be finite: " + values[i]);
            }
        }
    }

    /** Number of samples. */
    public int rows() {
        return rows;
    }

    /** Number of features per sample. */
    public int cols() {
        return cols;
    }

    /** The features, {@code rows × cols} row-major (the backing array, not a copy). */
    public float[] features() {
        return features;
    }

    /** True if this set has class labels; false if it has real-valued targets. */
    public boolean hasLabels() {
        return labels != null;
    }

    /** The class labels (the backing array), or {@code null} for a target set. */
    public int[] labels() {
        return labels;
    }

    /** The number of classes of a labelled set; 0 for a target set. */
    public int numClasses() {
        return numClasses;
    }

    /** The targets, {@code rows × targetCols} row-major (the backing array), or {@code null} for a labelled set. */
    public float[] targets() {
        return targets;
    }

    /** Columns of the targets; 0 for a labelled set. */
    public int targetCols() {
        return targetCols;
    }

    /** A new data set of the given rows, in that order (copies). */
    public Dataset subset(int[] indices) {
        if (indices == null) {
            throw new NullPointerException("indices must not be null");
        }
        float[] f = new float[indices.length * cols];
        int[] l = labels == null ? null : new int[indices.length];
        float[] t = targets == null ? null : new float[indices.length * targetCols];
        float[] w = weights == null ? null : new float[indices.length];
        for (int r = 0; r < indices.length; r++) {
            int i = indices[r];
            if (i < 0 || i >= rows) {
                throw new IndexOutOfBoundsException("indices[" + r + "] must be in [0, " + rows + "): " + i);
            }
            System.arraycopy(features, i * cols, f, r * cols, cols);
            if (l != null) {
                l[r] = labels[i];
            }
            if (t != null) {
                System.arraycopy(targets, i * targetCols, t, r * targetCols, targetCols);
            }
            if (w != null) {
                w[r] = weights[i];
            }
        }
        return new Dataset(f, indices.length, cols, l, numClasses, t, targetCols, w);
    }

    /** Rows {@code [from, to)} as a new data set (copies). */
    public Dataset rows(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") not within [0, " + rows + ")");
        }
        int[] idx = new int[to - from];
        Arrays.setAll(idx, i -> from + i);
        return subset(idx);
    }

    @Override
    public String toString() {
        return "Dataset[" + rows + " x " + cols
                + (labels != null ? ", " + numClasses + " classes" : ", targets x " + targetCols)
                + (weights != null ? ", weighted" : "") + "]";
    }
}
