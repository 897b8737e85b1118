package vecmlp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every check of the reader: each bad file gives a ModelFormatException naming field, expected, found. */
class SafeTensorsValidationTest {

    private static byte[] file(long headerLength, byte[] header, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(header);
        return b.array();
    }

    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, dataBytes);
    }

    private static final String W = "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    /** Asserts the file is rejected and the message names the field and the found value. */
    private static ModelFormatException rejects(byte[] file, String field, String found) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(file));
        assertTrue(e.field().contains(field), "field '" + field + "' in: " + e.getMessage());
        assertTrue(e.found().contains(found), "found '" + found + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains("expected " + e.expected()), e.getMessage());
        return e;
    }

    @Test
    void aValidFileIsAccepted() throws Exception {
        assertEquals(2, SafeTensors.read(file("{" + W + "}", 8)).tensor("w").data().length);
        assertEquals(0, SafeTensors.read(file("{}", 0)).tensors().size());
    }

    @Test
    void headerLength() {
        rejects(new byte[7], "file length", "7 bytes");
        rejects(file(-1L, new byte[0], 0), "header length", "18446744073709551615");
        rejects(file(SafeTensors.MAX_HEADER_BYTES + 1, new byte[0], 0), "header length", "100000001");
        byte[] h = ("{" + W + "}").getBytes(StandardCharsets.UTF_8);
        rejects(file(h.length + 9, h, 8), "header length", String.valueOf(h.length + 9));
        rejects(file(0, new byte[0], 0), "header", "empty header");
    }

    @Test
    void headerText() {
        rejects(file(" {}", 0), "header (byte 8)", "0x20");
        rejects(file("{} x", 0), "header JSON at character 3", "'x'");
        rejects(file("{\"a\":", 0), "header JSON", "end of text");
        rejects(file("{\"a\":1,\"a\":2}", 0), "header JSON", "a second key \"a\"");
        rejects(file("{\"a\":\"\\x\"}", 0), "header JSON", "\\'x'");
        rejects(file("{\"a\":\"\\ud800\"}", 0), "header JSON at character 12", "'\"'");
        rejects(file("{\"a\":\"\\udc00\"}", 0), "header JSON", "\\uDC00");
        rejects(file("{\"a\":\"\\u12g4\"}", 0), "header JSON", "'g'");
        rejects(file("{\"a\":[01]}", 0), "header JSON", "'1'");
        rejects(file("{\"a\":\"\t\"}", 0), "header JSON", "U+0009");
        rejects(file("{" + "[".repeat(100), 0), "header JSON", "'['");
        rejects(file("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", 0), "header JSON", "deeper nesting");
        byte[] bad = file("{\"a\":\"xx\"}", 0);
        bad[8 + 6] = (byte) 0xc3;                        // a lead byte with no continuation
        rejects(bad, "header (byte 14)", "malformed");
    }

    @Test
    void metadata() {
        rejects(file("{\"__metadata__\":[]}", 0), "__metadata__", "an array");
        rejects(file("{\"__metadata__\":{\"n\":1}}", 0), "__metadata__ 'n'", "the number 1");
        rejects(file("{\"__metadata__\":{\"vecmlp.checksum\":\"crc32c:1234\"}}", 0), "vecmlp.checksum",
                "\"crc32c:1234\"");
        ModelFormatException e = rejects(file("{\"__metadata__\":{\"vecmlp.checksum\":\"crc32c:00000000\"}}", 0),
                "vecmlp.checksum", "content whose checksum is crc32c:");
        assertTrue(e.expected().contains("crc32c:00000000"));
    }

    @Test
    void tensorEntries() {
        rejects(file("{\"w\":3}", 0), "tensor 'w'", "the number 3");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", 8), "tensor 'w'",
                "key \"x\"");
        rejects(file("{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8), "tensor 'w' dtype",
                "\"I64\"");
        rejects(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w' dtype", "nothing");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "tensor 'w' shape[0]",
                "-1");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}", 4), "tensor 'w' shape[0]",
                "1.0");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1e999999999],\"data_offsets\":[0,4]}}", 4),
                "tensor 'w' shape[0]", "1e999999999");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,4]}}", 4),
                "tensor 'w' shape[0]", "99999999999999999999");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,4]}}", 4),
                "tensor 'w' shape", "[65536, 65536]");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4],\"data_offsets\":[0,4]}}", 4),
                "tensor 'w' shape", "4294967296");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8),
                "tensor 'w' data_offsets", "1 elements");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", 12),
                "tensor 'w' data_offsets", "[0, 12]");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8),
                "tensor 'w' data_offsets", "[8, 0]");
        rejects(file("{\"\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "tensor name", "\"\"");
    }

    @Test
    void offsetsInsideContiguousNonOverlappingAndCoveringTheBuffer() {
        String v = "\"v\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[%d,%d]}";
        rejects(file("{" + W + "}", 4), "tensor 'w' data_offsets", "[0, 8]");                    // beyond the file
        rejects(file("{" + W + "," + String.format(v, 4, 8) + "}", 8), "tensor 'v' data_offsets", "overlaps");
        rejects(file("{" + W + "," + String.format(v, 12, 16) + "}", 16), "tensor 'v' data_offsets", "hole");
        rejects(file("{" + String.format(v, 4, 8) + "}", 8), "tensor 'v' data_offsets", "hole");   // not from 0
        rejects(file("{" + W + "}", 9), "data buffer", "1 trailing bytes");
        rejects(file("{}", 3), "data buffer", "3 trailing bytes");
    }

    @Test
    void filesOnDiskGetTheSameChecks(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("forged.safetensors");
        byte[] h = ("{" + W + "}").getBytes(StandardCharsets.UTF_8);
        java.nio.file.Files.write(f, file(1L << 40, h, 8));
        rejects(f, "header length", "1099511627776");
        java.nio.file.Files.write(f, file("{" + W + "}", 5));
        rejects(f, "tensor 'w' data_offsets", "[0, 8]");
        java.nio.file.Files.write(f, file("{" + W + "}", 8));
        assertEquals(2, SafeTensors.read(f).tensor("w").data().length);
        assertThrows(java.nio.file.NoSuchFileException.class, () -> SafeTensors.read(dir.resolve("missing")));
    }

    private static void rejects(java.nio.file.Path file, String field, String found) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(file));
        assertTrue(e.field().contains(field) && e.found().contains(found), e.getMessage());
    }

    @Test
    void theWriterValidatesItsArguments() {
        float[] two = new float[2];
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.Tensor.of("w", new long[] {3}, two));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.Tensor.of("w", new long[] {-1, -2}, two));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.Tensor.of("", new long[] {2}, two));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.Tensor.of("__metadata__", new long[] {2}, two));
        SafeTensors.Tensor t = SafeTensors.Tensor.vector("w", two);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.of(Map.of(), List.of(t, t)));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.of(Map.of("k", "\ud800"), List.of(t)));
    }
}
