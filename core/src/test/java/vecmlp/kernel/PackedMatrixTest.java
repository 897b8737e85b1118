package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecmlp.kernel.KernelTestSupport.Mat;

/**
 * {@link Kernels#pack} and the product with a {@link PackedMatrix}: the same bits as the product with the matrix
 * it was made from, for every implementation (the SIMD GEMM on one and three threads reads its panels; the scalar
 * reference, the twin and the twin behind the cold-start guard read its copy), over shapes that take every path
 * (few rows, B read in place below 49 rows, packed and unpacked A, partial panels, several depth passes, the
 * narrow last columns of a deep product, a narrow C computed transposed), each epilogue, both transposes of A,
 * offsets, leading dimensions larger than a row and NaN poison around C.
 */
class PackedMatrixTest {

    private static final int L = GemmShape.L;
    private static final int NR = GemmShape.NR;
    private static final Kernels[] IMPLEMENTATIONS = {Kernels.scalar(), Kernels.simd().withThreads(1),
        Kernels.simd().withThreads(3), new TwinKernels(SimdKernels.SPECIES.length(), L),
        new WarmingKernels(new SimdKernels(1), new TwinKernels(SimdKernels.SPECIES.length(), L),
                WarmingKernels.NEVER)};
    private static final Activation[] ACTIVATIONS = {Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.1f),
        Activation.SIGMOID, Activation.SOFTMAX};

    static Stream<Arguments> cases() {
        int[] ms = {1, 4, 5, 13, 48, 49, 2 * L, 130};
        int[] ns = {1, L - 1, L, L + 1, NR, NR + 3, 4 * NR, 4 * NR + 5, 9 * NR + 1};
        int[] ks = {0, 1, 5, 64, 256, 257, 513};
        List<Arguments> list = new ArrayList<>();
        Random pick = new Random(5);
        for (Transpose ta : Transpose.values()) {
            for (int m : ms) {
                for (int n : ns) {
                    list.add(Arguments.of(ta, m, n, ks[pick.nextInt(ks.length)]));
                }
            }
            list.add(Arguments.of(ta, 128, 256, 784));
            list.add(Arguments.of(ta, 128, 10, 128));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0}N m={1} n={2} k={3}")
    @MethodSource("cases")
    void theProductWithAPackedMatrixHasTheBitsOfTheProductWithTheMatrix(Transpose ta, int m, int n, int k) {
        Random rnd = new Random(13L * m + 5L * n + k);
        boolean tA = ta == Transpose.YES;
        Mat a = Mat.poisoned(tA ? k : m, tA ? m : k).fillUniform(rnd, -1f, 1f);
        Mat b = Mat.poisoned(k, n).fillUniform(rnd, -1f, 1f);
        Mat bias = KernelTestSupport.vector(rnd, n);
        Activation act = ACTIVATIONS[(m + n + k) % ACTIVATIONS.length];
        for (Kernels kernels : IMPLEMENTATIONS) {
            PackedMatrix packed = kernels.pack(k, n, b.a, b.off, b.ld);
            Mat expected = Mat.poisoned(m, n);
            kernels.sgemmBiasActivation(ta, Transpose.NO, m, n, k, a.a, a.off, a.ld, b.a, b.off, b.ld, bias.a, bias.off,
                    act, expected.a, expected.off, expected.ld);
            Mat actual = Mat.poisoned(m, n);
            kernels.sgemmBiasActivation(ta, m, n, k, a.a, a.off, a.ld, packed, bias.a, bias.off, act, actual.a,
                    actual.off, actual.ld);
            String what = kernels.description() + " " + ta + "N " + m + "x" + n + "x" + k + " " + act;
            actual.assertPoisonIntact(what);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    KernelTestSupport.assertSameBits(expected.get(i, j), actual.get(i, j),
                            what + " at (" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void aPackedMatrixIsACopyLaidOutByTheSimdKernelsOnly() {
        Random rnd = new Random(2);
        int k = 300;
        int n = 70;
        Mat b = Mat.poisoned(k, n).fillUniform(rnd, -1f, 1f);
        Mat a = Mat.poisoned(60, k).fillUniform(rnd, -1f, 1f);
        for (Kernels kernels : IMPLEMENTATIONS) {
            PackedMatrix packed = kernels.pack(k, n, b.a, b.off, b.ld);
            assertEquals(k, packed.rows());
            assertEquals(n, packed.columns());
            assertEquals(kernels.isSimd(), packed.isLaidOut(), kernels.description());
            Mat before = Mat.poisoned(60, n);
            kernels.sgemmBiasActivation(Transpose.NO, 60, n, k, a.a, a.off, a.ld, packed, null, 0, Activation.RELU,
                    before.a, before.off, before.ld);
            Mat changed = b.copy().fill(7f); // the source changes after packing: the packed copy does not
            System.arraycopy(changed.a, 0, b.a, 0, b.a.length);
            Mat after = Mat.poisoned(60, n);
            kernels.sgemmBiasActivation(Transpose.NO, 60, n, k, a.a, a.off, a.ld, packed, null, 0, Activation.RELU,
                    after.a, after.off, after.ld);
            for (int x = 0; x < before.a.length; x++) {
                assertEquals(Float.floatToIntBits(before.a[x]), Float.floatToIntBits(after.a[x]),
                        kernels.description() + " element " + x);
            }
            b.fillUniform(new Random(2), -1f, 1f);
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        Kernels kernels = Kernels.simd();
        float[] b = new float[12];
        assertMessage(assertThrows(IllegalArgumentException.class, () -> kernels.pack(-1, 3, b, 0, 3)), "k", "-1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> kernels.pack(3, -2, b, 0, 3)), "n", "-2");
        assertMessage(assertThrows(NullPointerException.class, () -> kernels.pack(3, 3, null, 0, 3)), "b");
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> kernels.pack(5, 3, b, 0, 3)), "b", "15");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> kernels.pack(3, 4, b, 0, 3)), "ldb", "3");
        PackedMatrix packed = kernels.pack(4, 3, b, 0, 3);
        float[] a = new float[8];
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        assertMessage(assertThrows(IllegalArgumentException.class, () -> kernels.sgemmBiasActivation(Transpose.NO, 2, 3,
                5, a, 0, 5, packed, null, 0, Activation.RELU, c, 0, 3)), "b", "4 x 3", "5 x 3");
        assertMessage(assertThrows(NullPointerException.class, () -> kernels.sgemmBiasActivation(Transpose.NO, 2, 3,
                4, a, 0, 4, null, null, 0, Activation.RELU, c, 0, 3)), "b");
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> kernels.sgemmBiasActivation(Transpose.NO, 3,
                3, 4, a, 0, 4, packed, null, 0, Activation.RELU, c, 0, 3)), "a");
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> kernels.sgemmBiasActivation(Transpose.NO, 2,
                3, 4, a, 0, 4, packed, new float[2], 0, Activation.RELU, c, 0, 3)), "bias");
        assertMessage(assertThrows(NullPointerException.class, () -> kernels.sgemmBiasActivation(Transpose.NO, 2, 3, 4,
                a, 0, 4, packed, null, 0, null, c, 0, 3)), "act");
        for (float v : c) {
            assertTrue(Float.isNaN(v), "nothing written");
        }
        assertFalse(Kernels.scalar().pack(4, 3, b, 0, 3).isLaidOut());
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(part),
                    "message '" + e.getMessage() + "' should name " + part);
        }
    }
}
