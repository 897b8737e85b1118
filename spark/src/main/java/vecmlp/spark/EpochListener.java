package vecmlp.spark;

import vecmlp.nn.Mlp;

/**
 * Called on the driver after each epoch of {@link SparkTrainer#fit} (after the checkpoint, if any), on the
 * thread that called {@code fit}. Time spent here is not counted as training time.
 */
@FunctionalInterface
public interface EpochListener {

    /**
     * @param epoch         the epoch just finished (0-based)
     * @param model         the live network: read it (e.g. evaluate it), do not change it
     * @param trainLoss     mean training loss of the epoch, as seen during training
     * @param trainAccuracy training accuracy of the epoch, as seen during training
     * @param trainingNanos training wall time so far, listener time excluded
     */
    void onEpochEnd(int epoch, Mlp model, double trainLoss, double trainAccuracy, long trainingNanos);
}
