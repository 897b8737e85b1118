package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validated argument of the public kernel entry points: a bad value throws with a message that
 * names the argument and the value, and leaves every output untouched.
 */
class ArgumentValidationTest {

    static Stream<Kernels> impls() {
        return Stream.of(Kernels.scalar(), Kernels.simd());
    }

    /** Runs {@code call}, expects {@code type}, checks the message mentions each of {@code words}, and that {@code out} is unchanged. */
    private static void rejects(Class<? extends RuntimeException> type, float[] out, Executable call, String... words) {
        float[] before = out == null ? null : out.clone();
        RuntimeException e = assertThrows(type, call);
        for (String w : words) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(w),
                    () -> "message '" + e.getMessage() + "' should mention '" + w + "'");
        }
        if (out != null) {
            assertArrayEquals(before, out, "the output must be untouched when an argument is rejected");
        }
    }

    @ParameterizedTest
    @MethodSource("impls")
    void sgemmRejectsEachBadArgument(Kernels k) {
        int m = 3;
        int n = 4;
        int kk = 5;
        float[] a = new float[m * kk];
        float[] b = new float[kk * n];
        float[] c = new float[m * n];
        java.util.Arrays.fill(c, 7f);
        Transpose no = Transpose.NO;
        rejects(IllegalArgumentException.class, c, () -> k.sgemm(no, no, -1, n, kk, 1f, a, 0, kk, b, 0, n, 0f, c, 0, n), "m", "-1");
        rejects(IllegalArgumentException.class, c, () -> k.sgemm(no, no, m, -2, kk, 1f, a, 0, kk, b, 0, n, 0f, c, 0, n), "n", "-2");
        rejects(IllegalArgumentException.class, c, () -> k.sgemm(no, no, m, n, -3, 1f, a, 0, kk, b, 0, n, 0f, c, 0, n), "k", "-3");
        rejects(NullPointerException.class, c, () -> k.sgemm(null, no, m, n, kk, 1f, a, 0, kk, b, 0, n, 0f, c, 0, n), "transA");
        rejects(NullPointerException.class, c, () -> k.sgemm(no, null, m, n, kk, 1f, a, 0, kk, b, 0, n, 0f, c, 0, n), "transB");
        rejects(NullPointerException.class, c, () -> k.sgemm(no, no, m, n, kk, 1f, null, 0, kk, b, 0, n, 0f, c, 0, n), "a");
        rejects(NullPointerException.class, c, () -> k.sgemm(no, no, m, n, kk, 1f, a, 0, kk, null, 0, n, 0f, c, 0, n), "b");
        rejects(NullPointerException.class, null, () -> k.sgemm(no, no, m, n, kk, 1f, a, 0, kk, b, 0, n, 0f, null, 0, n), "c");
        rejects(IllegalArgumentException.class, c, () -> k.sgemm(no, no, m, n, kk, 1f, a, 0, kk - 1, b, 0, n, 0f, c, 0, n), "lda", "4");
        rejects(IllegalArgumentException.class, c, () -> k.sgemm(no, no, m, n, kk, 1f, a, 0, kk, b, 0, n - 1, 0f, c, 0, n), "ldb", "3");
        rejects(IllegalArgumentException.class, c, () -> k.sgemm(no, no, m, n, kk, 1f, a, 0, kk, b, 0, n, 0f, c, 0, n - 1), "ldc", "3");
        // transposed A is stored k × m: lda must be >= m
        rejects(IllegalArgumentException.class, c, () -> k.sgemm(Transpose.YES, no, m, n, kk, 1f, new float[kk * m], 0, m - 1, b, 0, n, 0f, c, 0, n), "lda", "2");
        rejects(IndexOutOfBoundsException.class, c, () -> k.sgemm(no, no, m, n, kk, 1f, a, -1, kk, b, 0, n, 0f, c, 0, n), "a", "-1");
        rejects(IndexOutOfBoundsException.class, c, () -> k.sgemm(no, no, m, n, kk, 1f, a, 1, kk, b, 0, n, 0f, c, 0, n), "a", "array length 15");
        rejects(IndexOutOfBoundsException.class, c, () -> k.sgemm(no, no, m, n, kk, 1f, a, 0, kk, b, 2, n, 0f, c, 0, n), "b", "array length 20");
        rejects(IndexOutOfBoundsException.class, c, () -> k.sgemm(no, no, m, n, kk, 1f, a, 0, kk, b, 0, n, 0f, c, 0, n + 1), "c", "array length 12");
    }

    @ParameterizedTest
    @MethodSource("impls")
    void sgemmBiasActivationRejectsShortBiasAndNullActivation(Kernels k) {
        float[] a = new float[6];
        float[] b = new float[6];
        float[] c = new float[4];
        Transpose no = Transpose.NO;
        rejects(IndexOutOfBoundsException.class, c,
                () -> k.sgemmBiasActivation(no, no, 2, 2, 3, a, 0, 3, b, 0, 2, new float[1], 0, Activation.RELU, c, 0, 2), "bias");
        rejects(NullPointerException.class, c,
                () -> k.sgemmBiasActivation(no, no, 2, 2, 3, a, 0, 3, b, 0, 2, null, 0, null, c, 0, 2), "act");
    }

    @ParameterizedTest
    @MethodSource("impls")
    void elementwiseKernelsRejectBadArguments(Kernels k) {
        float[] x = new float[10];
        float[] y = new float[10];
        java.util.Arrays.fill(y, 3f);
        rejects(IllegalArgumentException.class, y, () -> k.activationForward(Activation.RELU, 2, 5, x, 0, 4, y, 0, 5), "ldz", "4");
        rejects(IndexOutOfBoundsException.class, y, () -> k.activationForward(Activation.RELU, 2, 5, x, 0, 5, y, 1, 5), "a", "array length 10");
        rejects(IllegalArgumentException.class, y, () -> k.activationBackward(Activation.TANH, -1, 5, x, 0, 5, y, 0, 5), "m", "-1");
        rejects(NullPointerException.class, y, () -> k.activationBackward(null, 2, 5, x, 0, 5, y, 0, 5), "act");
        rejects(IndexOutOfBoundsException.class, y, () -> k.addBias(2, 5, new float[4], 0, y, 0, 5), "bias", "array length 4");
        rejects(IndexOutOfBoundsException.class, y, () -> k.columnSums(2, 5, x, 0, 5, y, 6), "sums", "offset 6");
        rejects(IndexOutOfBoundsException.class, y, () -> k.axpy(11, 1f, x, 0, y, 0), "x", "length 11");
        rejects(IllegalArgumentException.class, y, () -> k.axpy(-1, 1f, x, 0, y, 0), "n", "-1");
        rejects(IndexOutOfBoundsException.class, y, () -> k.scale(5, 2f, y, -2), "x", "-2");
        rejects(IndexOutOfBoundsException.class, null, () -> k.dot(5, x, 6, y, 0), "x", "offset 6");
        rejects(NullPointerException.class, null, () -> k.sumOfSquares(5, null, 0), "x");
        float[] sub = new float[10];
        java.util.Arrays.fill(sub, Float.MIN_VALUE);
        rejects(IndexOutOfBoundsException.class, sub, () -> k.flushSubnormals(6, sub, 5), "x", "offset 5");
        rejects(IllegalArgumentException.class, sub, () -> k.flushSubnormals(-1, sub, 0), "n", "-1");
        rejects(NullPointerException.class, null, () -> k.flushSubnormals(1, null, 0), "x");
    }

    @ParameterizedTest
    @MethodSource("impls")
    void optimizerStepsRejectBadArguments(Kernels k) {
        float[] p = new float[8];
        java.util.Arrays.fill(p, 1f);
        float[] g = new float[8];
        float[] m = new float[8];
        float[] v = new float[8];
        rejects(IllegalArgumentException.class, p, () -> k.sgdStep(8, Float.NaN, 0f, p, 0, g, 0), "lr", "NaN");
        rejects(IllegalArgumentException.class, p, () -> k.sgdStep(8, 0.1f, Float.POSITIVE_INFINITY, p, 0, g, 0), "weightDecay", "Infinity");
        rejects(IndexOutOfBoundsException.class, p, () -> k.momentumStep(8, 0.1f, 0.9f, 0f, false, p, 0, g, 0, new float[7], 0), "velocity", "array length 7");
        rejects(IllegalArgumentException.class, p, () -> k.adamStep(8, 0.1f, 1f, 0.999f, 1e-8f, 0f, false, 1, p, 0, g, 0, m, 0, v, 0), "beta1", "1.0");
        rejects(IllegalArgumentException.class, p, () -> k.adamStep(8, 0.1f, 0.9f, -0.1f, 1e-8f, 0f, false, 1, p, 0, g, 0, m, 0, v, 0), "beta2", "-0.1");
        rejects(IllegalArgumentException.class, p, () -> k.adamStep(8, 0.1f, 0.9f, 0.999f, 0f, 0f, false, 1, p, 0, g, 0, m, 0, v, 0), "eps", "0.0");
        rejects(IllegalArgumentException.class, p, () -> k.adamStep(8, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 0, p, 0, g, 0, m, 0, v, 0), "t", "0");
        rejects(IndexOutOfBoundsException.class, p, () -> k.adamStep(8, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, true, 1, p, 0, g, 0, m, 1, v, 0), "m", "offset 1");
    }

    @ParameterizedTest
    @MethodSource("impls")
    void threadsMustBePositive(Kernels k) {
        rejects(IllegalArgumentException.class, null, () -> k.withThreads(0), "threads", "0");
    }

}
