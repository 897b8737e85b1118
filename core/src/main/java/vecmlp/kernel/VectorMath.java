package vecmlp.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, tanh, the logistic sigmoid, softplus and the normal distribution function Φ (GELU's) in float, built only
 * from operations that IEEE 754 defines exactly
 * (add, multiply, fused multiply-add, divide, compare, bit moves): a vector loop over arrays ({@link #map})
 * and scalar functions that perform the same operations in the same order.
 *
 * <p>Why not the Vector API's {@code EXP}/{@code TANH}: before C2 compiles a loop they run per lane through
 * {@link Math}, afterwards through the JDK's vector math library, and the two differ in the last bit, so
 * the same call on the same data could change its result during a run (and training would not be
 * reproducible). Here a result depends on its input alone: the same bits interpreted or compiled, in a
 * vector lane or in a scalar tail, for every vector width.
 *
 * <p>exp follows Cephes' {@code expf}: {@code x = n·ln2 + r} with {@code n} rounded to nearest (a
 * magic-number add) and {@code r} reduced in two steps (Cody–Waite), a degree-5 polynomial for
 * {@code e^r}, and {@code 2^n} assembled in the exponent bits. Inputs above 88 give {@code e^88}
 * (1.65·10³⁸), inputs below −87.336 give 0, NaN gives NaN. tanh follows Cephes' {@code tanhf}: an odd
 * polynomial for {@code |x| < 0.625}, {@code 1 − 2/(e^{2|x|} + 1)} with the sign of {@code x} above.
 * Softplus is {@code max(x, 0) + log1p(e^−|x|)} with log1p from its {@code atanh} series ({@link #softplus}).
 * Accuracy against float64, measured over 2·10⁷ inputs in [−87, 87] (and checked in {@code VectorMathTest}):
 * exp within 1 ulp, tanh within 1.5 ulp, sigmoid within 2.5 ulp, softplus within 3.7 ulp (results at least
 * {@link Float#MIN_NORMAL});
 * the vector loop and the scalar functions agree bit for bit.
 */
final class VectorMath {

    private VectorMath() {
    }

    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5·2²³: adding it rounds a float of magnitude below 2²² to an integer, held in the low mantissa bits. */
    private static final float MAGIC = 12582912f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float EXP_MAX = 88f;
    private static final float EXP_MIN = -87.33654f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    private static final float TANH_SMALL = 0.625f;
    private static final float T0 = -5.70498872745e-3f;
    private static final float T1 = 2.06390887954e-2f;
    private static final float T2 = -5.37397155531e-2f;
    private static final float T3 = 1.33314422036e-1f;
    private static final float T4 = -3.33332819422e-1f;

    /** {@link #map} computes {@code e^(x − shift)}. */
    static final int EXP = 0;
    /** {@link #map} computes {@code 1 / (1 + e^−x)}. */
    static final int SIGMOID = 1;
    /** {@link #map} computes {@code tanh x}. */
    static final int TANH = 2;
    /** {@link #map} computes {@code x > 0 ? x : α·(e^x − 1)}, {@code α} passed as {@code shift}. */
    static final int ELU = 3;
    /** {@link #map} computes SiLU, {@code x · sigmoid(x)}. */
    static final int SILU = 4;
    /** {@link #map} computes GELU's tanh form, {@code x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³)))}. */
    static final int GELU = 5;
    /** {@link #map} multiplies {@code y} by SiLU's derivative at {@code x}, {@code s·(1 + x·(1 − s))}. */
    static final int SILU_GRAD = 6;
    /** {@link #map} multiplies {@code y} by GELU's derivative at {@code x} (see {@link #geluGrad}). */
    static final int GELU_GRAD = 7;
    /** {@link #map} computes softplus, {@code max(x, 0) + log1p(e^−|x|)} (see {@link #softplus}). */
    static final int SOFTPLUS = 8;
    /** {@link #map} multiplies {@code y} by softplus's derivative at {@code x}, {@code sigmoid(x)}. */
    static final int SOFTPLUS_GRAD = 9;

    /** {@link #map} computes GELU's erf form, {@code x·Φ(x)} (see {@link #normalCdf}). */
    static final int GELU_ERF = 10;
    /** {@link #map} multiplies {@code y} by GELU's (erf form) derivative at {@code x} (see {@link #geluErfGrad}). */
    static final int GELU_ERF_GRAD = 11;

    /** Numerical Recipes' {@code erfcc}, {@code erfc(z) = t·e^(−z² + P(t))}, {@code t = 1/(1 + z/2)}: P's terms. */
    private static final float E0 = -1.26551223f;
    private static final float E1 = 1.00002368f;
    private static final float E2 = 0.37409196f;
    private static final float E3 = 0.09678418f;
    private static final float E4 = -0.18628806f;
    private static final float E5 = 0.27886807f;
    private static final float E6 = -1.13520398f;
    private static final float E7 = 1.48851587f;
    private static final float E8 = -0.82215223f;
    private static final float E9 = 0.17087277f;
    private static final float INV_SQRT2 = 0.70710678118654752f;
    private static final float INV_SQRT_2PI = 0.39894228040143268f;

    /** {@code 1/(2k + 1)} for k = 7 down to 1: log1p's series in {@code s² = (u/(2 + u))²}. */
    private static final float L7 = 1f / 15;
    private static final float L6 = 1f / 13;
    private static final float L5 = 1f / 11;
    private static final float L4 = 1f / 9;
    private static final float L3 = 1f / 7;
    private static final float L2 = 1f / 5;
    private static final float L1 = 1f / 3;

    private static final float GELU_C = 0.7978845608f; // √(2/π)
    private static final float GELU_K = 0.044715f;
    private static final float GELU_K3 = 0.134145f;     // 3·0.044715

    /**
     * {@code y[i] = f(x[i])} for {@code n} elements, {@code f} one of {@link #EXP} (of {@code x − shift}),
     * {@link #SIGMOID}, {@link #TANH}. {@code y} may be {@code x}. Vector lanes and the scalar tail give the
     * same bits for the same input.
     *
     * <p>The vector code is written out in this one loop on purpose: a {@code FloatVector} handed to a
     * helper that C2 declines to inline (a helper compiled on its own first, or one met after a large
     * method has used up C2's inlining budget) is boxed on every call, which would allocate on the training
     * path. For the same reason this loop does no horizontal reduction.
     */
    static void map(int f, float[] x, int xOff, float shift, float[] y, int yOff, int n) {
        VectorSpecies<Float> s = SimdKernels.SPECIES;
        int lanes = s.length();
        int bound = s.loopBound(n);
         FloatVector one = FloatVector.broadcast(s, 1f);
        FloatVector two = FloatVector.broadcast(s, 2f);
        FloatVector negLn2Hi = FloatVector.broadcast(s, -LN2_HI);
        FloatVector negLn2Lo = FloatVector.broadcast(s, -LN2_LO);
        FloatVector p2 = FloatVector.broadcast(s, P2);
        FloatVector p3 = FloatVector.broadcast(s, P3);
        FloatVector p4 = FloatVector.broadcast(s, P4);
        FloatVector p5 = FloatVector.broadcast(s, P5);
        FloatVector t2 = FloatVector.broadcast(s, T2);
        FloatVector t3 = FloatVector.broadcast(s, T3);
        FloatVector t4 = FloatVector.broadcast(s, T4);
        int i = 0;
        for (; i < bound; i += lanes) {
            FloatVector v = FloatVector.fromArray(s, x, xOff + i);
            // the tanh argument: x, or GELU's inner polynomial
            FloatVector tv = f == GELU || f == GELU_GRAD ? v.mul(v).mul(v).mul(GELU_K).add(v).mul(GELU_C) : v;
            FloatVector arg;
            if (f == EXP) {
                arg = v.sub(shift);
            } else if (f == SIGMOID || f == SILU || f == SILU_GRAD || f == SOFTPLUS_GRAD) {
                arg = v.neg();
            } else if (f == SOFTPLUS) {
                arg = v.abs().neg();
            } else if (f == GELU_ERF || f == GELU_ERF_GRAD) { // as normalCdf below: −z² + P(t)
                FloatVector zv = v.abs().mul(INV_SQRT2);
                FloatVector tt = one.div(zv.mul(0.5f).add(1f));
                FloatVector p = tt.fma(E9, E8);
                p = p.fma(tt, FloatVector.broadcast(s, E7));
                p = p.fma(tt, FloatVector.broadcast(s, E6));
                p = p.fma(tt, FloatVector.broadcast(s, E5));
                p = p.fma(tt, FloatVector.broadcast(s, E4));
                p = p.fma(tt, FloatVector.broadcast(s, E3));
                p = p.fma(tt, FloatVector.broadcast(s, E2));
                p = p.fma(tt, FloatVector.broadcast(s, E1));
                p = p.fma(tt, FloatVector.broadcast(s, E0));
                arg = p.sub(zv.mul(zv));
            } else if (f == ELU) {
                arg = v;
            } else {
                FloatVector a = tv.abs();
                arg = a.add(a);
            }
            // e = exp(arg), as exp(float) below
            FloatVector c = arg.min(EXP_MAX).max(EXP_MIN);
            FloatVector t = c.fma(LOG2E, MAGIC);
            FloatVector nn = t.sub(MAGIC);
            FloatVector r = nn.fma(negLn2Hi, c);
            r = nn.fma(negLn2Lo, r);
            FloatVector z = r.mul(r);
            FloatVector q = r.fma(P0, P1);
            q = q.fma(r, p2);
            q = q.fma(r, p3);
            q = q.fma(r, p4);
            q = q.fma(r, p5);
            q = q.fma(z, r).add(1f);
            FloatVector scale = t.reinterpretAsInts().sub(MAGIC_BITS - 127)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = q.mul(scale).blend(0f, arg.compare(VectorOperators.LT, EXP_MIN));
            FloatVector out;
            if (f == EXP) {
                out = e;
            } else if (f == SIGMOID) {
                out = one.div(e.add(1f));
            } else if (f == SOFTPLUS_GRAD) { // y · sigmoid(x)
                out = FloatVector.fromArray(s, y, yOff + i).mul(one.div(e.add(1f)));
            } else if (f == GELU_ERF || f == GELU_ERF_GRAD) { // as gelu(float) and geluErfGrad below
                FloatVector zv = v.abs().mul(INV_SQRT2);
                FloatVector h = one.div(zv.mul(0.5f).add(1f)).mul(e).mul(0.5f);
                FloatVector cdf = one.sub(h).blend(h, v.compare(VectorOperators.LT, 0f));
                if (f == GELU_ERF) {
                    out = v.mul(cdf);
                } else { // φ(x)·√(2π) = e^(−z²): a second exp as exp(float), written out (see above)
                    FloatVector a2 = zv.mul(zv).neg();
                    FloatVector c2 = a2.min(EXP_MAX).max(EXP_MIN);
                    FloatVector t2v = c2.fma(LOG2E, MAGIC);
                    FloatVector n2 = t2v.sub(MAGIC);
                    FloatVector r2 = n2.fma(negLn2Hi, c2);
                    r2 = n2.fma(negLn2Lo, r2);
                    FloatVector zz2 = r2.mul(r2);
                    FloatVector q2 = r2.fma(P0, P1);
                    q2 = q2.fma(r2, p2);
                    q2 = q2.fma(r2, p3);
                    q2 = q2.fma(r2, p4);
                    q2 = q2.fma(r2, p5);
                    q2 = q2.fma(zz2, r2).add(1f);
                    FloatVector scale2 = t2v.reinterpretAsInts().sub(MAGIC_BITS - 127)
                            .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                    FloatVector e2 = q2.mul(scale2).blend(0f, a2.compare(VectorOperators.LT, EXP_MIN));
                    out = FloatVector.fromArray(s, y, yOff + i).mul(cdf.add(v.mul(e2.mul(INV_SQRT_2PI))));
                }
            } else if (f == SOFTPLUS) { // as softplus below
                FloatVector sq = e.div(e.add(2f));
                FloatVector s2 = sq.mul(sq);
                FloatVector p = s2.fma(L7, L6);
                p = p.fma(s2, FloatVector.broadcast(s, L5));
                p = p.fma(s2, FloatVector.broadcast(s, L4));
                p = p.fma(s2, FloatVector.broadcast(s, L3));
                p = p.fma(s2, FloatVector.broadcast(s, L2));
                p = p.fma(s2, FloatVector.broadcast(s, L1));
                p = p.fma(s2, one);
                out = v.max(0f).add(sq.add(sq).mul(p));
            } else if (f == ELU) { // as elu(float, float) below
                out = e.sub(1f).mul(shift).blend(v, v.compare(VectorOperators.GT, 0f));
            } else if (f == SILU || f == SILU_GRAD) { // as silu and siluGrad below
                FloatVector sg = one.div(e.add(1f));
                out = f == SILU ? v.mul(sg) : FloatVector.fromArray(s, y, yOff + i)
                        .mul(sg.mul(one.sub(sg).mul(v).add(1f)));
            } else { // as tanh(float) below, of tv
                FloatVector large = one.sub(two.div(e.add(1f)));
                large = large.blend(large.neg(), tv.compare(VectorOperators.LT, 0f));
                FloatVector zz = tv.mul(tv);
                FloatVector p = zz.fma(T0, T1);
                p = p.fma(zz, t2);
                p = p.fma(zz, t3);
                p = p.fma(zz, t4);
                FloatVector small = p.mul(zz).fma(tv, tv).blend(tv, tv.compare(VectorOperators.EQ, 0f));
                FloatVector th = large.blend(small, tv.abs().compare(VectorOperators.LT, TANH_SMALL));
                if (f == TANH) {
                    out = th;
                } else if (f == GELU) { // as gelu below
                    out = v.mul(0.5f).mul(th.add(1f));
                } else { // GELU_GRAD, as geluGrad below
                    FloatVector left = th.add(1f).mul(0.5f);
                    FloatVector right = v.mul(0.5f).mul(one.sub(th.mul(th)))
                            .mul(v.mul(v).mul(GELU_K3).add(1f).mul(GELU_C));
                    out = FloatVector.fromArray(s, y, yOff + i).mul(left.add(right));
                }
            }
            out.intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = f == EXP ? exp(v - shift) : f == SIGMOID ? sigmoid(v) : f == ELU ? elu(v, shift)
                    : f == SILU ? silu(v) : f == GELU ? gelu(v) : f == SILU_GRAD ? y[yOff + i] * siluGrad(v)
                    : f == GELU_GRAD ? y[yOff + i] * geluGrad(v) : f == SOFTPLUS ? softplus(v)
                    : f == SOFTPLUS_GRAD ? y[yOff + i] * sigmoid(v) : f == GELU_ERF ? geluErf(v)
                    : f == GELU_ERF_GRAD ? y[yOff + i] * geluErfGrad(v) : tanh(v);
        }
    }

    // ------------------------------------------------------------------ scalar forms

    static float exp(float x) {
        float c = Math.max(Math.min(x, EXP_MAX), EXP_MIN);
        float t = Math.fma(c, LOG2E, MAGIC);
        float n = t - MAGIC;
        float r = Math.fma(n, -LN2_HI, c);
        r = Math.fma(n, -LN2_LO, r);
        float z = r * r;
        float y = Math.fma(r, P0, P1);
        y = Math.fma(y, r, P2);
        y = Math.fma(y, r, P3);
        y = Math.fma(y, r, P4);
        y = Math.fma(y, r, P5);
        y = Math.fma(y, z, r) + 1f;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) - (MAGIC_BITS - 127)) << 23);
        float e = y * scale;
        return x < EXP_MIN ? 0f : e;
    }

    static float elu(float x, float alpha) {
        return x > 0f ? x : (exp(x) - 1f) * alpha;
    }

    static float silu(float x) {
        return x * sigmoid(x);
    }

    /** SiLU's derivative {@code s·(1 + x·(1 − s))}, {@code s = sigmoid(x)}. */
    static float siluGrad(float x) {
        float sg = sigmoid(x);
        return sg * ((1f - sg) * x + 1f);
    }

    private static float geluInner(float x) {
        return (x * x * x * GELU_K + x) * GELU_C;
    }

    static float gelu(float x) {
        return x * 0.5f * (tanh(geluInner(x)) + 1f);
    }

    /**
     * GELU's (tanh form) derivative: {@code (1 + t)/2 + x/2 · (1 − t²) · √(2/π)·(1 + 3·0.044715·x²)},
     * {@code t = tanh(√(2/π)·(x + 0.044715·x³))}.
     */
    static float geluGrad(float x) {
        float t = tanh(geluInner(x));
        float left = (t + 1f) * 0.5f;
        float right = x * 0.5f * (1f - t * t) * ((x * x * GELU_K3 + 1f) * GELU_C);
        return left + right;
    }

    /**
     * Softplus, {@code max(x, 0) + log1p(u)} with {@code u = e^−|x|} in {@code [0, 1]}: {@code log1p(u) =
     * 2·atanh(s) = 2s·(1 + s²/3 + s⁴/5 + … + s¹⁴/15)}, {@code s = u/(2 + u) ≤ 1/3}, whose next term is below
     * 2·10⁻⁹ of the sum.
     */
    static float softplus(float x) {
        float u = exp(-Math.abs(x));
        float s = u / (u + 2f);
        float s2 = s * s;
        float p = Math.fma(s2, L7, L6);
        p = Math.fma(p, s2, L5);
        p = Math.fma(p, s2, L4);
        p = Math.fma(p, s2, L3);
        p = Math.fma(p, s2, L2);
        p = Math.fma(p, s2, L1);
        p = Math.fma(p, s2, 1f);
        return Math.max(x, 0f) + (s + s) * p;
    }

    /**
     * The standard normal distribution function {@code Φ(x) = erfc(−x/√2)/2}, with Numerical Recipes'
     * {@code erfcc} (fractional error below 1.2·10⁻⁷ in float64) at {@code z = |x|/√2}: {@code h = erfc(z)/2},
     * then {@code 1 − h} for {@code x ≥ 0} and {@code h} below. Relative error measured within
     * {@code (10 + 4x²)} units of roundoff: rounding {@code z} and the argument {@code −z² + P(t)} of the
     * exponential cost about {@code 1.5x²} of them, which only matters where Φ is tiny.
     */
    static float normalCdf(float x) {
        float z = Math.abs(x) * INV_SQRT2;
        float t = 1f / (z * 0.5f + 1f);
        float p = Math.fma(t, E9, E8);
        p = Math.fma(p, t, E7);
        p = Math.fma(p, t, E6);
        p = Math.fma(p, t, E5);
        p = Math.fma(p, t, E4);
        p = Math.fma(p, t, E3);
        p = Math.fma(p, t, E2);
        p = Math.fma(p, t, E1);
        p = Math.fma(p, t, E0);
        float h = 1f / (z * 0.5f + 1f) * exp(p - z * z) * 0.5f;
        return x >= 0f ? 1f - h : h;
    }

    /** GELU, erf form (PyTorch's {@code GELU()}): {@code x·Φ(x)}. */
    static float geluErf(float x) {
        return x * normalCdf(x);
    }

    /** GELU's (erf form) derivative {@code Φ(x) + x·φ(x)}, {@code φ(x) = e^(−x²/2)/√(2π)} (x²/2 as z²). */
    static float geluErfGrad(float x) {
        float z = Math.abs(x) * INV_SQRT2;
        return normalCdf(x) + x * (exp(-(z * z)) * INV_SQRT_2PI);
    }

    static float sigmoid(float x) {
        return 1f / (exp(-x) + 1f);
    }

    static float tanh(float x) {
        float a = Math.abs(x);
        if (a < TANH_SMALL) {
            if (x == 0f) {
                return x;
            }
            float z = x * x;
            float p = Math.fma(z, T0, T1);
            p = Math.fma(p, z, T2);
            p = Math.fma(p, z, T3);
            p = Math.fma(p, z, T4);
            return Math.fma(p * z, x, x);
        }
        float s = exp(a + a);
        float large = 1f - 2f / (s + 1f);
        return x < 0f ? -large : large;
    }
}
