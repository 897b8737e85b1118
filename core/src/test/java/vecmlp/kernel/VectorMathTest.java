package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath}: vector and scalar forms agree bit for bit (so a result never depends on its lane, the
 * vector width or a scalar tail), the stated accuracy holds, the edges behave, and a kernel built on it
 * returns the same bits before and after the JIT compiles it.
 */
class VectorMathTest {

    private static final float[] EDGES = {
        0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, 0.625f, -0.625f, Math.nextDown(0.625f), 1f, -1f, 20f, -20f,
        87.3f, -87.3f, -87.33654f, -87.34f, 88f, 88.5f, -103f, -200f, 200f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN
    };

    /** Inputs over every range the kernels meet: large, moderate, small and tiny magnitudes, and the edges. */
    private static float[] inputs(int n) {
        Random rnd = new Random(11);
        float[] x = new float[n + EDGES.length];
        for (int i = 0; i < n; i++) {
            switch (i % 4) {
                case 0: x[i] = (rnd.nextFloat() * 2 - 1) * 87f; break;
                case 1: x[i] = (rnd.nextFloat() * 2 - 1) * 10f; break;
                case 2: x[i] = rnd.nextFloat() * 2 - 1; break;
                default: x[i] = (float) ((rnd.nextFloat() * 2 - 1) * Math.pow(2, -rnd.nextInt(40)));
            }
        }
        System.arraycopy(EDGES, 0, x, n, EDGES.length);
        return x;
    }

    private interface ScalarOp {
        float apply(float v);
    }

    private static void sameBitsAsScalar(String name, int f, ScalarOp sop) {
        float[] x = inputs(400_000);
        for (float shift : new float[] {0f, 3.5f}) {
            if (f != VectorMath.EXP && shift != 0f) {
                continue;
            }
            float[] out = new float[x.length];
            VectorMath.map(f, x, 0, shift, out, 0, x.length);
            // the edges sit in the scalar tail here: run them through the vector loop too
            float[] edges = new float[SimdKernels.SPECIES.length() * EDGES.length];
            for (int e = 0; e < EDGES.length; e++) {
                edges[e * SimdKernels.SPECIES.length() + e % SimdKernels.SPECIES.length()] = EDGES[e];
            }
            float[] edgesOut = new float[edges.length];
            VectorMath.map(f, edges, 0, shift, edgesOut, 0, edges.length);
            for (int i = 0; i < x.length; i++) {
                check(name, sop.apply(x[i] - shift), out[i], x[i]);
            }
            for (int i = 0; i < edges.length; i++) {
                check(name, sop.apply(edges[i] - shift), edgesOut[i], edges[i]);
            }
        }
    }

    private static void check(String name, float scalar, float vector, float x) {
        if (Float.floatToIntBits(scalar) != Float.floatToIntBits(vector)) {
            fail(name + "(" + x + "): vector " + vector + " != scalar " + scalar);
        }
    }

    @Test
    void vectorAndScalarFormsAgreeBitForBit() {
        sameBitsAsScalar("exp", VectorMath.EXP, VectorMath::exp);
        sameBitsAsScalar("tanh", VectorMath.TANH, VectorMath::tanh);
        sameBitsAsScalar("sigmoid", VectorMath.SIGMOID, VectorMath::sigmoid);
        sameBitsAsScalar("softplus", VectorMath.SOFTPLUS, VectorMath::softplus);
        sameBitsAsScalar("gelu", VectorMath.GELU_ERF, VectorMath::geluErf);
    }

    private static void accurate(String name, ScalarOp op, DoubleUnaryOperator ref, double maxUlps) {
        float[] x = inputs(400_000);
        for (float v : x) {
            double r = ref.applyAsDouble(v);
            if (Double.isNaN(r) || Math.abs(r) < Float.MIN_NORMAL || Math.abs(r) > Float.MAX_VALUE || Math.abs(v) > 87f) {
                continue; // edges are checked separately; accuracy is stated for normal results in [-87, 87]
            }
            float got = op.apply(v);
            double ulps = Math.abs(got - r) / Math.ulp((float) r);
            if (!(ulps <= maxUlps)) {
                fail(name + "(" + v + ") = " + got + ", float64 " + r + ": " + ulps + " ulp > " + maxUlps);
            }
        }
    }

