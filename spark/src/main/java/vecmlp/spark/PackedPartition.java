package vecmlp.spark;

import java.io.Serializable;

/**
 * The rows of one Spark partition packed once into flat buffers: {@code features} is {@code rows × cols}
 * row-major; either {@code labels} holds {@code rows} class indices (classification) or {@code targets} holds
 * {@code rows × targetCols} real targets (regression), the other being null; {@code weights} holds a weight per
 * row, or is null (every row weighs 1). Built by {@link InputPacker}, cached
 * by Spark across epochs and never changed afterwards (mini-batches are gathered from it into per-thread
 * buffers).
 */
public final class PackedPartition implements Serializable {

    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    final int cols;
    final float[] features;
    final int[] labels;
    final float[] targets;
    final int targetCols;
    final float[] weights;

    PackedPartition(int partition, int rows, int cols, float[] features, int[] labels, float[] targets,
                    int targetCols, float[] weights) {
        this.partition = partition;
        this.rows = rows;
        this.cols = cols;
        this.features = features;
        this.labels = labels;
        this.targets = targets;
        this.targetCols = targetCols;
        this.weights = weights;
    }

    /** The Spark partition index these rows came from. */
    public int partition() {
        return partition;
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Features per row. */
    public int cols() {
        return cols;
    }

    /** Real targets per row (0: class labels instead). */
    public int targetCols() {
        return targetCols;
    }

    @Override
    public String toString() {
        return "PackedPartition[" + partition + ": " + rows + " x " + cols + "]";
    }
}
