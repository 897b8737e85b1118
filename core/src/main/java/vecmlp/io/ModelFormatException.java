package vecmlp.io;

import java.io.IOException;

/**
 * The one exception every reader in {@code vecmlp.io}'s model-file layer ({@link SafeTensors},
 * {@link ModelFile}, {@link Checkpoint}) throws for a file whose content is wrong: truncated, corrupted,
 * forged, of an unsupported dtype, or inconsistent with the architecture it declares. Its message names
 * the field (a tensor name, a header key, or a byte position), what was expected and what was found.
 *
 * <p>It is an {@link IOException}, so one {@code catch (IOException e)} handles both a bad file and a
 * failing disk; catch {@code ModelFormatException} first to tell them apart. A reader never lets any other
 * exception escape for bad content (no {@code IndexOutOfBoundsException}, {@code NumberFormatException},
 * {@code OutOfMemoryError} from a forged length, ...).
 */
public class ModelFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String expected;
    private final String found;

    /**
     * @param field    what was being read: a tensor name, a header key or a byte range
     * @param expected what a valid file holds there
     * @param found    what this file holds there
     */
    public ModelFormatException(String field, String expected, String found) {
        super(field + ": expected " + expected + ", found " + found);
        this.field = field;
        this.expected = expected;
        this.found = found;
    }

    /** As {@link #ModelFormatException(String, String, String)}, with the underlying cause. */
    public ModelFormatException(String field, String expected, String found, Throwable cause) {
        this(field, expected, found);
        initCause(cause);
    }

    /** The tensor, header key or byte range that is wrong. */
    public String field() {
        return field;
    }

    /** What a valid file holds in {@link #field()}. */
    public String expected() {
        return expected;
    }

    /** What this file holds in {@link #field()}. */
    public String found() {
        return found;
    }
}
