package vecmlp.train;

/**
 * Receives a {@link Trainer}'s progress, for progress bars, logs and custom stopping rules. Every method has a
 * default that does nothing. Events are reused objects: read them during the call, do not keep them.
 * Calls come from the thread running {@link Trainer#fit}.
 */
public interface TrainingListener {

    /** After every optimizer step; call {@link BatchEvent#requestStop()} to end training after this batch. */
    default void onBatchEnd(BatchEvent event) {
    }

    /** After every epoch (and its validation); call {@link EpochEvent#requestStop()} to end training. */
    default void onEpochEnd(EpochEvent event) {
    }

    /**
     * A batch's loss (or gradient) was not finite; no parameter was changed. Return true to skip this batch
     * and go on, false (the default) to end training with a {@link NonFiniteLossException}.
     */
    default boolean skipNonFiniteBatch(BatchEvent event) {
        return false;
    }
}
