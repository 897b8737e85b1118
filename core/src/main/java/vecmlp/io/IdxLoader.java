package vecmlp.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import vecmlp.train.Dataset;

/**
 * Reads the IDX format of the MNIST files ({@code train-images-idx3-ubyte}, {@code …-labels-idx1-ubyte}),
 * raw or gzip-compressed ({@code .gz}, recognised by its magic bytes, not its name).
 *
 * <p>An IDX file is a big-endian header, {@code 0x00 0x00 type ndim}, then {@code ndim} 32-bit sizes,
 * then the values row-major. Types: {@code 0x08} unsigned byte, {@code 0x09} signed byte, {@code 0x0B}
 * 16-bit, {@code 0x0C} 32-bit integer, {@code 0x0D} float, {@code 0x0E} double (all big-endian). The magic
 * bytes, the type code, every size and the total length ({@code header + Π sizes · bytes per value}) are
 * checked before the values' array is made (a raw file's length is its size; a stream or a gzip file is read
 * into memory first), then the values are converted chunk by chunk; a violation is a
 * {@link MalformedDataException} naming the file, the byte offset and what was expected there.
 *
 * <p>Stateless and thread-safe. Values are returned as they are stored (MNIST pixels 0..255); scale them
 * with {@link Normalizer}.
 */
public final class IdxLoader {

    private IdxLoader() {
    }

    /** The values of an IDX file: its sizes and its values in row-major order, as floats. */
    public static final class IdxArray {
        private final int type;
        private final int[] dims;
        private final float[] values;

        IdxArray(int type, int[] dims, float[] values) {
            this.type = type;
            this.dims = dims;
            this.values = values;
        }

        /** The type code of the file ({@code 0x08} for MNIST). */
        public int type() {
            return type;
        }

        /** The sizes, outermost first (MNIST images: {@code [n, 28, 28]}); a copy. */
        public int[] dims() {
            return dims.clone();
        }

        /** The values, row-major (the backing array, not a copy). */
        public float[] values() {
            return values;
        }

        /** True if the type holds integers (every type but float and double). */
        public boolean isIntegral() {
            return type != 0x0D && type != 0x0E;
        }
    }

    /**
     * Reads one IDX file (raw or gzip).
     *
     * @throws MalformedDataException if the magic, type, sizes or length are wrong (message names the
     *                                file and the byte offset)
     * @throws IOException            if the file cannot be read
     */
    public static IdxArray read(Path path) throws IOException {
        Objects.requireNonNull(path, "path must not be null");
        try (InputStream raw = Files.newInputStream(path)) {
            InputStream in = CsvLoader.maybeGunzip(raw);
            if (in instanceof GZIPInputStream) {
                return readAll(in, path.toString());
            }
            // A raw file's length is known: checked before the values' array is made, then read chunk by chunk
            // into it, with no copy of the file (MNIST's training images, 47 MB: 0.68 s through a growing copy
            // in a fresh JVM, 0.52 s so, of which 0.44 s are the page faults of the values' 188 MB, ad hoc).
            return parse(in, path.toString(), Files.size(path));
        }
    }

    /** Reads one IDX stream (raw or gzip) to its end; {@code name} is used in messages only. Not closed. */
    public static IdxArray read(InputStream in, String name) throws IOException {
        Objects.requireNonNull(in, "in must not be null");
        Objects.requireNonNull(name, "name must not be null");
        return readAll(CsvLoader.maybeGunzip(in), name);
    }

    /**
     * A stream of unknown length read into memory first, so that its length is checked before the values'
     * array is made (a corrupt header's sizes must not become an array of gigabytes).
     */
    private static IdxArray readAll(InputStream in, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        byte[] buf = new byte[1 << 16];
        try {
            for (int r; (r = in.read(buf)) > 0; ) {
                out.write(buf, 0, r);
            }
        } catch (EOFException | ZipException e) {
            throw new MalformedDataException(name, "decompressed byte offset " + out.size(),
                    "expected more gzip data, found " + (e.getMessage() == null ? "the end" : e.getMessage()));
        }
        return parse(new ByteArrayInputStream(out.toByteArray()), name, out.size());
    }

