package vecmlp.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

/**
 * Makes damaged copies of a valid safetensors file for the fuzz tests: truncations, bit flips, overwritten
 * bytes, forged header lengths, forged numbers in the header (shapes, offsets), insertions, deletions,
 * trailing garbage, and random files. Deterministic for a given {@link Random}.
 */
final class SafeTensorsCorruptor {

    /** The kinds of damage, one per case. */
    enum Kind { TRUNCATE, FLIP_BITS, OVERWRITE_BYTES, FORGE_LENGTH, FORGE_NUMBER, INSERT, DELETE, APPEND, RANDOM_FILE }

    private SafeTensorsCorruptor() {
    }

    static byte[] corrupt(byte[] original, Kind kind, Random rnd) {
        int len = original.length;
        byte[] b;
        switch (kind) {
            case TRUNCATE:
                return Arrays.copyOf(original, rnd.nextInt(len));
            case FLIP_BITS: {
                b = original.clone();
                int flips = 1 + rnd.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int bit = rnd.nextInt(8 * len);
                    b[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
                return b;
            }
            case OVERWRITE_BYTES: {
                b = original.clone();
                int n = 1 + rnd.nextInt(16);
                for (int i = 0; i < n; i++) {
                    b[rnd.nextInt(len)] = (byte) rnd.nextInt(256);
                }
                return b;
            }
            case FORGE_LENGTH: {
                b = original.clone();
                long header = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                long[] choices = {rnd.nextLong(), Long.MAX_VALUE, Long.MIN_VALUE, -1, 0, 1, len, len - 8L,
                    header + 1 + rnd.nextInt(64), header - 1 - rnd.nextInt(64), 1L << (32 + rnd.nextInt(31)),
                    SafeTensors.MAX_HEADER_BYTES, Integer.MAX_VALUE, 0xFFFFFFFFL};
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, choices[rnd.nextInt(choices.length)]);
                return b;
            }
            case FORGE_NUMBER:
                return forgeNumber(original, rnd);
            case INSERT: {
                int at = rnd.nextInt(len + 1);
                int n = 1 + rnd.nextInt(32);
                b = new byte[len + n];
                System.arraycopy(original, 0, b, 0, at);
                for (int i = 0; i < n; i++) {
                    b[at + i] = (byte) rnd.nextInt(256);
                }
                System.arraycopy(original, at, b, at + n, len - at);
                return b;
            }
            case DELETE: {
                int at = rnd.nextInt(len);
                int n = 1 + rnd.nextInt(Math.min(32, len - at));
                b = new byte[len - n];
                System.arraycopy(original, 0, b, 0, at);
                System.arraycopy(original, at + n, b, at, len - at - n);
                return b;
            }
            case APPEND: {
                int n = 1 + rnd.nextInt(64);
                b = Arrays.copyOf(original, len + n);
                for (int i = len; i < b.length; i++) {
                    b[i] = (byte) (rnd.nextBoolean() ? ' ' : rnd.nextInt(256));
                }
                return b;
            }
            case RANDOM_FILE: {
                b = new byte[rnd.nextInt(2 * len)];
                rnd.nextBytes(b);
                if (b.length >= 9 && rnd.nextBoolean()) {       // a plausible length and '{', then noise
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, rnd.nextInt(b.length - 8) + 1);
                    b[8] = '{';
                }
                return b;
            }
            default:
                throw new AssertionError(kind);
        }
    }

    /** Replaces one run of ASCII digits in the header with another number (0, ±1 off, huge, negative...). */
    private static byte[] forgeNumber(byte[] original, Random rnd) {
        long n = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        int end = (int) Math.min(original.length, 8 + Math.max(0, Math.min(n, original.length)));
        int start = 8 + rnd.nextInt(Math.max(1, end - 8));
        int at = -1;
        for (int i = start; i < end; i++) {
            if (original[i] >= '0' && original[i] <= '9') {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return original.clone();
        }
        int stop = at;
        while (stop < end && original[stop] >= '0' && original[stop] <= '9') {
            stop++;
        }
        long value = Long.parseLong(new String(original, at, Math.min(stop - at, 18),
                java.nio.charset.StandardCharsets.US_ASCII));
        String[] choices = {"0", "1", Long.toString(value + 1), Long.toString(Math.max(0, value - 1)),
            Long.toString(value + 4), Long.toString(value * 2), "-" + value, "9223372036854775807",
            "18446744073709551616", "2147483647", "4294967296", value + ".0", value + "e0", "1e400",
            Long.toString(rnd.nextLong() >>> rnd.nextInt(64))};
        byte[] repl = choices[rnd.nextInt(choices.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] b = new byte[original.length - (stop - at) + repl.length];
        System.arraycopy(original, 0, b, 0, at);
        System.arraycopy(repl, 0, b, at, repl.length);
        System.arraycopy(original, stop, b, at + repl.length, original.length - stop);
        if (rnd.nextBoolean()) {                 // keep the header length consistent with the new text
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n + repl.length - (stop - at));
        }
        return b;
    }
}
