package vecmlp.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * Named float tensors and string metadata in the
 * <a href="https://github.com/huggingface/safetensors#format">safetensors</a> format, the format of the
 * Hugging Face / PyTorch ecosystem:
 *
 * <pre>
 *   bytes 0..7     N, the header length, unsigned 64-bit little-endian
 *   bytes 8..8+N   the header: UTF-8 JSON, begins with '{', may end with spaces (0x20)
 *                  {"__metadata__": {"key": "value", ...},
 *                   "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [BEGIN, END]}, ...}
 *   the rest       the byte buffer: each tensor's elements, row-major ('C' order), little-endian, at
 *                  [BEGIN, END) relative to the buffer's start; together they cover it exactly
 * </pre>
 *
 * <p><b>Writing</b> stores every tensor as {@code F32}, in list order, with the header padded by spaces to a
 * multiple of 8 bytes so the data is 8-byte aligned (as the reference implementation does). It adds the
 * metadata entry {@value #CHECKSUM_KEY} = {@code crc32c:<8 hex digits>}: a CRC-32C over the metadata (all
 * other keys, sorted by key), then the tensors' names, dtypes, shapes and offsets in offset order (strings as
 * a little-endian int32 UTF-8 length and the bytes, numbers as little-endian int64), then the byte buffer.
 * It detects accidental corruption, not deliberate tampering. {@link #write(Path)} is
 * atomic (temporary file, fsync, rename): a failure leaves any previous file intact.
 *
 * <p><b>Reading</b> checks everything before allocating anything sized by the file: the header length
 * (at most {@value #MAX_HEADER_BYTES} bytes and within the file), strict UTF-8 and strict JSON (no
 * duplicate keys), {@code __metadata__} values all strings, every tensor entry exactly
 * {@code dtype, shape, data_offsets}, dtypes {@code F32} (kept), {@code F16}, {@code BF16} (widened
 * exactly) or {@code F64} (rounded to nearest float), shapes of non-negative integers whose product fits a
 * Java array, {@code END − BEGIN = elements × dtype size}, offsets contiguous, non-overlapping and covering
 * the byte buffer exactly (no holes, no trailing bytes), and the checksum when present ({@code none} opts
 * out). Every failure is a {@link ModelFormatException}.
 *
 * <p>Instances are immutable (the tensors' arrays are shared, not copied: do not modify them) and safe to
 * share between threads.
 */
public final class SafeTensors {

    /** The largest header accepted, in bytes (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The metadata key holding the content checksum, {@code crc32c:<8 lowercase hex digits>} or {@code none}. */
    public static final String CHECKSUM_KEY = "vecmlp.checksum";

    /** The value of {@link #CHECKSUM_KEY} in a file that carries no checksum. */
    public static final String NO_CHECKSUM = "none";

    private static final String METADATA = "__metadata__";
    private static final int CHUNK = 64 * 1024;       // a multiple of every element size
    private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** An element type of a stored tensor that vecmlp reads. */
    public enum DType {
        /** IEEE 754 binary32, kept as is. */
        F32(4),
        /** IEEE 754 binary64, rounded to the nearest float on reading. */
        F64(8),
        /** IEEE 754 binary16, widened exactly on reading. */
        F16(2),
        /** bfloat16 (the upper half of a binary32), widened exactly on reading. */
        BF16(2);

        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        /** Bytes per element. */
        public int bytes() {
            return bytes;
        }
    }

    /**
     * One named tensor: a shape and its {@code float} elements, row-major. The array is shared, not copied.
     * Immutable by convention; safe to share between threads.
     */
    public static final class Tensor {
        private final String name;
        private final long[] shape;
        private final float[] data;
        private final DType stored;

        private Tensor(String name, long[] shape, float[] data, DType stored) {
            this.name = name;
            this.shape = shape;
            this.data = data;
            this.stored = stored;
        }

        /**
         * A tensor of the given shape.
         *
         * @param name  non-empty, not {@code __metadata__}
         * @param shape non-negative dimensions (none for a scalar); their product equals {@code data.length}
         * @param data  the elements, row-major; taken without copying
         * @throws IllegalArgumentException naming the argument that is wrong
         */
        public static Tensor of(String name, long[] shape, float[] data) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(shape, "shape");
            Objects.requireNonNull(data, "data");
            if (name.isEmpty() || name.equals(METADATA)) {
                throw new IllegalArgumentException("name must be non-empty and not " + METADATA + ": '" + name + "'");
            }
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0) {
                    throw new IllegalArgumentException("shape[" + i + "] of tensor '" + name + "' must be >= 0: "
                            + shape[i]);
                }
                count = saturatingMultiply(count, shape[i]);
            }
            if (count != data.length) {
                throw new IllegalArgumentException("data.length of tensor '" + name + "' must equal the product of shape "
                        + Arrays.toString(shape) + ": " + data.length);
            }
            return new Tensor(name, shape.clone(), data, DType.F32);
        }

        /** A 1-D tensor of {@code data.length} elements. */
        public static Tensor vector(String name, float[] data) {
            return of(name, new long[] {data.length}, data);
        }

        /** A 2-D tensor of {@code rows × cols} elements, row-major. */
        public static Tensor matrix(String name, int rows, int cols, float[] data) {
            return of(name, new long[] {rows, cols}, data);
        }

        /** The name. */
        public String name() {
            return name;
        }

        /** The shape (a copy). */
        public long[] shape() {
            return shape.clone();
        }

        /** The number of dimensions. */
        public int rank() {
            return shape.length;
        }

        /** The elements, row-major: the backing array, not a copy. */
        public float[] data() {
            return data;
        }

        /** The dtype the elements had in the file they were read from; {@code F32} for a tensor made in memory. */
        public DType storedAs() {
            return stored;
        }

        /** True if the shape equals {@code expected}. */
        public boolean hasShape(long... expected) {
            return Arrays.equals(shape, expected);
        }

        @Override
        public String toString() {
            return name + " " + stored + Arrays.toString(shape);
        }
    }

    private final Map<String, String> metadata;
    private final List<Tensor> tensors;
    private final Map<String, Tensor> byName;
    private final boolean checksumVerified;

    private SafeTensors(Map<String, String> metadata, List<Tensor> tensors, boolean checksumVerified) {
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableList(tensors);
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            m.put(t.name, t);
        }
        this.byName = Collections.unmodifiableMap(m);
        this.checksumVerified = checksumVerified;
    }

    /**
     * Tensors and metadata to write.
     *
     * @param metadata string pairs for {@code __metadata__} (copied; a {@value #CHECKSUM_KEY} entry is
     *                 replaced by the fresh checksum on writing)
     * @param tensors  the tensors, in the order their data will be laid out
     * @throws IllegalArgumentException if two tensors share a name, or a string holds an unpaired surrogate
     */
    public static SafeTensors of(Map<String, String> metadata, List<Tensor> tensors) {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(tensors, "tensors");
        Map<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            meta.put(Objects.requireNonNull(e.getKey(), "metadata key"),
                    Objects.requireNonNull(e.getValue(), "metadata value of " + e.getKey()));
        }
        List<Tensor> list = new ArrayList<>(tensors.size());
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Tensor t : tensors) {
            Objects.requireNonNull(t, "tensor");
            if (!names.add(t.name)) {
                throw new IllegalArgumentException("tensors must have distinct names: '" + t.name + "' twice");
            }
            list.add(t);
        }
        Json.write(new StringBuilder(), meta);           // every string must have a UTF-8 form
        Json.write(new StringBuilder(), new ArrayList<Object>(names));
        return new SafeTensors(meta, list, false);
    }

    /** The {@code __metadata__} strings, in file order (unmodifiable). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensors, in the order of their data in the file (unmodifiable). */
    public List<Tensor> tensors() {
        return tensors;
    }

    /** The tensor of that name, or {@code null}. */
    public Tensor tensor(String name) {
        return byName.get(name);
    }

    /** True if this was read from a file whose {@value #CHECKSUM_KEY} checksum was present and matched. */
    public boolean checksumVerified() {
        return checksumVerified;
    }

    // ================================================================ writing

    /**
     * Writes this to {@code target} atomically (see the class comment): the previous file, if any, stays
     * intact until the new one is complete and fsynced.
     *
     * @throws IOException if the file cannot be written; the target is then unchanged
     */
    public void write(Path target) throws IOException {
        write(target, c -> c);
    }

    /** {@link #write(Path)} with the output channel passed through {@code interpose} (failure-injection tests). */
    void write(Path target, Function<FileChannel, WritableByteChannel> interpose) throws IOException {
        Objects.requireNonNull(target, "target");
        AtomicFile.write(target, this::writeTo, interpose);
    }

    /** The whole file as bytes (for small files and tests). */
    public byte[] toBytes() {
        ByteArrayChannel out = new ByteArrayChannel();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new AssertionError("in-memory channel cannot fail", e);
        }
        return out.toByteArray();
    }

    /** Writes the whole file to {@code out}, streaming the data through one 64 KiB buffer. */
    public void writeTo(WritableByteChannel out) throws IOException {
        Objects.requireNonNull(out, "out");
        List<Entry> layout = layout(tensors);
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.remove(CHECKSUM_KEY);
        int crc = crc(meta, layout, tensors);
        meta.put(CHECKSUM_KEY, formatChecksum(crc));

        Map<String, Object> header = new LinkedHashMap<>();
        header.put(METADATA, meta);
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            List<Object> shape = new ArrayList<>();
            for (long d : t.shape) {
                shape.add(d);
            }
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(layout.get(i).begin, layout.get(i).end));
            header.put(t.name, entry);
        }
        byte[] json = Json.write(new StringBuilder(), header).toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;                 // data starts 8-byte aligned
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        writeFully(out, head);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : tensors) {
            for (int from = 0; from < t.data.length; ) {
                from += fill(buf, t.data, from);
                writeFully(out, buf);
            }
        }
    }

    /** The F32 layout {@link #writeTo} gives {@code tensors}: contiguous, in list order. */
    private static List<Entry> layout(List<Tensor> tensors) {
        List<Entry> out = new ArrayList<>(tensors.size());
        long at = 0;
        for (Tensor t : tensors) {
            long len = 4L * t.data.length;
            out.add(new Entry(t.name, DType.F32, t.shape, t.data.length, at, at + len));
            at += len;
        }
        return out;
    }

    /** Puts up to a buffer's worth of {@code data[from..]} as little-endian floats; returns the count; flips. */
    private static int fill(ByteBuffer buf, float[] data, int from) {
        buf.clear();
        int n = Math.min(data.length - from, buf.capacity() / 4);
        buf.asFloatBuffer().put(data, from, n);
        buf.limit(4 * n);
        return n;
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    static String formatChecksum(int crc) {
        return String.format(Locale.ROOT, "crc32c:%08x", crc);
    }

    /**
     * The bytes the checksum covers before the byte buffer: the metadata without {@value #CHECKSUM_KEY},
     * sorted by key, then every tensor in offset order: name, dtype, shape, offsets. Strings are a
     * little-endian int32 UTF-8 length and the bytes; numbers are little-endian int64.
     */
    private static byte[] canonicalHeader(Map<String, String> meta, List<Entry> entries) {
        ByteArrayChannel out = new ByteArrayChannel();
        Map<String, String> sorted = new TreeMap<>(meta);
        sorted.remove(CHECKSUM_KEY);
        out.putLong(sorted.size());
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            out.putString(e.getKey());
            out.putString(e.getValue());
        }
        out.putLong(entries.size());
        for (Entry x : entries) {
            out.putString(x.name);
            out.putString(x.dtype.name());
            out.putLong(x.shape.length);
            for (long d : x.shape) {
                out.putLong(d);
            }
            out.putLong(x.begin);
            out.putLong(x.end);
        }
        return out.toByteArray();
    }

    /** The checksum {@link #writeTo} stores for this content: {@code crc32c:<8 hex digits>}. */
    String checksumOf() {
        return formatChecksum(crc(metadata, layout(tensors), tensors));
    }

    private static int crc(Map<String, String> meta, List<Entry> layout, List<Tensor> tensors) {
        CRC32C crc = new CRC32C();
        crc.update(canonicalHeader(meta, layout));
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : tensors) {
            for (int from = 0; from < t.data.length; ) {
                from += fill(buf, t.data, from);
                crc.update(buf);
            }
        }
        return (int) crc.getValue();
    }

    // ================================================================ reading

    /** Random-access bytes: a file or an array. */
    private interface Source {
        long size() throws IOException;

        /** Fills {@code dst} from {@code pos}; a short read is a {@link ModelFormatException}. */
        void readFully(long pos, ByteBuffer dst) throws IOException;
    }

    /**
     * Reads and validates a safetensors file (see the class comment for every check).
     *
     * @throws ModelFormatException if the content is not a valid safetensors file vecmlp can read; the
     *                              message names the field, the expected and the found value
     * @throws IOException          if the file cannot be read
     */
    public static SafeTensors read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new Source() {
                @Override
                public long size() throws IOException {
                    return ch.size();
                }

                @Override
                public void readFully(long pos, ByteBuffer dst) throws IOException {
                    long p = pos;
                    while (dst.hasRemaining()) {
                        int n = ch.read(dst, p);
                        if (n < 0) {
                            throw new ModelFormatException("file", dst.remaining() + " more bytes at position " + p,
                                    "end of file (the file shrank while being read)");
                        }
                        p += n;
                    }
                }
            });
        }
    }

    /**
     * Reads and validates a safetensors file held in memory.
     *
     * @throws ModelFormatException if the content is not a valid safetensors file vecmlp can read
     */
    public static SafeTensors read(byte[] file) throws ModelFormatException {
        Objects.requireNonNull(file, "file");
        try {
            return read(new Source() {
                @Override
                public long size() {
                    return file.length;
                }

                @Override
                public void readFully(long pos, ByteBuffer dst) {
                    dst.put(file, (int) pos, dst.remaining());
                }
            });
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new AssertionError("in-memory source cannot fail", e);
        }
    }

    /** A tensor entry of the header, validated, before its data is read. */
    private static final class Entry {
        final String name;
        final DType dtype;
        final long[] shape;
        final int count;
        final long begin;
        final long end;

        Entry(String name, DType dtype, long[] shape, int count, long begin, long end) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.count = count;
            this.begin = begin;
            this.end = end;
        }
    }

    private static SafeTensors read(Source src) throws IOException {
        long size = src.size();
        if (size < 8) {
            throw new ModelFormatException("file length", "at least 8 bytes (the header length)", size + " bytes");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        src.readFully(0, lenBuf);
        long n = lenBuf.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new ModelFormatException("header length (bytes 0..7)", "at most " + MAX_HEADER_BYTES,
                    Long.toUnsignedString(n));
        }
        if (n > size - 8) {
            throw new ModelFormatException("header length (bytes 0..7)",
                    "at most the " + (size - 8) + " bytes that follow it in the file", Long.toString(n));
        }
        ByteBuffer headBuf = ByteBuffer.allocate((int) n);
        src.readFully(8, headBuf);
        headBuf.flip();
        if (n == 0 || headBuf.get(0) != '{') {
            throw new ModelFormatException("header (byte 8)", "'{' beginning the JSON header",
                    n == 0 ? "an empty header" : String.format("byte 0x%02x", headBuf.get(0) & 0xff));
        }
        String text = decodeUtf8(headBuf);
        Map<?, ?> root = (Map<?, ?>) Json.parse(text, "header"); // begins with '{': an object or an error

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : root.entrySet()) {
            String key = (String) e.getKey();
            if (key.equals(METADATA)) {
                readMetadata(e.getValue(), metadata);
            } else {
                entries.add(readEntry(key, e.getValue()));
            }
        }

        long dataLength = size - 8 - n;
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.<Entry>comparingLong(x -> x.begin).thenComparingLong(x -> x.end));
        long expected = 0;
        for (Entry x : byOffset) {
            String field = "tensor '" + x.name + "' data_offsets";
            if (x.end > dataLength) {
                throw new ModelFormatException(field, "an end within the " + dataLength + "-byte data buffer",
                        "[" + x.begin + ", " + x.end + "]");
            }
            if (x.begin != expected) {
                throw new ModelFormatException(field, "to begin at " + expected
                        + " (tensors contiguous, non-overlapping, from 0)", "[" + x.begin + ", " + x.end + "]"
                        + (x.begin < expected ? " (overlaps the previous tensor)" : " (leaves a hole)"));
            }
            expected = x.end;
        }
        if (expected != dataLength) {
            throw new ModelFormatException("data buffer", "exactly " + expected + " bytes, as the tensors cover",
                    dataLength + " bytes (" + (dataLength - expected) + " trailing bytes)");
        }

        int expectedCrc = 0;
        String declared = metadata.get(CHECKSUM_KEY);
        boolean check = declared != null && !declared.equals(NO_CHECKSUM);
        if (check) {
            expectedCrc = parseChecksum(declared);
        }

        // Everything is validated: the data to allocate is at most the file's own size.
        CRC32C crc = new CRC32C();
        if (check) {
            crc.update(canonicalHeader(metadata, byOffset));
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(dataLength, 8)))
                .order(ByteOrder.LITTLE_ENDIAN);
        List<Tensor> tensors = new ArrayList<>(byOffset.size());
        long base = 8 + n;
        for (Entry x : byOffset) {
            float[] data = new float[x.count];
            int done = 0;
            long pos = base + x.begin;
            int per = buf.capacity() / x.dtype.bytes;
            while (done < x.count) {
                int k = Math.min(per, x.count - done);
                buf.clear().limit(k * x.dtype.bytes);
                src.readFully(pos, buf);
                buf.flip();
                if (check) {
                    crc.update(buf);
                    buf.flip();
                }
                decode(buf, x.dtype, data, done, k);
                done += k;
                pos += (long) k * x.dtype.bytes;
            }
            tensors.add(new Tensor(x.name, x.shape, data, x.dtype));
        }
        if (check && (int) crc.getValue() != expectedCrc) {
            throw new ModelFormatException("metadata '" + CHECKSUM_KEY + "'", "the checksum of the content, "
                    + declared, "content whose checksum is " + formatChecksum((int) crc.getValue())
                    + " (the file is corrupted)");
        }
        return new SafeTensors(metadata, tensors, check);
    }

    private static int parseChecksum(String declared) throws ModelFormatException {
        if (declared.length() == 15 && declared.startsWith("crc32c:")) {
            int v = 0;
            boolean ok = true;
            for (int i = 7; i < 15; i++) {
                char c = declared.charAt(i);
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                ok &= d >= 0;
                v = (v << 4) | (d & 0xf);
            }
            if (ok) {
                return v;
            }
        }
        throw new ModelFormatException("metadata '" + CHECKSUM_KEY + "'",
                "'crc32c:' and 8 lowercase hex digits, or '" + NO_CHECKSUM + "'", quote(declared));
    }

    private static void decode(ByteBuffer buf, DType dtype, float[] out, int at, int k) {
        switch (dtype) {
            case F32:
                buf.asFloatBuffer().get(out, at, k);
                break;
            case F64:
                for (int i = 0; i < k; i++) {
                    out[at + i] = (float) buf.getDouble(8 * i);
                }
                break;
            case F16:
                for (int i = 0; i < k; i++) {
                    out[at + i] = halfToFloat(buf.getShort(2 * i));
                }
                break;
            case BF16:
                for (int i = 0; i < k; i++) {
                    out[at + i] = Float.intBitsToFloat((buf.getShort(2 * i) & 0xffff) << 16);
                }
                break;
            default:
                throw new AssertionError(dtype);
        }
    }

    /** IEEE 754 binary16 to binary32, exact (NaN payloads kept). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float f = mant * 0x1p-24f;                  // zero or subnormal: exact in binary32
            return sign != 0 ? -f : f;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static String decodeUtf8(ByteBuffer bytes) throws ModelFormatException {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.remaining());
        CoderResult r = dec.decode(bytes, out, true);
        if (r.isUnderflow()) {
            r = dec.flush(out);
        }
        if (r.isError()) {
            throw new ModelFormatException("header (byte " + (8 + bytes.position()) + ")", "valid UTF-8",
                    "a malformed sequence of " + r.length() + " byte(s)");
        }
        out.flip();
        return out.toString();
    }

    private static void readMetadata(Object value, Map<String, String> into) throws ModelFormatException {
        if (!(value instanceof Map)) {
            throw new ModelFormatException(METADATA, "an object of strings", jsonType(value));
        }
        for (Map.Entry<?, ?> m : ((Map<?, ?>) value).entrySet()) {
            if (!(m.getValue() instanceof String)) {
                throw new ModelFormatException(METADATA + " '" + m.getKey() + "'", "a string", jsonType(m.getValue()));
            }
            into.put((String) m.getKey(), (String) m.getValue());
        }
    }

    private static Entry readEntry(String name, Object value) throws ModelFormatException {
        String t = "tensor '" + name + "'";
        if (name.isEmpty()) {
            throw new ModelFormatException("tensor name", "a non-empty string", "\"\"");
        }
        if (!(value instanceof Map)) {
            throw new ModelFormatException(t, "an object {dtype, shape, data_offsets}", jsonType(value));
        }
        Map<?, ?> m = (Map<?, ?>) value;
        for (Object k : m.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new ModelFormatException(t, "only the keys dtype, shape, data_offsets", "key " + quote((String) k));
            }
        }
        Object dt = m.get("dtype");
        if (!(dt instanceof String)) {
            throw new ModelFormatException(t + " dtype", "a string", dt == null ? "nothing" : jsonType(dt));
        }
        DType dtype;
        switch ((String) dt) {
            case "F32": dtype = DType.F32; break;
            case "F64": dtype = DType.F64; break;
            case "F16": dtype = DType.F16; break;
            case "BF16": dtype = DType.BF16; break;
            default:
                throw new ModelFormatException(t + " dtype", "one of F32, F64, F16, BF16", quote((String) dt));
        }
        long[] shape = nonNegativeLongs(m.get("shape"), t + " shape", -1);
        long count = 1;
        for (long d : shape) {
            count = saturatingMultiply(count, d);
        }
        if (count > MAX_ELEMENTS) {
            throw new ModelFormatException(t + " shape", "at most " + MAX_ELEMENTS + " elements",
                    Arrays.toString(shape));
        }
        long[] off = nonNegativeLongs(m.get("data_offsets"), t + " data_offsets", 2);
        long bytes = count * dtype.bytes;
        if (off[0] > off[1] || off[1] - off[0] != bytes) {
            throw new ModelFormatException(t + " data_offsets", "[BEGIN, BEGIN + " + bytes + "] for " + count
                    + " " + dtype + " elements of shape " + Arrays.toString(shape), Arrays.toString(off));
        }
        return new Entry(name, dtype, shape, (int) count, off[0], off[1]);
    }

    private static long[] nonNegativeLongs(Object v, String field, int length) throws ModelFormatException {
        String what = "an array of " + (length >= 0 ? length + " " : "") + "non-negative integers";
        if (!(v instanceof List)) {
            throw new ModelFormatException(field, what, v == null ? "nothing" : jsonType(v));
        }
        List<?> list = (List<?>) v;
        if (length >= 0 && list.size() != length) {
            throw new ModelFormatException(field, what, list.size() + " elements");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object o = list.get(i);
            long x = o instanceof Json.Num ? ((Json.Num) o).nonNegativeLong() : -1;
            if (x < 0) {
                throw new ModelFormatException(field + "[" + i + "]", "a non-negative integer below 2^63",
                        o instanceof Json.Num ? o.toString() : jsonType(o));
            }
            out[i] = x;
        }
        return out;
    }

    private static long saturatingMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    private static String jsonType(Object v) {
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "the string " + quote((String) v);
        }
        if (v instanceof Json.Num) {
            return "the number " + v;
        }
        if (v instanceof Boolean) {
            return "the boolean " + v;
        }
        return "null";
    }

    static String quote(String s) {
        String q = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append('"').toString();
    }

    /** A growable in-memory channel, also the builder of the canonical checksum bytes. */
    private static final class ByteArrayChannel implements WritableByteChannel {
        private byte[] buf = new byte[256];
        private int size;

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            ensure(n);
            src.get(buf, size, n);
            size += n;
            return n;
        }

        void putLong(long v) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[size++] = (byte) (v >>> (8 * i));
            }
        }

        void putString(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            ensure(4 + b.length);
            for (int i = 0; i < 4; i++) {
                buf[size++] = (byte) (b.length >>> (8 * i));
            }
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
