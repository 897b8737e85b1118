package vecmlp.spark;

/**
 * Bad training or inference input: a missing or mistyped column, a features vector of the wrong length, a null
 * or non-finite feature, a label out of range. The message names the column, the row (as partition and index
 * within the partition) and the offending value. Raised on the driver before training starts.
 */
public class InvalidInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** An exception with the given message. */
    public InvalidInputException(String message) {
        super(message);
    }

    /** An exception with the given message and cause (the Spark job failure that carried it). */
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Rethrows the first {@code InvalidInputException} in {@code t}'s cause chain as a new one with the same
     * message (Spark wraps executor exceptions in its job failure); rethrows {@code t} itself otherwise.
     */
    static RuntimeException unwrap(Exception t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InvalidInputException) {
                return new InvalidInputException(c.getMessage(), t);
            }
        }
        return InvalidInputException.<RuntimeException>sneaky(t);
    }

    /** Rethrows {@code t} unchanged (Spark's checked {@code SparkException} escapes Scala code undeclared). */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
