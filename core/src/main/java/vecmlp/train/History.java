package vecmlp.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What a {@link Trainer#fit} run did: one record per completed epoch, why it stopped, the best epoch. Immutable. */
public final class History {

    /** Why training ended. */
    public enum StopReason {
        /** All requested epochs ran. */
        COMPLETED,
        /** The monitored loss did not improve for {@code patience} epochs. */
        EARLY_STOPPING,
        /** A listener asked to stop. */
        LISTENER
    }

    /** One epoch's results; accuracies and validation values are NaN where they do not apply. */
    public static final class Epoch {
        private final int epoch;
        private final double trainLoss;
        private final double trainAccuracy;
        private final double validationLoss;
        private final double validationAccuracy;
        private final long nanos;

        Epoch(int epoch, double trainLoss, double trainAccuracy, double validationLoss, double validationAccuracy,
              long nanos) {
            this.epoch = epoch;
            this.trainLoss = trainLoss;
            this.trainAccuracy = trainAccuracy;
            this.validationLoss = validationLoss;
            this.validationAccuracy = validationAccuracy;
            this.nanos = nanos;
        }

        /** The epoch, 0-based. */
        public int epoch() {
            return epoch;
        }

        /** Mean training loss over the epoch's batches (weighted by rows, measured before each update). */
        public double trainLoss() {
            return trainLoss;
        }

        /** Fraction of training rows classified correctly during the epoch, or NaN. */
        public double trainAccuracy() {
            return trainAccuracy;
        }

        /** Validation loss after the epoch, or NaN. */
        public double validationLoss() {
            return validationLoss;
        }

        /** Validation accuracy after the epoch, or NaN. */
        public double validationAccuracy() {
            return validationAccuracy;
        }

        /** Wall time of the epoch (training and validation), in nanoseconds. */
        public long nanos() {
            return nanos;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "epoch %d: loss %.6f acc %.4f val_loss %.6f val_acc %.4f",
                    epoch, trainLoss, trainAccuracy, validationLoss, validationAccuracy);
        }
    }

    private final List<Epoch> epochs;
    private final StopReason stopReason;
    private final int bestEpoch;
    private final boolean restoredBest;

    History(List<Epoch> epochs, StopReason stopReason, int bestEpoch, boolean restoredBest) {
        this.epochs = Collections.unmodifiableList(new ArrayList<>(epochs));
        this.stopReason = stopReason;
        this.bestEpoch = bestEpoch;
        this.restoredBest = restoredBest;
    }

    /** The completed epochs, in order. */
    public List<Epoch> epochs() {
        return epochs;
    }

    /** The last completed epoch's record. @throws IllegalStateException if none completed */
    public Epoch last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch completed");
        }
        return epochs.get(epochs.size() - 1);
    }

    /** Why training ended. */
    public StopReason stopReason() {
        return stopReason;
    }

    /** The epoch with the lowest monitored loss (validation loss if any, else training loss); −1 if none. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** True if the parameters were reset to those after {@link #bestEpoch()}. */
    public boolean restoredBest() {
        return restoredBest;
    }

    @Override
    public String toString() {
        return "History[" + epochs.size() + " epochs, " + stopReason + ", best " + bestEpoch
                + (restoredBest ? " (restored)" : "") + "]";
    }
}