    /**
     * Reads MNIST-style images and labels into a classification data set: sample {@code i} is the
     * flattened image {@code i} (for {@code [n, 28, 28]}: 784 features, raw values), its label the
     * {@code i}-th value of the label file. {@code numClasses = 1 + the largest label}.
     *
     * @param images an IDX file with at least 2 dimensions, {@code [n, …]}
     * @param labels an IDX file of integers with 1 dimension, {@code [n]}, every value {@code ≥ 0}
     * @throws MalformedDataException if either file is malformed or the two counts differ
     */
    public static Dataset load(Path images, Path labels) throws IOException {
        Objects.requireNonNull(images, "images must not be null");
        Objects.requireNonNull(labels, "labels must not be null");
        IdxArray x = read(images);
        IdxArray y = read(labels);
        return toDataset(x, images.toString(), y, labels.toString());
    }

    /**
     * {@link #load(Path, Path)} from two streams (raw or gzip; read to their ends, not closed), for data on the
     * class path; the names are used in messages only.
     *
     * @throws MalformedDataException if either stream is malformed or the two counts differ
     */
    public static Dataset load(InputStream images, String imagesName, InputStream labels, String labelsName)
            throws IOException {
        Objects.requireNonNull(images, "images must not be null");
        Objects.requireNonNull(imagesName, "imagesName must not be null");
        Objects.requireNonNull(labels, "labels must not be null");
        Objects.requireNonNull(labelsName, "labelsName must not be null");
        return toDataset(read(images, imagesName), imagesName, read(labels, labelsName), labelsName);
    }

    static Dataset toDataset(IdxArray x, String xName, IdxArray y, String yName) throws MalformedDataException {
        if (x.dims.length < 2) {
            throw new MalformedDataException(xName, "byte offset 3", "expected an image file with at least 2 "
                    + "dimensions [count, ...], found " + x.dims.length);
        }
        if (y.dims.length != 1) {
            throw new MalformedDataException(yName, "byte offset 3", "expected a label file with 1 dimension "
                    + "[count], found " + y.dims.length);
        }
        if (!y.isIntegral()) {
            throw new MalformedDataException(yName, "byte offset 2", String.format(
                    "expected an integer type code for labels (0x08, 0x09, 0x0B or 0x0C), found 0x%02X", y.type));
        }
        int n = x.dims[0];
        if (y.dims[0] != n) {
            throw new MalformedDataException(yName, "byte offset 4", "expected " + n + " labels, one per image of "
                    + xName + ", found " + y.dims[0]);
        }
        int cols = n == 0 ? 1 : x.values.length / n;
        if (cols == 0) {
            throw new MalformedDataException(xName, "byte offset 8", "expected images of at least one value, found "
                    + Arrays.toString(x.dims));
        }
        int[] labels = new int[n];
        int max = -1;
        for (int i = 0; i < n; i++) {
            float v = y.values[i];
            if (v < 0) {
                throw new MalformedDataException(yName, "byte offset " + (8 + (long) i * bytesPer(y.type)),
                        "expected a class label >= 0 for sample " + i + ", found " + (long) v);
            }
            labels[i] = (int) v;
            max = Math.max(max, labels[i]);
        }
        if (!x.isIntegral()) { // an integer's float is always finite
            for (int i = 0; i < x.values.length; i++) {
                if (!Float.isFinite(x.values[i])) {
                    throw new MalformedDataException(xName, "value " + i, "expected a finite value, found "
                            + x.values[i]);
                }
            }
        }
        return Dataset.ofClasses(x.values, n, cols, labels, Math.max(1, max + 1));
    }

    static int bytesPer(int type) {
        switch (type) {
            case 0x08:
            case 0x09:
                return 1;
            case 0x0B:
                return 2;
            case 0x0C:
            case 0x0D:
                return 4;
            case 0x0E:
                return 8;
            default:
                return -1;
        }
    }

    /** Bytes read at a time: a multiple of every value size, so that no value straddles two reads. */
    static final int CHUNK = 1 << 16;

