package vecmlp.io;

import java.util.Objects;
import vecmlp.train.Dataset;

/**
 * A per-feature affine map {@code x'[j] = (x[j] − shift[j]) · factor[j]} fitted once, on the training
 * split only, and then applied unchanged to the training, validation and test splits and to every input
 * given to the trained network (fitting on all the data would leak the test set into training).
 *
 * <ul>
 *   <li>{@link #scale(int, float)}: one constant factor, e.g. {@code 1/255f} for MNIST, {@code 1/16f} for
 *       the digits;</li>
 *   <li>{@link #minMax(Dataset)}: each feature to {@code [0, 1]} over the training rows;</li>
 *   <li>{@link #standardize(Dataset)}: each feature to mean 0, standard deviation 1 over the training rows.</li>
 * </ul>
 *
 * A feature that is constant on the training rows (zero range or deviation, e.g. a corner pixel that is
 * always blank) is only shifted, never divided by zero. Statistics are accumulated in {@code double}.
 * Instances are immutable and thread-safe.
 */
public final class Normalizer {

    private final float[] shift;
    private final float[] factor;

    private Normalizer(float[] shift, float[] factor) {
        this.shift = shift;
        this.factor = factor;
    }

    /**
     * Multiplies every one of {@code cols} features by {@code factor}.
     *
     * @param cols   ≥ 1
     * @param factor finite and non-zero
     */
    public static Normalizer scale(int cols, float factor) {
        if (cols < 1) {
            throw new IllegalArgumentException("cols must be >= 1: " + cols);
        }
        if (!Float.isFinite(factor) || factor == 0f) {
            throw new IllegalArgumentException("factor must be finite and non-zero: " + factor);
        }
        float[] f = new float[cols];
        java.util.Arrays.fill(f, factor);
        return new Normalizer(new float[cols], f);
    }

    /** Maps each feature's range over the rows of {@code train} onto {@code [0, 1]}. */
    public static Normalizer minMax(Dataset train) {
        checkTrain(train);
        int rows = train.rows();
        int cols = train.cols();
        float[] x = train.features();
        float[] shift = new float[cols];
        float[] factor = new float[cols];
        for (int j = 0; j < cols; j++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < rows; i++) {
                float v = x[i * cols + j];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            double range = (double) hi - lo;
            shift[j] = lo;
            factor[j] = range > 0 ? (float) (1.0 / range) : 1f;
        }
        return new Normalizer(shift, factor);
    }

    /** Maps each feature to mean 0 and (population) standard deviation 1 over the rows of {@code train}. */
    public static Normalizer standardize(Dataset train) {
        checkTrain(train);
        int rows = train.rows();
        int cols = train.cols();
        float[] x = train.features();
        double[] mean = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                mean[j] += x[i * cols + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            mean[j] /= rows;
        }
        double[] var = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double d = x[i * cols + j] - mean[j];
                var[j] += d * d;
            }
        }
        float[] shift = new float[cols];
        float[] factor = new float[cols];
        for (int j = 0; j < cols; j++) {
            double sd = Math.sqrt(var[j] / rows);
            shift[j] = (float) mean[j];
            factor[j] = sd > 0 ? (float) (1.0 / sd) : 1f;
        }
        return new Normalizer(shift, factor);
    }

    private static void checkTrain(Dataset train) {
        Objects.requireNonNull(train, "train must not be null");
        if (train.rows() < 1) {
            throw new IllegalArgumentException("train must have at least one row: " + train);
        }
    }

    /** Number of features this normalizer was fitted for. */
    public int cols() {
        return shift.length;
    }

    /** The value subtracted from feature {@code j} (mean, minimum, or 0). */
    public float shift(int j) {
        return shift[j];
    }

    /** The factor feature {@code j} is multiplied by after the shift. */
    public float factor(int j) {
        return factor[j];
    }

    /**
     * A new data set with the features mapped; labels or targets, and row weights, are shared, not copied.
     *
     * @throws IllegalArgumentException if {@code data.cols() != cols()}
     */
    public Dataset apply(Dataset data) {
        Objects.requireNonNull(data, "data must not be null");
        if (data.cols() != cols()) {
            throw new IllegalArgumentException("data.cols() must be " + cols() + ": " + data.cols());
        }
        float[] x = data.features().clone();
        applyInPlace(x, 0, data.rows());
        Dataset mapped = data.hasLabels()
                ? Dataset.ofClasses(x, data.rows(), data.cols(), data.labels(), data.numClasses())
                : Dataset.ofTargets(x, data.rows(), data.cols(), data.targets(), data.targetCols());
        return data.hasWeights() ? mapped.withWeights(data.weights()) : mapped;
    }

    /**
     * Maps {@code rows} rows of {@code cols()} features, stored contiguously from {@code offset}, in place
     * (for inputs given to a trained network). Not thread-safe for the same array.
     */
    public void applyInPlace(float[] x, int offset, int rows) {
        Objects.requireNonNull(x, "x must not be null");
        int cols = cols();
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0: " + rows);
        }
        if (offset < 0 || (long) offset + (long) rows * cols > x.length) {
            throw new IndexOutOfBoundsException("offset " + offset + " + rows " + rows + " * cols " + cols
                    + " must be within x.length " + x.length);
        }
        for (int i = 0; i < rows; i++) {
            int p = offset + i * cols;
            for (int j = 0; j < cols; j++) {
                x[p + j] = (x[p + j] - shift[j]) * factor[j];
            }
        }
    }
}
