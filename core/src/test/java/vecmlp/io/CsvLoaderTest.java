package vecmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecmlp.train.Dataset;

class CsvLoaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsLabelInLastColumnWithoutHeader() throws IOException {
        Dataset d = CsvLoader.create().load(write("a.csv", "1,2.5,0\n-3,4e1,2\n\n5, 6 ,1\n"));
        assertEquals(3, d.rows());
        assertEquals(2, d.cols());
        assertArrayEquals(new float[] {1f, 2.5f, -3f, 40f, 5f, 6f}, d.features());
        assertArrayEquals(new int[] {0, 2, 1}, d.labels());
        assertEquals(3, d.numClasses());
    }

    /** The fast path for short integers gives Float.parseFloat's bits, the sign of a negative zero included. */
    @Test
    void shortIntegersReadAsParseFloatReadsThem() throws IOException {
        String[] fields = {"0", "-0", "+0", "7", "-7", "+12", "0016", "9999999", "-9999999", "10000000", "-00",
            "1.", "1e3", "16"};
        StringBuilder row = new StringBuilder();
        for (String f : fields) {
            row.append(f).append(',');
        }
        Dataset d = CsvLoader.create().load(write("ints.csv", row.append("1\n").toString()));
        for (int i = 0; i < fields.length; i++) {
            assertEquals(Float.floatToRawIntBits(Float.parseFloat(fields[i])), Float.floatToRawIntBits(d.features()[i]),
                    "field " + fields[i]);
        }
        assertEquals(-7, CsvLoader.smallInteger("-7"));
        assertEquals(Integer.MIN_VALUE, CsvLoader.smallInteger("12345678"), "8 digits: Float.parseFloat's path");
        assertEquals(Integer.MIN_VALUE, CsvLoader.smallInteger("-0"), "-0 is -0.0f");
        assertEquals(Integer.MIN_VALUE, CsvLoader.smallInteger(""));
        assertEquals(Integer.MIN_VALUE, CsvLoader.smallInteger("-"));
    }

    @Test
    void readsNamedLabelColumnFromHeaderWithQuotesBomAndCrlf() throws IOException {
        Dataset d = CsvLoader.create().withLabelColumn("digit")
                .load(write("b.csv", "\uFEFF\"x\",\"digit\",y\r\n1,\"7\",2\r\n3,4,5\r\n"));
        assertArrayEquals(new float[] {1f, 2f, 3f, 5f}, d.features());
        assertArrayEquals(new int[] {7, 4}, d.labels());
        assertEquals(8, d.numClasses());
    }

    @Test
    void labelColumnByIndexFromEitherEnd() throws IOException {
        Path p = write("c.csv", "1,2,3\n4,5,6\n");
        assertArrayEquals(new int[] {1, 4}, CsvLoader.create().withLabelColumn(0).load(p).labels());
        assertArrayEquals(new float[] {1f, 3f, 4f, 6f}, CsvLoader.create().withLabelColumn(-2).load(p).features());
        assertArrayEquals(new int[] {2, 5}, CsvLoader.create().withLabelColumn(1).load(p).labels());
    }

    @Test
    void weightColumnByIndexOrName() throws IOException {
        Path p = write("w.csv", "1,2,0.5,3\n4,5,2,6\n");
        Dataset d = CsvLoader.create().withWeightColumn(2).load(p);
        assertArrayEquals(new float[] {1f, 2f, 4f, 5f}, d.features());
        assertArrayEquals(new int[] {3, 6}, d.labels());
        assertArrayEquals(new float[] {0.5f, 2f}, d.weights());
        Dataset e = CsvLoader.create().withLabelColumn(0).withWeightColumn(-1).load(p);
        assertArrayEquals(new float[] {2f, 0.5f, 5f, 2f}, e.features());
        assertArrayEquals(new float[] {3f, 6f}, e.weights());
        Dataset named = CsvLoader.create().withLabelColumn("y").withWeightColumn("w")
                .load(write("wn.csv", "w,a,y\n0,1.5,1\n3,2.5,0\n"));
        assertArrayEquals(new float[] {1.5f, 2.5f}, named.features());
        assertArrayEquals(new float[] {0f, 3f}, named.weights());
        assertFalse(CsvLoader.create().load(p).hasWeights());
        assertTrue(CsvLoader.create().withWeightColumn(0).toString().contains("weight=0"));
    }

    @Test
    void badWeightsNameLineAndColumn() throws IOException {
        MalformedDataException e = bad(CsvLoader.create().withWeightColumn(1), "wneg.csv", "1,2,0\n3,-1,1\n");
        assertTrue(e.getMessage().contains("line 2, column 2: expected a weight (a finite number >= 0), found \"-1\""),
                e.getMessage());
        e = bad(CsvLoader.create().withWeightColumn(-1), "wsame.csv", "1,2,0\n");
        assertTrue(e.getMessage().contains("expected the weight column to differ from the label column"),
                e.getMessage());
        e = bad(CsvLoader.create().withWeightColumn(0), "wnarrow.csv", "1,0\n");
        assertTrue(e.getMessage().contains("expected at least 3 fields (features, a label and a weight)"),
                e.getMessage());
        e = bad(CsvLoader.create().withWeightColumn("w"), "wmissing.csv", "a,b,y\n1,2,0\n");
        assertTrue(e.getMessage().contains("a column named \"w\""), e.getMessage());
        e = bad(CsvLoader.create().withWeightColumn(5), "wrange.csv", "1,2,0\n");
        assertTrue(e.getMessage().contains("expected a weight column 5 within the 3 fields"), e.getMessage());
    }

    @Test
    void headerIsSkippedWhenAsked() throws IOException {
        Dataset d = CsvLoader.create().withHeader(true).withDelimiter(';').load(write("d.csv", "a;b\n1.5;1\n"));
        assertEquals(1, d.rows());
        assertArrayEquals(new float[] {1.5f}, d.features());
    }

    @Test
    void readsGzipByMagicBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("0.5,1\n0.25,0\n".getBytes(StandardCharsets.UTF_8));
        }
        Path p = dir.resolve("e.csv.gz");
        Files.write(p, bytes.toByteArray());
        Dataset d = CsvLoader.create().load(p);
        assertArrayEquals(new float[] {0.5f, 0.25f}, d.features());
        assertArrayEquals(new int[] {1, 0}, d.labels());
    }

    private MalformedDataException bad(CsvLoader loader, String name, String text) throws IOException {
        Path p = write(name, text);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> loader.load(p));
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertEquals(p.toString(), e.file());
        return e;
    }

    @Test
    void raggedRowNamesLineAndWidths() throws IOException {
        MalformedDataException e = bad(CsvLoader.create(), "ragged.csv", "1,2,0\n3,4,1\n5,1\n");
        assertTrue(e.getMessage().contains("line 3: expected 3 fields as on line 1, found 2"), e.getMessage());
    }

    @Test
    void nonNumberNamesLineAndColumn() throws IOException {
        MalformedDataException e = bad(CsvLoader.create(), "nan.csv", "1,2,0\n3,abc,1\n");
        assertTrue(e.getMessage().contains("line 2, column 2: expected a number, found \"abc\""), e.getMessage());
        e = bad(CsvLoader.create(), "inf.csv", "1,2,0\nNaN,1,1\n");
        assertTrue(e.getMessage().contains("line 2, column 1: expected a finite decimal number, found \"NaN\""),
                e.getMessage());
        e = bad(CsvLoader.create(), "empty-field.csv", "1,,0\n");
        assertTrue(e.getMessage().contains("line 1, column 2: expected a number, found \"\""), e.getMessage());
        e = bad(CsvLoader.create(), "hex.csv", "0x1p3,0\n");
        assertTrue(e.getMessage().contains("line 1, column 1"), e.getMessage());
    }

    @Test
    void badLabelNamesLineAndColumn() throws IOException {
        MalformedDataException e = bad(CsvLoader.create(), "label.csv", "1,2,0\n3,4,1.5\n");
        assertTrue(e.getMessage().contains("line 2, column 3: expected a class label (an integer >= 0), found \"1.5\""),
                e.getMessage());
        e = bad(CsvLoader.create(), "neg.csv", "1,-1\n");
        assertTrue(e.getMessage().contains("line 1, column 2"), e.getMessage());
        assertArrayEquals(new int[] {3}, CsvLoader.create().load(write("int.csv", "1,3.0\n")).labels());
    }

    @Test
    void missingHeaderColumnOrLabelIndex() throws IOException {
        MalformedDataException e = bad(CsvLoader.create().withLabelColumn("label"), "h.csv", "a,b\n1,2\n");
        assertTrue(e.getMessage().contains("line 1: expected a header with a column named \"label\""), e.getMessage());
        e = bad(CsvLoader.create().withLabelColumn(5), "i.csv", "1,2\n");
        assertTrue(e.getMessage().contains("expected a label column 5 within the 2 fields"), e.getMessage());
    }

    @Test
    void emptyFileSingleColumnAndHeaderOnly() throws IOException {
        assertTrue(bad(CsvLoader.create(), "empty.csv", "").getMessage().contains("expected at least one data row"));
        assertTrue(bad(CsvLoader.create(), "one.csv", "1\n2\n").getMessage()
                .contains("line 1: expected at least 2 fields"));
        assertTrue(bad(CsvLoader.create().withHeader(true), "hdr.csv", "a,b\n\n").getMessage()
                .contains("none after the header"));
        assertTrue(bad(CsvLoader.create(), "quote.csv", "\"1,2\n").getMessage()
                .contains("line 1, column 1: expected a closing double quote"));
    }

    @Test
    void truncatedGzipNamesTheFile() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (int i = 0; i < 2000; i++) {
                gz.write((i + "," + (i % 3) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] all = bytes.toByteArray();
        Path p = dir.resolve("cut.csv.gz");
        Files.write(p, java.util.Arrays.copyOf(all, all.length / 2));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> CsvLoader.create().load(p));
        assertTrue(e.getMessage().startsWith(p + ": after line "), e.getMessage());
        assertTrue(e.getMessage().contains("expected more gzip data"), e.getMessage());
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> CsvLoader.create().withDelimiter('"'));
        assertThrows(IllegalArgumentException.class, () -> CsvLoader.create().withLabelColumn(""));
        assertThrows(NullPointerException.class, () -> CsvLoader.create().load((Path) null));
    }
}