    /**
     * Reads and checks one IDX stream (already decompressed) of {@code length} bytes, converting the values chunk
     * by chunk into their array once the header and the length agree.
     */
    static IdxArray parse(InputStream in, String name, long length) throws IOException {
        byte[] head = new byte[4];
        int got = in.readNBytes(head, 0, 4);
        if (got < 4) {
            throw new MalformedDataException(name, "byte offset 0", "expected a 4-byte IDX magic number "
                    + "(0x00 0x00 type ndim), found a file of " + got + " bytes");
        }
        int magic = ByteBuffer.wrap(head).getInt();
        if (head[0] != 0 || head[1] != 0) {
            throw new MalformedDataException(name, "byte offset 0", String.format("expected an IDX magic number "
                    + "starting with two zero bytes (0x0000TTDD), found 0x%08X", magic));
        }
        int type = head[2] & 0xFF;
        int size = bytesPer(type);
        if (size < 0) {
            throw new MalformedDataException(name, "byte offset 2", String.format("expected an IDX type code "
                    + "0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E, found 0x%02X (magic 0x%08X)", type, magic));
        }
        int ndim = head[3] & 0xFF;
        if (ndim < 1) {
            throw new MalformedDataException(name, "byte offset 3", "expected at least 1 dimension, found 0");
        }
        long header = 4L + 4L * ndim;
        byte[] sizes = new byte[4 * ndim];
        got = in.readNBytes(sizes, 0, sizes.length);
        if (got < sizes.length) {
            long end = 4L + got;
            throw new MalformedDataException(name, "byte offset " + end, "expected a header of " + header
                    + " bytes (" + ndim + " sizes), found a file of " + end + " bytes (truncated)");
        }
        ByteBuffer sb = ByteBuffer.wrap(sizes);
        int[] dims = new int[ndim];
        long count = 1;
        for (int d = 0; d < ndim; d++) {
            dims[d] = sb.getInt(4 * d);
            if (dims[d] < 0) {
                throw new MalformedDataException(name, "byte offset " + (4 + 4 * d), "expected size " + d
                        + " to be >= 0, found " + dims[d]);
            }
            count *= dims[d];
            if (count > Integer.MAX_VALUE - 8) {
                throw new MalformedDataException(name, "byte offset " + (4 + 4 * d), "expected at most "
                        + (Integer.MAX_VALUE - 8) + " values in total, found sizes " + Arrays.toString(
                        Arrays.copyOf(dims, d + 1)) + " (too large for one array)");
            }
        }
        long expected = header + count * size;
        if (length != expected) {
            throw lengthMismatch(name, header, count, size, dims, expected, length);
        }
        float[] values = new float[(int) count];
        byte[] buf = new byte[CHUNK];
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < values.length; ) {
            int want = (int) Math.min(CHUNK, (long) (values.length - i) * size);
            got = in.readNBytes(buf, 0, want);
            if (got < want) { // shorter than its length said: changed while read
                throw new IOException(name + ": ended at byte " + (header + (long) i * size + got) + " of "
                        + length + " while being read");
            }
            i = convert(type, size, b, want / size, values, i);
        }
        return new IdxArray(type, dims, values);
    }

    private static MalformedDataException lengthMismatch(String name, long header, long count, int size, int[] dims,
                                                         long expected, long length) {
        return new MalformedDataException(name, "byte offset " + Math.min(length, expected), "expected "
                + expected + " bytes (" + header + " header + " + count + " values of " + size
                + " bytes for sizes " + Arrays.toString(dims) + "), found " + length
                + (length < expected ? " (truncated)" : " (trailing bytes)"));
    }

    /** Converts the first {@code n} values of {@code b} into {@code values} from {@code at}; returns the next index. */
    private static int convert(int type, int size, ByteBuffer b, int n, float[] values, int at) {
        byte[] bytes = b.array();
        switch (type) {
            case 0x08:
                for (int j = 0; j < n; j++) {
                    values[at + j] = bytes[j] & 0xFF;
                }
                break;
            case 0x09:
                for (int j = 0; j < n; j++) {
                    values[at + j] = bytes[j];
                }
                break;
            case 0x0B:
                for (int j = 0; j < n; j++) {
                    values[at + j] = b.getShort(j * size);
                }
                break;
            case 0x0C:
                for (int j = 0; j < n; j++) {
                    values[at + j] = b.getInt(j * size);
                }
                break;
            case 0x0D:
                for (int j = 0; j < n; j++) {
                    values[at + j] = b.getFloat(j * size);
                }
                break;
            default:
                for (int j = 0; j < n; j++) {
                    values[at + j] = (float) b.getDouble(j * size);
                }
                break;
        }
        return at + n;
    }
}
