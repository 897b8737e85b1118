package vecmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecmlp.train.Dataset;

class IdxLoaderTest {

    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes with the given sizes and values. */
    private static byte[] idxUbyte(int[] dims, int[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        for (int v : values) {
            b.put((byte) v);
        }
        return b.array();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private static final int[] PIXELS = {0, 255, 128, 7, 1, 2, 3, 4, 200, 100, 50, 25};

    @Test
    void readsImagesAndLabelsRawAndGzip() throws IOException {
        byte[] images = idxUbyte(new int[] {3, 2, 2}, PIXELS);
        byte[] labels = idxUbyte(new int[] {3}, new int[] {5, 0, 9});
        for (boolean gz : new boolean[] {false, true}) {
            Path x = write("images" + gz, gz ? gzip(images) : images);
            Path y = write("labels" + gz, gz ? gzip(labels) : labels);
            Dataset d = IdxLoader.load(x, y);
            assertEquals(3, d.rows());
            assertEquals(4, d.cols());
            float[] expected = new float[PIXELS.length];
            for (int i = 0; i < PIXELS.length; i++) {
                expected[i] = PIXELS[i];
            }
            assertArrayEquals(expected, d.features());
            assertArrayEquals(new int[] {5, 0, 9}, d.labels());
            assertEquals(10, d.numClasses());
            assertArrayEquals(new int[] {3, 2, 2}, IdxLoader.read(x).dims());
        }
    }

    @Test
    void loadsFromStreamsAndNamesTheStreamInErrors() throws IOException {
        byte[] images = idxUbyte(new int[] {3, 2, 2}, PIXELS);
        byte[] labels = idxUbyte(new int[] {3}, new int[] {5, 0, 9});
        Dataset d = IdxLoader.load(new java.io.ByteArrayInputStream(gzip(images)), "img",
                new java.io.ByteArrayInputStream(labels), "lab");
        assertEquals(3, d.rows());
        assertEquals(4, d.cols());
        assertArrayEquals(new int[] {5, 0, 9}, d.labels());
        assertEquals(10, d.numClasses());
        byte[] two = idxUbyte(new int[] {2}, new int[] {1, 2});
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxLoader.load(
                new java.io.ByteArrayInputStream(images), "img", new java.io.ByteArrayInputStream(two), "lab"));
        assertTrue(e.getMessage().startsWith("lab: byte offset 4: expected 3 labels, one per image of img, found 2"),
                e.getMessage());
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> IdxLoader.load(null, "img", new java.io.ByteArrayInputStream(two), "lab"));
        assertEquals("images must not be null", npe.getMessage());
        npe = assertThrows(NullPointerException.class, () -> IdxLoader.load(
                new java.io.ByteArrayInputStream(images), "img", new java.io.ByteArrayInputStream(two), null));
        assertEquals("labelsName must not be null", npe.getMessage());
    }

