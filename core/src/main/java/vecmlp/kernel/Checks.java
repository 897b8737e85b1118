package vecmlp.kernel;

/**
 * Argument checks of the public kernel entry points. Each failure names the argument and its value;
 * nothing has been written when one throws.
 */
final class Checks {
    private Checks() {
    }

    static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0: " + value);
        }
    }

    static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1: " + value);
        }
    }

    static void finite(String name, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite: " + value);
        }
    }

    static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }

    /** A contiguous vector {@code x[off .. off+n)}. */
    static void vector(String name, float[] x, int off, int n) {
        notNull(name, x);
        nonNegative("n", n);
        if (off < 0) {
            throw new IndexOutOfBoundsException(name + " offset must be >= 0: " + off);
        }
        if ((long) off + n > x.length) {
            throw new IndexOutOfBoundsException(name + ": offset " + off + " + length " + n
                    + " exceeds array length " + x.length);
        }
    }

    /**
     * A row-major {@code rows × cols} region of {@code x} starting at {@code off} with leading dimension
     * {@code ld}: element (i, j) is {@code x[off + i·ld + j]}.
     */
    static void matrix(String name, float[] x, int off, int ld, int rows, int cols) {
        notNull(name, x);
        if (off < 0) {
            throw new IndexOutOfBoundsException(name + " offset must be >= 0: " + off);
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("ld" + name + " must be >= max(1, " + cols + "): " + ld);
        }
        if (rows > 0 && cols > 0) {
            long end = off + (long) (rows - 1) * ld + cols;
            if (end > x.length) {
                throw new IndexOutOfBoundsException(name + ": a " + rows + "x" + cols + " matrix at offset " + off
                        + " with leading dimension " + ld + " ends at " + end + ", past array length " + x.length);
            }
        }
    }
}