    @Test
    void accuracyAsDocumented() {
        accurate("exp", VectorMath::exp, Math::exp, 1.0);
        accurate("tanh", VectorMath::tanh, Math::tanh, 1.5);
        accurate("sigmoid", VectorMath::sigmoid, z -> 1 / (1 + Math.exp(-z)), 2.5);
        accurate("softplus", VectorMath::softplus, z -> Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))), 4);
        // Φ(x) for |x| ≤ 12 (where it is a normal float): within (10 + 4x²)u, u half an ulp of 1
        float[] x = inputs(400_000);
        for (float v : x) {
            if (Float.isFinite(v) && Math.abs(v) <= 12f) {
                double r = ReferenceMath.normalCdf(v);
                double err = Math.abs(VectorMath.normalCdf(v) - r);
                assertTrue(err <= (10 + 4.0 * v * v) * 0x1p-24 * r, "Φ(" + v + ") = " + VectorMath.normalCdf(v)
                        + ", float64 " + r);
            }
        }
    }

    @Test
    void edges() {
        assertEquals(1f, VectorMath.exp(0f));
        assertEquals(1f, VectorMath.exp(-0f));
        assertEquals(0f, VectorMath.exp(-87.34f));
        assertEquals(0f, VectorMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(VectorMath.exp(88f), VectorMath.exp(Float.POSITIVE_INFINITY), "clamped at e^88");
        assertEquals((float) Math.exp(88), VectorMath.exp(88f), Math.ulp((float) Math.exp(88)));
        assertEquals(Float.NaN, VectorMath.exp(Float.NaN));
        assertEquals(1f, VectorMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, VectorMath.tanh(-1000f));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(VectorMath.tanh(-0f)), "tanh keeps the sign of zero");
        assertEquals(Float.NaN, VectorMath.tanh(Float.NaN));
        assertEquals(0.5f, VectorMath.sigmoid(0f));
        assertEquals(1f, VectorMath.sigmoid(200f));
        assertEquals(0f, VectorMath.sigmoid(-200f), Float.MIN_NORMAL);
        assertEquals(Float.NaN, VectorMath.sigmoid(Float.NaN));
        assertEquals((float) Math.log(2), VectorMath.softplus(0f));
        assertEquals((float) Math.log(2), VectorMath.softplus(-0f));
        assertEquals(20.5f, VectorMath.softplus(20.5f), "PyTorch's threshold: z itself above 20");
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.softplus(Float.POSITIVE_INFINITY));
        assertEquals(0f, VectorMath.softplus(Float.NEGATIVE_INFINITY));
        assertEquals(0f, VectorMath.softplus(-200f), Float.MIN_NORMAL);
        assertEquals(Float.NaN, VectorMath.softplus(Float.NaN));
        assertEquals(0f, VectorMath.geluErf(0f));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.geluErf(Float.POSITIVE_INFINITY));
        assertEquals(0f, VectorMath.geluErf(-200f), 0f, "-0 or 0: Φ underflows");
        assertEquals(Float.NaN, VectorMath.geluErf(Float.NaN));
        assertEquals(1f, VectorMath.geluErfGrad(50f));
        assertEquals(0.5f, VectorMath.geluErfGrad(0f));
    }

    /**
     * The failure this class exists to prevent: with the Vector API's own EXP/TANH, the same call changed
     * about 1.5% of its results after a few dozen calls, when C2 switched from per-lane Math to the vector
     * math library. Here every call of the kernel must give the first call's bits.
     */
    @Test
    void kernelResultsDoNotChangeWhenTheJitCompilesThem() {
        int m = 80;
        int n = 256;
        Random rnd = new Random(5);
        float[] z = new float[m * n];
        for (int i = 0; i < z.length; i++) {
            z[i] = (rnd.nextFloat() * 2 - 1) * 6f;
        }
        Kernels k = Kernels.simd();
        for (Activation act : new Activation[] {Activation.SIGMOID, Activation.TANH, Activation.SOFTMAX}) {
            float[] first = new float[m * n];
            k.activationForward(act, m, n, z, 0, n, first, 0, n);
            float[] again = new float[m * n];
            for (int call = 0; call < 400; call++) {
                k.activationForward(act, m, n, z, 0, n, again, 0, n);
                for (int i = 0; i < again.length; i++) {
                    if (Float.floatToIntBits(again[i]) != Float.floatToIntBits(first[i])) {
                        fail(act + ": call " + call + " changed element " + i + " from " + first[i] + " to " + again[i]);
                    }
                }
            }
        }
        // the reductions: lanes summed in one fixed order, compiled or not
        float dot = k.dot(z.length, z, 0, z, 0);
        float squares = k.sumOfSquares(z.length - 3, z, 3);
        float[] delta0 = new float[m * n];
        System.arraycopy(z, 0, delta0, 0, delta0.length);
        float[] s = new float[m * n];
        k.activationForward(Activation.SOFTMAX, m, n, z, 0, n, s, 0, n);
        float[] backFirst = delta0.clone();
        k.activationBackward(Activation.SOFTMAX, m, n, s, 0, n, backFirst, 0, n);
        for (int call = 0; call < 400; call++) {
            assertEquals(Float.floatToIntBits(dot), Float.floatToIntBits(k.dot(z.length, z, 0, z, 0)), "dot, call " + call);
            assertEquals(Float.floatToIntBits(squares), Float.floatToIntBits(k.sumOfSquares(z.length - 3, z, 3)),
                    "sumOfSquares, call " + call);
            float[] back = delta0.clone();
            k.activationBackward(Activation.SOFTMAX, m, n, s, 0, n, back, 0, n);
            for (int i = 0; i < back.length; i++) {
                if (Float.floatToIntBits(back[i]) != Float.floatToIntBits(backFirst[i])) {
                    fail("softmax backward: call " + call + " changed element " + i);
                }
            }
        }
    }
}
