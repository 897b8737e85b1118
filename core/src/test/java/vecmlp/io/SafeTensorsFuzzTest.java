package vecmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing the generic reader: every damaged file is either rejected with a {@link ModelFormatException} or
 * read as a structurally valid file; when its checksum verified, it equals the original exactly. No other
 * exception, no hang (the timeout), no OutOfMemoryError (caught and failed).
 */
class SafeTensorsFuzzTest {

    static final int RANDOM_CASES = 40_000;
    static final long SEED = 0x5afe7e45L;

    private static SafeTensors original() {
        Random r = new Random(1);
        List<SafeTensors.Tensor> ts = new ArrayList<>();
        int[][] shapes = {{3, 5}, {5}, {5, 2}, {2}, {0, 4}};
        for (int i = 0; i < shapes.length; i++) {
            int n = 1;
            for (int d : shapes[i]) {
                n *= d;
            }
            float[] data = new float[n];
            for (int j = 0; j < n; j++) {
                data[j] = (float) r.nextGaussian();
            }
            long[] shape = java.util.Arrays.stream(shapes[i]).asLongStream().toArray();
            ts.add(SafeTensors.Tensor.of("t." + i, shape, data));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("name", "fuzz é ✓");
        meta.put("n", "42");
        return SafeTensors.of(meta, ts);
    }

    static void assertSameContent(SafeTensors expected, SafeTensors actual) {
        assertEquals(expected.metadata().entrySet().stream().filter(e -> !e.getKey().equals(SafeTensors.CHECKSUM_KEY))
                        .collect(java.util.stream.Collectors.toList()),
                actual.metadata().entrySet().stream().filter(e -> !e.getKey().equals(SafeTensors.CHECKSUM_KEY))
                        .collect(java.util.stream.Collectors.toList()));
        assertEquals(expected.tensors().size(), actual.tensors().size());
        for (int i = 0; i < expected.tensors().size(); i++) {
            SafeTensors.Tensor e = expected.tensors().get(i);
            SafeTensors.Tensor a = actual.tensors().get(i);
            assertEquals(e.name(), a.name());
            assertArrayEquals(e.shape(), a.shape());
            assertArrayEquals(bits(e.data()), bits(a.data()), e.name());
        }
    }

    private static int[] bits(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    /** Outcome counts. */
    private static final class Tally {
        int rejected;
        int acceptedEqual;
        int acceptedUnverified;
    }

    private static void check(SafeTensors original, byte[] file, String what, Tally tally) {
        SafeTensors read;
        try {
            read = SafeTensors.read(file);
        } catch (ModelFormatException expected) {
            tally.rejected++;
            return;
        } catch (Throwable t) {
            fail(what + ": " + t, t);
            return;
        }
        if (read.checksumVerified()) {
            assertSameContent(original, read);
            tally.acceptedEqual++;
        } else {
            tally.acceptedUnverified++;
        }
        try {
            assertSameContent(read, SafeTensors.read(read.toBytes()));  // what was accepted is well-formed
        } catch (ModelFormatException e) {
            fail(what + ": accepted, but cannot be written and read back: " + e, e);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void damagedFilesAreRejectedOrReadFaithfully() throws Exception {
        SafeTensors original = original();
        byte[] file = original.toBytes();
        assertSameContent(original, SafeTensors.read(file));
        Tally tally = new Tally();
        int cases = 0;

        for (int bit = 0; bit < 8 * file.length; bit++) {               // every single-bit flip
            byte[] b = file.clone();
            b[bit >>> 3] ^= (byte) (1 << (bit & 7));
            check(original, b, "flip of bit " + bit, tally);
            cases++;
        }
        for (int n = 0; n < file.length; n++) {                         // every truncation
            check(original, java.util.Arrays.copyOf(file, n), "truncation to " + n + " bytes", tally);
            cases++;
        }
        Random rnd = new Random(SEED);
        SafeTensorsCorruptor.Kind[] kinds = SafeTensorsCorruptor.Kind.values();
        Map<SafeTensorsCorruptor.Kind, Integer> perKind = new EnumMap<>(SafeTensorsCorruptor.Kind.class);
        for (int i = 0; i < RANDOM_CASES; i++) {
            SafeTensorsCorruptor.Kind kind = kinds[i % kinds.length];
            check(original, SafeTensorsCorruptor.corrupt(file, kind, rnd), "case " + i + " (" + kind + ")", tally);
            perKind.merge(kind, 1, Integer::sum);
            cases++;
        }
        assertEquals(cases, tally.rejected + tally.acceptedEqual + tally.acceptedUnverified);
        assertTrue(tally.rejected > cases / 2, "most damaged files are rejected: " + tally.rejected + " of " + cases);
        System.getLogger(SafeTensorsFuzzTest.class.getName()).log(System.Logger.Level.INFO,
                "SafeTensors fuzz: " + cases + " cases (" + 8 * file.length + " single-bit flips, " + file.length
                        + " truncations, " + perKind + "): " + tally.rejected + " rejected, " + tally.acceptedEqual
                        + " read back equal (checksum verified), " + tally.acceptedUnverified
                        + " read without checksum");
    }
}
