package vecmlp.train;

/**
 * The state of training after one epoch (see {@link TrainingListener#onEpochEnd}). Read it during the call only.
 */
public final class EpochEvent {
    int epoch;
    int epochs;
    History.Epoch record;
    int bestEpoch;
    long elapsedNanos;
    boolean stopRequested;

    EpochEvent() {
    }

    /** The epoch, 0-based. */
    public int epoch() {
        return epoch;
    }

    /** The number of epochs this run was asked for. */
    public int epochs() {
        return epochs;
    }

    /** This epoch's losses and accuracies. */
    public History.Epoch record() {
        return record;
    }

    /** Mean training loss of the epoch (running, over its batches). */
    public double trainLoss() {
        return record.trainLoss();
    }

    /** Training accuracy of the epoch, or NaN. */
    public double trainAccuracy() {
        return record.trainAccuracy();
    }

    /** Validation loss, or NaN without validation data. */
    public double validationLoss() {
        return record.validationLoss();
    }

    /** Validation accuracy, or NaN. */
    public double validationAccuracy() {
        return record.validationAccuracy();
    }

    /** The epoch with the best monitored loss so far (validation loss if any, else training loss). */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Nanoseconds since {@link Trainer#fit} started. */
    public long elapsedNanos() {
        return elapsedNanos;
    }

    /** Asks the trainer to stop after this epoch. */
    public void requestStop() {
        stopRequested = true;
    }
}
