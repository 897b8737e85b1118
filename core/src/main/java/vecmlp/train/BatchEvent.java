package vecmlp.train;

/**
 * The state of training after one mini-batch (see {@link TrainingListener#onBatchEnd}). Epochs and batches
 * are counted from 0. One instance is reused for every batch of a run: read it during the call only.
 */
public final class BatchEvent {
    int epoch;
    int epochs;
    int batch;
    int batchesPerEpoch;
    int batchSize;
    long samplesSeenInEpoch;
    long samplesPerEpoch;
    long totalSamplesSeen;
    long step;
    float batchLoss;
    double runningLoss;
    double runningAccuracy;
    float learningRate;
    long elapsedNanos;
    long epochElapsedNanos;
    boolean stopRequested;

    BatchEvent() {
    }

    /** The epoch, 0-based. */
    public int epoch() {
        return epoch;
    }

    /** The number of epochs this run was asked for. */
    public int epochs() {
        return epochs;
    }

    /** The batch within the epoch, 0-based. */
    public int batch() {
        return batch;
    }

    /** Batches in each epoch (the last may be smaller). */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Rows in this batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Training rows of this epoch up to and including this batch (its position in the epoch's order). */
    public long samplesSeenInEpoch() {
        return samplesSeenInEpoch;
    }

    /** Training rows per epoch. */
    public long samplesPerEpoch() {
        return samplesPerEpoch;
    }

    /** Training rows seen since {@link Trainer#fit} started. */
    public long totalSamplesSeen() {
        return totalSamplesSeen;
    }

    /** The optimizer's step count after this batch. */
    public long step() {
        return step;
    }

    /** This batch's mean loss (before the update). */
    public float batchLoss() {
        return batchLoss;
    }

    /** The mean loss over this epoch's batches so far (weighted by rows; of a resumed epoch, since the resume). */
    public double runningLoss() {
        return runningLoss;
    }

    /** The fraction of this epoch's rows so far classified correctly, or NaN when accuracy does not apply. */
    public double runningAccuracy() {
        return runningAccuracy;
    }

    /** The learning rate used for this batch. */
    public float learningRate() {
        return learningRate;
    }

    /** Nanoseconds since {@link Trainer#fit} started. */
    public long elapsedNanos() {
        return elapsedNanos;
    }

    /** Nanoseconds since this epoch started. */
    public long epochElapsedNanos() {
        return epochElapsedNanos;
    }

    /** Asks the trainer to stop after this batch (the history records {@link History.StopReason#LISTENER}). */
    public void requestStop() {
        stopRequested = true;
    }
}
