package vecmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Files built byte by byte to the published safetensors specification, read and written. */
class SafeTensorsSpecTest {

    /** Appends the bytes given as hex pairs ("00 00 80 3f"). */
    private static void hex(ByteArrayOutputStream out, String pairs) {
        for (String p : pairs.trim().split("\\s+")) {
            out.write(Integer.parseInt(p, 16));
        }
    }

    private static void u64(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    @Test
    void readsAFileWrittenByHandToTheSpecification() throws Exception {
        // Header: a JSON object beginning with '{', padded with spaces (0x20); offsets relative to the buffer.
        // Tensors deliberately listed out of data order, one of each dtype vecmlp reads, one empty, one scalar.
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"half\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[24,30]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"empty\":{\"dtype\":\"F32\",\"shape\":[0,5],\"data_offsets\":[16,16]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]},"
                + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[30,32]}}   ";
        byte[] header = json.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        u64(f, header.length);
        f.write(header);
        hex(f, "00 00 80 3f   00 00 00 c0   00 00 40 40   00 00 80 c0"); // w = [[1, -2], [3, -4]] (F32 LE)
        hex(f, "00 00 00 00 00 00 e0 3f");                             // d = [0.5] (F64 LE)
        hex(f, "00 3c   00 c0   01 00");                               // half = [1, -2, 2^-24] (F16 LE)
        hex(f, "c0 3f");                                               // bf = 1.5 (BF16 LE)
        byte[] file = f.toByteArray();
        assertEquals(8 + header.length + 32, file.length);

        SafeTensors st = SafeTensors.read(file);
        assertEquals(Map.of("format", "pt"), st.metadata());
        assertFalse(st.checksumVerified(), "no checksum in this file");
        assertEquals(List.of("w", "empty", "d", "half", "bf"),
                st.tensors().stream().map(SafeTensors.Tensor::name).collect(java.util.stream.Collectors.toList()),
                "tensors come in data order");
        SafeTensors.Tensor w = st.tensor("w");
        assertTrue(w.hasShape(2, 2));
        assertArrayEquals(new float[] {1f, -2f, 3f, -4f}, w.data());
        assertEquals(SafeTensors.DType.F32, w.storedAs());
        assertTrue(st.tensor("empty").hasShape(0, 5));
        assertEquals(0, st.tensor("empty").data().length);
        assertArrayEquals(new float[] {0.5f}, st.tensor("d").data());
        assertEquals(SafeTensors.DType.F64, st.tensor("d").storedAs());
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f}, st.tensor("half").data());
        assertEquals(0, st.tensor("bf").rank());
        assertArrayEquals(new float[] {1.5f}, st.tensor("bf").data());
        assertNull(st.tensor("nope"));
    }

    @Test
    void writesExactlyTheBytesTheSpecificationPrescribes() throws Exception {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("k", "v\"\n");
        SafeTensors st = SafeTensors.of(meta, List.of(
                SafeTensors.Tensor.matrix("layers.0.weight", 1, 2, new float[] {1f, -2f}),
                SafeTensors.Tensor.vector("layers.0.bias", new float[] {0.5f})));
        byte[] file = st.toBytes();

        String crc = st.checksumOf();
        String json = "{\"__metadata__\":{\"k\":\"v\\\"\\n\",\"vecmlp.checksum\":\"" + crc + "\"},"
                + "\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]},"
                + "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        u64(f, padded);
        f.writeBytes(json.getBytes(StandardCharsets.US_ASCII));
        for (int i = json.length(); i < padded; i++) {
            f.write(' ');
        }
        hex(f, "00 00 80 3f  00 00 00 c0  00 00 00 3f");
        assertArrayEquals(f.toByteArray(), file);
        assertEquals(0, (8 + padded) % 8, "data 8-byte aligned");

        SafeTensors back = SafeTensors.read(file);
        assertTrue(back.checksumVerified());
        assertEquals("v\"\n", back.metadata().get("k"));
        assertArrayEquals(new float[] {1f, -2f}, back.tensor("layers.0.weight").data());
    }

    @Test
    void halfPrecisionWideningIsExactForEveryBitPattern() {
        for (int h = 0; h < 0x10000; h++) {
            float f = SafeTensors.halfToFloat((short) h);
            int exp = (h >>> 10) & 0x1f;
            int mant = h & 0x3ff;
            double sign = (h & 0x8000) != 0 ? -1 : 1;
            if (exp == 0x1f) {
                assertTrue(mant == 0 ? Float.isInfinite(f) && Math.signum(f) == sign : Float.isNaN(f), "0x" + h);
            } else {
                double expected = exp == 0 ? sign * mant * Math.pow(2, -24)
                        : sign * (1 + mant / 1024.0) * Math.pow(2, exp - 15);
                assertEquals(expected, f, 0.0, "0x" + Integer.toHexString(h));
                assertEquals((h & 0x8000) != 0, (Float.floatToRawIntBits(f) & 0x80000000) != 0, "sign of 0x" + h);
            }
        }
    }
}
