package vecmlp.io;

import java.io.IOException;

/**
 * A data file (CSV, IDX) that cannot be read as the data set it claims to be. The message names the
 * file, the place in it (line and column of a CSV, byte offset of an IDX file) and what was expected
 * there, e.g. {@code digits.csv: line 17, column 5: expected a finite number, found "abc"}.
 *
 * <p>Thrown instead of letting a short or inconsistent file surface as an index error deep inside a
 * loader.
 */
public final class MalformedDataException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String file;

    /**
     * @param file     the file's name as the user gave it (a path or a resource name)
     * @param location where in the file, e.g. {@code "line 3, column 7"} or {@code "byte offset 16"}
     * @param problem  what was expected and what was found
     */
    public MalformedDataException(String file, String location, String problem) {
        super(file + ": " + location + ": " + problem);
        this.file = file;
    }

    /** The file's name as given to the loader. */
    public String file() {
        return file;
    }
}
