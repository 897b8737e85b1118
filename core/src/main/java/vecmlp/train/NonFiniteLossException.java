package vecmlp.train;

/**
 * Training met a NaN or infinite loss (or gradient norm) and stopped before that batch changed any
 * parameter. Names the epoch and batch (0-based) and the value.
 */
public final class NonFiniteLossException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final double value;

    NonFiniteLossException(int epoch, int batch, String what, double value) {
        super(what + " is not finite at epoch " + epoch + ", batch " + batch + ": " + value
                + "; the parameters are those before this batch");
        this.epoch = epoch;
        this.batch = batch;
        this.value = value;
    }

    /** The epoch, 0-based. */
    public int epoch() {
        return epoch;
    }

    /** The batch within the epoch, 0-based. */
    public int batch() {
        return batch;
    }

    /** The non-finite value. */
    public double value() {
        return value;
    }
}
