package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static vecmlp.kernel.KernelTestSupport.SIZES;
import static vecmlp.kernel.KernelTestSupport.U;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.KernelTestSupport.Mat;

/**
 * The dropout kernel: the mask against an independent implementation of its published definition (the
 * MurmurHash3 finalizer of {@code key + j·0x9E3779B9}, in 64-bit arithmetic masked to 32 bits), the kept
 * values against float64 {@code a / (1 − p)}, scalar, SIMD (one and three threads) and the twin bit for bit,
 * over every tail, at offsets with leading dimensions larger than a row and NaN poison around the output;
 * the keep rate and the independence of neighbouring elements; bad arguments.
 */
class DropoutKernelTest {

    private static final Kernels[] ALL = {Kernels.scalar(), Kernels.simd().withThreads(1),
        Kernels.simd().withThreads(3), new TwinKernels(SimdKernels.SPECIES.length(), GemmShape.L)};
    private static final float[] PS = {0f, 0.1f, 0.2f, 0.5f, 0.9f};

    /** The definition, computed in long arithmetic so that it shares no code with the kernels. */
    private static boolean keeps(int key, int j, float p) {
        long h = (key + (long) j * 0x9E3779B9L) & 0xFFFFFFFFL;
        h ^= h >>> 16;
        h = (h * 0x85EBCA6BL) & 0xFFFFFFFFL;
        h ^= h >>> 13;
        h = (h * 0xC2B2AE35L) & 0xFFFFFFFFL;
        h ^= h >>> 16;
        return (h >>> 8) >= (long) Math.floor(p * 16777216.0);
    }

