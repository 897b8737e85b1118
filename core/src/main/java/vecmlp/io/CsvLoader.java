package vecmlp.io;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import vecmlp.train.Dataset;

/**
 * Reads a labelled classification data set from a CSV file: one sample per line, every field a number,
 * one of them the class label (an integer {@code ≥ 0}). The result is a {@link Dataset} whose features
 * are the other columns in file order, as one flat row-major {@code float[]}.
 *
 * <p>Configured by immutable copies: {@code CsvLoader.create().withHeader(true).withLabelColumn("digit")}, and
 * optionally a column of row weights ({@link #withWeightColumn}).
 * Defaults: no header, the label in the last column, comma-separated. A file whose first two bytes are
 * the gzip magic is decompressed transparently. Empty lines are skipped; fields may be wrapped in double
 * quotes (no embedded line breaks); a UTF-8 byte-order mark is ignored.
 *
 * <p>Every problem is reported as a {@link MalformedDataException} naming the file, the line (1-based,
 * as an editor counts) and the column (1-based), and what was expected there: a row with a different
 * number of fields than the first, a field that is not a finite number, a label that is not a
 * non-negative integer, a header without the requested column, a file without data rows.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CsvLoader {

    private final boolean header;
    private final int labelColumn;
    private final String labelName;
    private final char delimiter;
    /** The weight column (as {@link #labelColumn}), {@link #NO_WEIGHTS} if none, or named by {@link #weightName}. */
    private final int weightColumn;
    private final String weightName;

    private static final int NO_WEIGHTS = Integer.MIN_VALUE;

    private CsvLoader(boolean header, int labelColumn, String labelName, char delimiter, int weightColumn,
                      String weightName) {
        this.header = header;
        this.labelColumn = labelColumn;
        this.labelName = labelName;
        this.delimiter = delimiter;
        this.weightColumn = weightColumn;
        this.weightName = weightName;
    }

    /** A loader with the defaults: no header, label in the last column, comma-separated. */
    public static CsvLoader create() {
        return new CsvLoader(false, -1, null, ',', NO_WEIGHTS, null);
    }

    /** This loader, reading (true) or not (false) a first line of column names. */
    public CsvLoader withHeader(boolean hasHeader) {
        return new CsvLoader(hasHeader, labelColumn, labelName, delimiter, weightColumn, weightName);
    }

    /**
     * This loader, taking the label from column {@code column}: 0-based from the left, or negative to
     * count from the right ({@code -1} is the last column).
     */
    public CsvLoader withLabelColumn(int column) {
        return new CsvLoader(header, column, null, delimiter, weightColumn, weightName);
    }

    /** This loader, taking the label from the column named {@code name} in the header (implies a header). */
    public CsvLoader withLabelColumn(String name) {
        Objects.requireNonNull(name, "name must not be null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        return new CsvLoader(true, labelColumn, name, delimiter, weightColumn, weightName);
    }

    /**
     * This loader, taking a weight per row (a sample weight, finite and {@code >= 0}; {@link Dataset#withWeights})
     * from column {@code column}: 0-based from the left, or negative to count from the right. The column is
     * neither a feature nor the label.
     */
    public CsvLoader withWeightColumn(int column) {
        if (column == NO_WEIGHTS) {
            throw new IllegalArgumentException("column out of range: " + column);
        }
        return new CsvLoader(header, labelColumn, labelName, delimiter, column, null);
    }

    /** This loader, taking a weight per row from the column named {@code name} in the header (implies a header). */
    public CsvLoader withWeightColumn(String name) {
        Objects.requireNonNull(name, "name must not be null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        return new CsvLoader(true, labelColumn, labelName, delimiter, NO_WEIGHTS, name);
    }

    private boolean weighted() {
        return weightColumn != NO_WEIGHTS || weightName != null;
    }

    /** This loader, splitting fields at {@code delimiter} (for example {@code ';'} or {@code '\t'}). */
    public CsvLoader withDelimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter must not be a quote or line break: "
                    + (int) delimiter);
        }
        return new CsvLoader(header, labelColumn, labelName, delimiter, weightColumn, weightName);
    }

    /**
     * Reads the file at {@code path} (gzip-compressed or not).
     *
     * @return a classification data set with {@code numClasses = 1 + the largest label}, with row weights if a
     *         weight column was chosen
     * @throws MalformedDataException naming the file, line and column of the first problem
     * @throws IOException            if the file cannot be read
     */
    public Dataset load(Path path) throws IOException {
        Objects.requireNonNull(path, "path must not be null");
        try (InputStream in = Files.newInputStream(path)) {
            return load(in, path.toString());
        }
    }

    /**
     * Reads a CSV stream (gzip-compressed or not); {@code name} is used in error messages only. The
     * stream is read to its end and not closed.
     */
    public Dataset load(InputStream in, String name) throws IOException {
        Objects.requireNonNull(in, "in must not be null");
        Objects.requireNonNull(name, "name must not be null");
        BufferedReader reader = new BufferedReader(new InputStreamReader(maybeGunzip(in), StandardCharsets.UTF_8));
        List<String> fields = new ArrayList<>();
        int line = 0;
        int width = -1;
        int widthLine = 0;
        int label = -1;
        int weight = -1;
        int skipped = weighted() ? 2 : 1; // label and weight columns are not features
        float[] features = new float[1024];
        int[] labels = new int[64];
        float[] weights = weighted() ? new float[64] : null;
        int rows = 0;
        int maxLabel = -1;
        String text;
        while ((text = readLine(reader, name, line)) != null) {
            line++;
            if (line == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
                text = text.substring(1);
            }
            if (text.isBlank()) {
                continue;
            }
            split(text, name, line, fields);
            if (width < 0) {
                width = fields.size();
                widthLine = line;
                if (width < skipped + 1) {
                    throw new MalformedDataException(name, "line " + line, "expected at least " + (skipped + 1)
                            + " fields (features, a label" + (weighted() ? " and a weight" : "") + ") separated by '"
                            + printable(delimiter) + "', found " + width);
                }
                label = resolveColumn(name, line, fields, width, "label", labelName, labelColumn);
                if (weighted()) {
                    weight = resolveColumn(name, line, fields, width, "weight", weightName, weightColumn);
                    if (weight == label) {
                        throw new MalformedDataException(name, "line " + line, "expected the weight column to differ"
                                + " from the label column, found both at column " + (label + 1));
                    }
                }
                if (header) {
                    continue;
                }
            } else if (fields.size() != width) {
                throw new MalformedDataException(name, "line " + line, "expected " + width
                        + " fields as on line " + widthLine + ", found " + fields.size());
            }
            if ((long) (rows + 1) * (width - skipped) > Integer.MAX_VALUE - 8) {
                throw new MalformedDataException(name, "line " + line, "expected at most "
                        + (Integer.MAX_VALUE - 8) + " values in total: the file is too large for one array");
            }
            if (rows == labels.length) {
                labels = Arrays.copyOf(labels, rows * 2);
                if (weights != null) {
                    weights = Arrays.copyOf(weights, rows * 2);
                }
            }
            int need = (rows + 1) * (width - skipped);
            if (need > features.length) {
                features = Arrays.copyOf(features, (int) Math.min(Integer.MAX_VALUE - 8,
                        Math.max((long) need, 2L * features.length)));
            }
            int f = rows * (width - skipped);
            for (int c = 0; c < width; c++) {
                String s = fields.get(c);
                if (c == label) {
                    int y = parseLabel(s, name, line, c);
                    labels[rows] = y;
                    maxLabel = Math.max(maxLabel, y);
                } else if (c == weight) {
                    float w = parseNumber(s, name, line, c);
                    if (!(w >= 0f)) {
                        throw new MalformedDataException(name, "line " + line + ", column " + (c + 1),
                                "expected a weight (a finite number >= 0), found \"" + s + "\"");
                    }
                    weights[rows] = w;
                } else {
                    features[f++] = parseNumber(s, name, line, c);
                }
            }
            rows++;
        }
        if (rows == 0) {
            throw new MalformedDataException(name, "line " + (line + 1), "expected at least one data row, found "
                    + (width < 0 ? "an empty file" : "none after the header"));
        }
        Dataset data = Dataset.ofClasses(Arrays.copyOf(features, rows * (width - skipped)), rows, width - skipped,
                Arrays.copyOf(labels, rows), maxLabel + 1);
        return weights == null ? data : data.withWeights(Arrays.copyOf(weights, rows));
    }

    private static String readLine(BufferedReader reader, String name, int line) throws IOException {
        try {
            return reader.readLine();
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new MalformedDataException(name, "after line " + line, "expected more gzip data, found "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** The 0-based index of the {@code what} column, given by {@code columnName} if not null, else {@code column}. */
    private static int resolveColumn(String name, int line, List<String> first, int width, String what,
                                     String columnName, int column) throws MalformedDataException {
        if (columnName != null) {
            int found = first.indexOf(columnName);
            if (found < 0) {
                throw new MalformedDataException(name, "line " + line, "expected a header with a column named \""
                        + columnName + "\", found " + first);
            }
            return found;
        }
        int c = column < 0 ? width + column : column;
        if (c < 0 || c >= width) {
            throw new MalformedDataException(name, "line " + line, "expected a " + what + " column " + column
                    + " within the " + width + " fields of the first line");
        }
        return c;
    }

    private static float parseNumber(String s, String name, int line, int column) throws MalformedDataException {
        int small = smallInteger(s);
        if (small != NOT_SMALL) {
            return small; // exact: |small| < 2^24, so this is Float.parseFloat's value, without its parser
        }
        float v;
        try {
            v = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new MalformedDataException(name, "line " + line + ", column " + (column + 1),
                    "expected a number, found \"" + s + "\"");
        }
        if (!Float.isFinite(v) || !isPlainNumber(s)) {
            throw new MalformedDataException(name, "line " + line + ", column " + (column + 1),
                    "expected a finite decimal number, found \"" + s + "\"");
        }
        return v;
    }

    private static final int NOT_SMALL = Integer.MIN_VALUE;

    /**
     * The value of {@code s} if it is an integer of 1 to 7 digits with an optional sign (the common case of
     * pixel and count data), else {@link #NOT_SMALL}.
     */
    static int smallInteger(String s) {
        int n = s.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        if (n - i < 1 || n - i > 7) {
            return NOT_SMALL;
        }
        int v = 0;
        for (; i < n; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return NOT_SMALL;
            }
            v = v * 10 + (ch - '0');
        }
        if (negative && v == 0) {
            return NOT_SMALL; // "-0" is -0.0f, which no int gives
        }
        return negative ? -v : v;
    }

    /** Rejects Java-only spellings Float.parseFloat accepts: "NaN", "Infinity", hex floats, "1f", "2d". */
    private static boolean isPlainNumber(String s) {
        String t = s.strip();
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (!(ch >= '0' && ch <= '9' || ch == '.' || ch == '-' || ch == '+' || ch == 'e' || ch == 'E')) {
                return false;
            }
        }
        return true;
    }

    private static int parseLabel(String s, String name, int line, int column) throws MalformedDataException {
        String t = s.strip();
        int y;
        try {
            y = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            // Accept an integral value written as a decimal, e.g. "3.0".
            try {
                double d = Double.parseDouble(t);
                if (!isPlainNumber(t) || d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE - 1) {
                    throw new NumberFormatException();
                }
                y = (int) d;
            } catch (NumberFormatException e2) {
                throw new MalformedDataException(name, "line " + line + ", column " + (column + 1),
                        "expected a class label (an integer >= 0), found \"" + s + "\"");
            }
        }
        if (y < 0 || y == Integer.MAX_VALUE) {
            throw new MalformedDataException(name, "line " + line + ", column " + (column + 1),
                    "expected a class label (an integer >= 0), found \"" + s + "\"");
        }
        return y;
    }

    /** Splits one line into fields, honouring double quotes ("" inside quotes is one quote). */
    private void split(String text, String name, int line, List<String> out) throws MalformedDataException {
        out.clear();
        if (text.indexOf('"') < 0) { // no quotes: the fields between delimiters, stripped
            int from = 0;
            for (int at = text.indexOf(delimiter); at >= 0; at = text.indexOf(delimiter, from)) {
                out.add(text.substring(from, at).strip());
                from = at + 1;
            }
            out.add(text.substring(from).strip());
            return;
        }
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == delimiter) {
                out.add(wasQuoted ? field.toString() : field.toString().strip());
                field.setLength(0);
                wasQuoted = false;
            } else if (ch == '"' && field.toString().isBlank()) {
                quoted = true;
                wasQuoted = true;
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new MalformedDataException(name, "line " + line + ", column " + (out.size() + 1),
                    "expected a closing double quote before the end of the line");
        }
        out.add(wasQuoted ? field.toString() : field.toString().strip());
    }

    private static String printable(char c) {
        return c == '\t' ? "\\t" : String.valueOf(c);
    }

    /** Wraps {@code in} in a gzip decoder if it starts with the gzip magic 0x1f 0x8b. */
    static InputStream maybeGunzip(InputStream in) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(2);
        int b0 = b.read();
        int b1 = b.read();
        b.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GZIPInputStream(b, 1 << 16);
        }
        return b;
    }

    @Override
    public String toString() {
        return "CsvLoader[header=" + header + ", label=" + (labelName != null ? "\"" + labelName + "\"" : labelColumn)
                + (weighted() ? ", weight=" + (weightName != null ? "\"" + weightName + "\"" : weightColumn) : "")
                + ", delimiter='" + printable(delimiter) + "']";
    }
}
