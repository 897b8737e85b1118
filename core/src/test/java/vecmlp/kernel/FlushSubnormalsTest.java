package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#flushSubnormals}: every subnormal, and nothing else, becomes a zero of its sign, within the
 * region only, whichever kernels run it.
 */
class FlushSubnormalsTest {

    static Stream<Kernels> impls() {
        return Kernels.isSimdAvailable() ? Stream.of(Kernels.scalar(), Kernels.simd(), Kernels.get())
                : Stream.of(Kernels.scalar());
    }

    /** Values on both sides of every boundary of the subnormal range, and the special values. */
    private static final float[] VALUES = {
        Float.MIN_VALUE, -Float.MIN_VALUE, 2 * Float.MIN_VALUE, Math.nextDown(Float.MIN_NORMAL),
        -Math.nextDown(Float.MIN_NORMAL), 0x1p-140f, -0x1p-130f,
        Float.MIN_NORMAL, -Float.MIN_NORMAL, Math.nextUp(Float.MIN_NORMAL), 0f, -0f, 1e-30f, -3f,
        Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
    };
    private static final int SUBNORMALS = 7;

    @ParameterizedTest
    @MethodSource("impls")
    void flushesEverySubnormalToAZeroOfItsSignAndNothingElse(Kernels k) {
        int off = 3;
        int n = VALUES.length;
        float[] x = new float[off + n + 4];
        Arrays.fill(x, Float.MIN_VALUE); // subnormal poison around the region: must stay
        System.arraycopy(VALUES, 0, x, off, n);
        assertEquals(SUBNORMALS, k.flushSubnormals(n, x, off));
        for (int i = 0; i < x.length; i++) {
            float expected;
            if (i < off || i >= off + n) {
                expected = Float.MIN_VALUE;
            } else {
                float v = VALUES[i - off];
                expected = i - off < SUBNORMALS ? Math.copySign(0f, v) : v;
            }
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(x[i]), "element " + i);
        }
        assertEquals(0, k.flushSubnormals(n, x, off), "a second flush finds nothing");
        assertEquals(0, k.flushSubnormals(0, x, x.length), "n = 0 at the end of the array");
    }
}