    @Test
    void matchesTheDefinitionAndFloat64AndEveryImplementationHasTheSameBits() {
        Random rnd = new Random(17);
        for (int n : SIZES) {
            for (int m : new int[] {1, 3}) {
                int[] keys = new int[m + 2];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = rnd.nextInt();
                }
                Mat a = Mat.poisoned(m, n).fillUniform(rnd, -2f, 2f);
                for (float p : PS) {
                    double scale = 1.0 / (1.0 - p);
                    Mat first = null;
                    for (Kernels k : ALL) {
                        for (boolean inPlace : new boolean[] {false, true}) {
                            Mat out = inPlace ? a.copy() : new Mat(m, n, 5, n + 3, 9);
                            k.dropout(m, n, p, keys, 2, inPlace ? out.a : a.a, inPlace ? out.off : a.off,
                                    inPlace ? out.ld : a.ld, out.a, out.off, out.ld);
                            String what = k.description() + " " + m + "x" + n + " p=" + p + (inPlace ? " in place" : "");
                            out.assertPoisonIntact(what);
                            for (int i = 0; i < m; i++) {
                                for (int j = 0; j < n; j++) {
                                    float got = out.get(i, j);
                                    if (!keeps(keys[2 + i], j, p)) {
                                        assertEquals(0, Float.floatToRawIntBits(got), what + " dropped (" + i + "," + j + ")");
                                    } else {
                                        // one rounding of the scale and one of the product: |error| ≤ 2u|a·s| (+u²)
                                        double ref = a.get(i, j) * scale;
                                        KernelTestSupport.assertClose(ref, got, 2.0000001 * U * Math.abs(ref), what
                                                + " kept (" + i + "," + j + ")");
                                    }
                                }
                            }
                            if (first == null) {
                                first = out;
                            } else {
                                for (int i = 0; i < m; i++) {
                                    for (int j = 0; j < n; j++) {
                                        KernelTestSupport.assertSameBits(first.get(i, j), out.get(i, j),
                                                what + " against scalar (" + i + "," + j + ")");
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void zeroProbabilityCopiesExactlyAndNaNSurvivesOnlyWhereKept() {
        int n = 37;
        Mat a = Mat.poisoned(2, n).fill(Float.NaN);
        for (Kernels k : ALL) {
            Mat out = Mat.poisoned(2, n);
            k.dropout(2, n, 0f, new int[] {1, 2}, 0, a.a, a.off, a.ld, out.a, out.off, out.ld);
            for (int j = 0; j < n; j++) {
                assertTrue(Float.isNaN(out.get(0, j)), k.description());
            }
            k.dropout(2, n, 0.5f, new int[] {1, 2}, 0, a.a, a.off, a.ld, out.a, out.off, out.ld);
            int zeros = 0;
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < n; j++) {
                    float v = out.get(i, j);
                    assertEquals(!keeps(i + 1, j, 0.5f), v == 0f, k.description() + " (" + i + "," + j + ")");
                    zeros += v == 0f ? 1 : 0;
                }
            }
            assertTrue(zeros > 0 && zeros < 2 * n, "some dropped, some kept: " + zeros);
        }
    }

    /**
     * Over 2^20 elements (1,024 rows with consecutive keys, as the networks derive them from a hash, and 1,024
     * columns) the keep rate is within 5 standard deviations of {@code 1 − p}, and so is the rate at which
     * horizontal and vertical neighbours are both kept ({@code (1 − p)²} if independent).
     */
    @Test
    void keepRateAndNeighboursAreAsIndependentDrawsWouldBe() {
        int rows = 1024;
        int cols = 1024;
        int[] keys = new int[rows];
        for (int i = 0; i < rows; i++) {
            keys[i] = i; // the worst case for a counter-based hash: keys that differ in one low bit
        }
        float[] ones = new float[rows * cols];
        java.util.Arrays.fill(ones, 1f);
        float[] out = new float[rows * cols];
        for (float p : new float[] {0.1f, 0.5f, 0.8f}) {
            Kernels.simd().dropout(rows, cols, p, keys, 0, ones, 0, cols, out, 0, cols);
            long kept = 0;
            long right = 0;
            long below = 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    boolean k = out[i * cols + j] != 0f;
                    kept += k ? 1 : 0;
                    right += k && j + 1 < cols && out[i * cols + j + 1] != 0f ? 1 : 0;
                    below += k && i + 1 < rows && out[(i + 1) * cols + j] != 0f ? 1 : 0;
                }
            }
            double q = 1 - p;
            within("keep rate p=" + p, kept, (long) rows * cols, q);
            within("right neighbour kept too p=" + p, right, (long) rows * (cols - 1), q * q);
            within("lower neighbour kept too p=" + p, below, (long) (rows - 1) * cols, q * q);
        }
    }

    private static void within(String what, long hits, long trials, double prob) {
        double sd = Math.sqrt(trials * prob * (1 - prob));
        if (Math.abs(hits - trials * prob) > 5 * sd) {
            fail(what + ": " + hits + " of " + trials + ", expected " + trials * prob + " ± " + 5 * sd);
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsWritten() {
        Mat a = Mat.poisoned(2, 5).fill(1f);
        for (Kernels k : ALL) {
            for (float p : new float[] {-0.1f, 1f, 1.5f, Float.NaN}) {
                Mat out = Mat.poisoned(2, 5);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> k.dropout(2, 5, p, new int[2], 0, a.a, a.off, a.ld, out.a, out.off, out.ld));
                assertTrue(e.getMessage().contains("p ") && e.getMessage().contains(Float.toString(p)), e.getMessage());
                out.assertPoisonIntact("after p=" + p);
                assertTrue(Float.isNaN(out.get(0, 0)), "nothing written");
            }
            Mat out = Mat.poisoned(2, 5);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> k.dropout(2, 5, 0.5f, new int[2], 1, a.a, a.off, a.ld, out.a, out.off, out.ld));
            assertTrue(e.getMessage().contains("rowKeys"), e.getMessage());
            assertTrue(Float.isNaN(out.get(0, 0)), "nothing written");
            assertThrows(NullPointerException.class,
                    () -> k.dropout(2, 5, 0.5f, null, 0, a.a, a.off, a.ld, out.a, out.off, out.ld));
        }
    }
}