    @Test
    void readsEveryValueType() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 * 8);
        b.put(new byte[] {0, 0, 0x0E, 1}).putInt(2).putDouble(-1.5).putDouble(3.25);
        assertArrayEquals(new float[] {-1.5f, 3.25f}, IdxLoader.read(write("d", b.array())).values());
        b = ByteBuffer.allocate(8 + 2 * 4);
        b.put(new byte[] {0, 0, 0x0D, 1}).putInt(2).putFloat(0.5f).putFloat(-2f);
        assertArrayEquals(new float[] {0.5f, -2f}, IdxLoader.read(write("f", b.array())).values());
        b = ByteBuffer.allocate(8 + 2 * 4);
        b.put(new byte[] {0, 0, 0x0C, 1}).putInt(2).putInt(-7).putInt(70000);
        assertArrayEquals(new float[] {-7f, 70000f}, IdxLoader.read(write("i", b.array())).values());
        b = ByteBuffer.allocate(8 + 2 * 2);
        b.put(new byte[] {0, 0, 0x0B, 1}).putInt(2).putShort((short) -300).putShort((short) 300);
        assertArrayEquals(new float[] {-300f, 300f}, IdxLoader.read(write("s", b.array())).values());
        b = ByteBuffer.allocate(8 + 2);
        b.put(new byte[] {0, 0, 0x09, 1}).putInt(2).put((byte) -1).put((byte) 127);
        assertArrayEquals(new float[] {-1f, 127f}, IdxLoader.read(write("b", b.array())).values());
    }

    private MalformedDataException bad(String name, byte[] bytes) throws IOException {
        Path p = write(name, bytes);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxLoader.read(p));
        assertTrue(e.getMessage().startsWith(p + ": byte offset "), e.getMessage());
        return e;
    }

    @Test
    void truncatedFileSaysHowManyBytesWereExpected() throws IOException {
        byte[] ok = idxUbyte(new int[] {3, 2, 2}, PIXELS);
        MalformedDataException e = bad("cut", Arrays.copyOf(ok, ok.length - 1));
        assertTrue(e.getMessage().contains("byte offset 27: expected 28 bytes (16 header + 12 values of 1 bytes "
                + "for sizes [3, 2, 2]), found 27 (truncated)"), e.getMessage());
        e = bad("cut-header", Arrays.copyOf(ok, 10));
        assertTrue(e.getMessage().contains("expected a header of 16 bytes (3 sizes), found a file of 10 bytes"),
                e.getMessage());
        e = bad("tiny", new byte[] {0, 0});
        assertTrue(e.getMessage().contains("byte offset 0: expected a 4-byte IDX magic number"), e.getMessage());
        e = bad("long", Arrays.copyOf(ok, ok.length + 3));
        assertTrue(e.getMessage().contains("found 31 (trailing bytes)"), e.getMessage());
    }

    @Test
    void valuesSpanningSeveralChunksAreReadRawGzipAndFromAStream() throws IOException {
        int n = IdxLoader.CHUNK / 8 * 3 + 5; // doubles: three chunks and part of a fourth
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * n);
        b.put(new byte[] {0, 0, 0x0E, 1}).putInt(n);
        float[] expected = new float[n];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < n; i++) {
            double v = r.nextGaussian() * 1e3;
            b.putDouble(v);
            expected[i] = (float) v;
        }
        byte[] raw = b.array();
        assertArrayEquals(expected, IdxLoader.read(write("many", raw)).values());
        assertArrayEquals(expected, IdxLoader.read(write("many.gz", gzip(raw))).values());
        assertArrayEquals(expected, IdxLoader.read(new java.io.ByteArrayInputStream(raw), "s").values());
    }

    @Test
    void sizesLargerThanTheFileAreAnErrorBeforeAnyArrayIsMade() throws IOException {
        // 2,000,000,000 values would be an 8 GB array: the length is checked first, raw, gzip or stream.
        byte[] b = ByteBuffer.allocate(9).put(new byte[] {0, 0, 8, 1}).putInt(2_000_000_000).put((byte) 1).array();
        String want = "byte offset 9: expected 2000000008 bytes (8 header + 2000000000 values of 1 bytes for sizes "
                + "[2000000000]), found 9 (truncated)";
        assertTrue(bad("claims", b).getMessage().contains(want));
        Path gz = write("claims.gz", gzip(b));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxLoader.read(gz));
        assertTrue(e.getMessage().contains(want), e.getMessage());
        e = assertThrows(MalformedDataException.class,
                () -> IdxLoader.read(new java.io.ByteArrayInputStream(b), "s"));
        assertTrue(e.getMessage().contains(want), e.getMessage());
    }

    @Test
    void truncatedGzipNamesTheFile() throws IOException {
        byte[] big = idxUbyte(new int[] {100, 10, 10}, new java.util.Random(1).ints(10000, 0, 256).toArray());
        byte[] gz = gzip(big);
        Path p = write("cut.gz", Arrays.copyOf(gz, gz.length - 20));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxLoader.read(p));
        assertTrue(e.getMessage().startsWith(p + ": decompressed byte offset "), e.getMessage());
        assertTrue(e.getMessage().contains("expected more gzip data"), e.getMessage());
    }

    @Test
    void wrongMagicOrTypeIsNamed() throws IOException {
        byte[] ok = idxUbyte(new int[] {3}, new int[] {1, 2, 3});
        byte[] b = ok.clone();
        b[0] = 0x1e;
        assertTrue(bad("magic", b).getMessage().contains("byte offset 0: expected an IDX magic number starting "
                + "with two zero bytes (0x0000TTDD), found 0x1E000801"));
        b = ok.clone();
        b[2] = 0x07;
        assertTrue(bad("type", b).getMessage().contains("byte offset 2: expected an IDX type code"));
        b = ok.clone();
        b[3] = 0;
        assertTrue(bad("ndim", b).getMessage().contains("byte offset 3: expected at least 1 dimension"));
        b = ok.clone();
        b[4] = (byte) 0x80;
        assertTrue(bad("neg", b).getMessage().contains("byte offset 4: expected size 0 to be >= 0"));
        b = ByteBuffer.allocate(16).put(new byte[] {0, 0, 8, 3}).putInt(65536).putInt(65536).putInt(2).array();
        assertTrue(bad("huge", b).getMessage().contains("too large for one array"));
    }

    @Test
    void mismatchedCountsAndShapesAreNamed() throws IOException {
        Path x = write("x", idxUbyte(new int[] {3, 2, 2}, PIXELS));
        Path y2 = write("y2", idxUbyte(new int[] {2}, new int[] {1, 2}));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxLoader.load(x, y2));
        assertTrue(e.getMessage().equals(y2 + ": byte offset 4: expected 3 labels, one per image of " + x
                + ", found 2"), e.getMessage());
        Path y1 = write("y1", idxUbyte(new int[] {3}, new int[] {1, 2, 3}));
        e = assertThrows(MalformedDataException.class, () -> IdxLoader.load(y1, y1));
        assertTrue(e.getMessage().contains("expected an image file with at least 2 dimensions"), e.getMessage());
        e = assertThrows(MalformedDataException.class, () -> IdxLoader.load(x, x));
        assertTrue(e.getMessage().contains("expected a label file with 1 dimension"), e.getMessage());
        ByteBuffer f = ByteBuffer.allocate(8 + 12).put(new byte[] {0, 0, 0x0D, 1}).putInt(3);
        f.putFloat(1).putFloat(2).putFloat(3);
        Path yf = write("yf", f.array());
        e = assertThrows(MalformedDataException.class, () -> IdxLoader.load(x, yf));
        assertTrue(e.getMessage().contains("expected an integer type code for labels"), e.getMessage());
        ByteBuffer s = ByteBuffer.allocate(8 + 3).put(new byte[] {0, 0, 0x09, 1}).putInt(3);
        s.put((byte) 1).put((byte) -2).put((byte) 3);
        Path ys = write("ys", s.array());
        e = assertThrows(MalformedDataException.class, () -> IdxLoader.load(x, ys));
        assertTrue(e.getMessage().contains("byte offset 9: expected a class label >= 0 for sample 1, found -2"),
                e.getMessage());
    }

    @Test
    void everyTruncationAndEveryHeaderByteFlipIsAMalformedDataExceptionNeverAnIndexError() throws IOException {
        byte[] ok = idxUbyte(new int[] {3, 2, 2}, PIXELS);
        for (int len = 0; len < ok.length; len++) {
            Path p = write("prefix" + len, Arrays.copyOf(ok, len));
            assertThrows(MalformedDataException.class, () -> IdxLoader.read(p), "length " + len);
        }
        for (int pos = 0; pos < 16; pos++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] b = ok.clone();
                b[pos] ^= (byte) (1 << bit);
                Path p = write("flip" + pos + "_" + bit, b);
                try {
                    IdxLoader.read(p);
                    assertTrue(pos == 2 && (b[2] == 0x09), "flip at " + pos + " bit " + bit + " was accepted");
                } catch (MalformedDataException expected) {
                    assertTrue(expected.getMessage().startsWith(p.toString()), expected.getMessage());
                }
            }
        }
    }
}
