package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The optimizers store a moment (momentum's velocity, Adam's m and v) below the smallest normal float as +0,
 * in every implementation, in vector lanes and scalar tails alike, and a weight whose moment was flushed does
 * not move.
 */
class OptimizerSubnormalTest {

    private static final List<Kernels> IMPLS = List.of(Kernels.scalar(), Kernels.simd(),
            new TwinKernels(SimdKernels.SPECIES.length(), GemmShape.L));
    /** Two vectors of the widest species and a tail. */
    private static final int N = 2 * 16 + 5;
    /** Signed moments: subnormal, normal but subnormal once decayed, normal, and zeros. */
    private static final float[] SIGNED = {1e-39f, -1e-39f, Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-30f, -0f, 0f,
        0.5f, Float.MIN_VALUE};

    private static float[] cycle(float[] values) {
        float[] out = new float[N];
        for (int i = 0; i < N; i++) {
            out[i] = values[i % values.length];
        }
        return out;
    }

    /** What the kernels must store: x, or +0 where |x| is below 2⁻¹²⁶. */
    private static float flushed(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }

    private static void assertBits(float expected, float actual, String what) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void adamStoresSubnormalMomentsAsZero() {
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        float[] m0 = cycle(SIGNED);
        float[] v0 = new float[N];
        for (int i = 0; i < N; i++) {
            v0[i] = Math.abs(m0[(i + 3) % N]);
        }
        for (Kernels k : IMPLS) {
            for (boolean decoupled : new boolean[] {false, true}) {
                float[] p = cycle(new float[] {0.25f, -0.75f, 3f});
                float[] p0 = p.clone();
                float[] m = m0.clone();
                float[] v = v0.clone();
                k.adamStep(N, 1e-3f, beta1, beta2, 1e-8f, 0f, decoupled, 5, p, 0, new float[N], 0, m, 0, v, 0);
                for (int i = 0; i < N; i++) {
                    String what = k + " decoupled=" + decoupled + " element " + i;
                    // the gradient is zero: m = β₁·m₀, v = β₂·v₀, each then flushed
                    assertBits(flushed(beta1 * m0[i]), m[i], what + " m");
                    assertBits(flushed(beta2 * v0[i]), v[i], what + " v");
                    if (m[i] == 0f) {
                        assertBits(p0[i], p[i], what + " param");
                    }
                }
            }
        }
    }

    @Test
    void momentumStoresASubnormalVelocityAsZero() {
        float mu = 0.9f;
        float[] v0 = cycle(SIGNED);
        for (Kernels k : IMPLS) {
            for (boolean nesterov : new boolean[] {false, true}) {
                float[] p = cycle(new float[] {0.25f, -0.75f, 3f});
                float[] p0 = p.clone();
                float[] v = v0.clone();
                k.momentumStep(N, 0.1f, mu, 0f, nesterov, p, 0, new float[N], 0, v, 0);
                for (int i = 0; i < N; i++) {
                    String what = k + " nesterov=" + nesterov + " element " + i;
                    assertBits(flushed(mu * v0[i]), v[i], what + " velocity");
                    if (v[i] == 0f) {
                        assertBits(p0[i], p[i], what + " param");
                    }
                }
            }
        }
    }
}
