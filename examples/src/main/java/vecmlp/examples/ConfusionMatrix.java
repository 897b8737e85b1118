package vecmlp.examples;

import java.util.Objects;

/**
 * Counts of (true class, predicted class) pairs, and their table as text: rows are the true classes,
 * columns the predictions, so the diagonal holds the correct answers. Not thread-safe.
 */
final class ConfusionMatrix {

    private final int classes;
    private final long[] counts;

    ConfusionMatrix(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1: " + classes);
        }
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    /** Adds one pair per sample: {@code actual[i]} and {@code predicted[i]}, both in [0, classes). */
    void add(int[] actual, int[] predicted) {
        Objects.requireNonNull(actual, "actual must not be null");
        Objects.requireNonNull(predicted, "predicted must not be null");
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("actual.length " + actual.length + " must equal predicted.length "
                    + predicted.length);
        }
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] < 0 || actual[i] >= classes || predicted[i] < 0 || predicted[i] >= classes) {
                throw new IllegalArgumentException("pair " + i + " (" + actual[i] + ", " + predicted[i]
                        + ") must be in [0, " + classes + ")");
            }
            counts[actual[i] * classes + predicted[i]]++;
        }
    }

    long count(int actual, int predicted) {
        return counts[actual * classes + predicted];
    }

    long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    long correct() {
        long t = 0;
        for (int c = 0; c < classes; c++) {
            t += count(c, c);
        }
        return t;
    }

    /** Fraction correct; NaN if empty. */
    double accuracy() {
        long t = total();
        return t == 0 ? Double.NaN : (double) correct() / t;
    }

    /** The table, with a header of predicted classes, a "." for zero, and per-class recall at the right. */
    String format() {
        long max = 1;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        int w = Math.max(String.valueOf(max).length(), String.valueOf(classes - 1).length()) + 1;
        StringBuilder s = new StringBuilder();
        s.append(pad("true\\pred", 10));
        for (int p = 0; p < classes; p++) {
            s.append(pad(String.valueOf(p), w + 1));
        }
        s.append("   recall\n");
        for (int a = 0; a < classes; a++) {
            s.append(pad(String.valueOf(a), 10));
            long row = 0;
            for (int p = 0; p < classes; p++) {
                long c = count(a, p);
                row += c;
                s.append(pad(c == 0 ? "." : String.valueOf(c), w + 1));
            }
            s.append(row == 0 ? "        -" : String.format(java.util.Locale.ROOT, "   %5.1f%%",
                    100.0 * count(a, a) / row));
            s.append('\n');
        }
        return s.toString();
    }

    private static String pad(String s, int width) {
        StringBuilder b = new StringBuilder();
        for (int i = s.length(); i < width; i++) {
            b.append(' ');
        }
        return b.append(s).toString();
    }
}
