package vecmlp.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Rng;

/**
 * Every update rule against a float64 evaluation of PyTorch's documented algorithm (torch.optim.SGD, Adam,
 * AdamW pseudo-code), over several steps with fresh gradients each step, for the scalar and SIMD kernels,
 * with weight decay, clipping and a schedule.
 *
 * <p>Tolerance: each step's float32 arithmetic is a handful of operations on O(1) values, so one step
 * differs from float64 by ≈ 10·ε₃₂·max(|θ|, lr·|step|) ≈ 1e-6 absolute; errors add over {@value #STEPS}
 * steps (momentum and Adam's moments carry them forward with factor ≤ 1/(1 − μ) = 10), giving ≤ 1e-6·8·10.
 * The bound asserted is 2e-4 absolute on parameters of magnitude ~1; a wrong formula (missing bias
 * correction, coupled vs decoupled decay, Nesterov vs heavy ball) differs by ≥ 1e-3 in the first steps.
 */
class OptimizerTest {

    private static final int N = 37; // hits the SIMD tail
    private static final int STEPS = 8;
    private static final double TOL = 2e-4;

    private static List<Kernels> kernels() {
        List<Kernels> ks = new ArrayList<>();
        ks.add(Kernels.scalar());
        if (Kernels.isSimdAvailable()) {
            ks.add(Kernels.simd().withThreads(1));
        }
        return ks;
    }

    /** θ₀ and the gradients of STEPS steps, from a seed. */
    private static float[][] data(long seed) {
        Rng rng = new Rng(seed);
        float[][] d = new float[STEPS + 1][N];
        for (float[] row : d) {
            for (int i = 0; i < N; i++) {
                row[i] = (float) rng.nextGaussian();
            }
        }
        return d;
    }

    interface Reference {
        /** Advances theta (float64) by one step t (1-based) with gradient g and learning rate lr. */
        void step(double[] theta, double[] g, int t, double lr);
    }

    private static void compare(String name, Optimizer opt, Reference ref, double clip, LearningRateSchedule sched,
                                double baseLr) {
        float[][] d = data(name.hashCode());
        float[] theta = d[0].clone();
        double[] expected = new double[N];
        for (int i = 0; i < N; i++) {
            expected[i] = d[0][i];
        }
        for (int t = 1; t <= STEPS; t++) {
            float[] grad = d[t].clone();
            double[] g = new double[N];
            double norm = 0;
            for (int i = 0; i < N; i++) {
                g[i] = d[t][i];
                norm += g[i] * g[i];
            }
            norm = Math.sqrt(norm);
            if (clip > 0 && norm > clip) { // torch.nn.utils.clip_grad_norm_
                for (int i = 0; i < N; i++) {
                    g[i] *= clip / (norm + 1e-6);
                }
            }
            double lr = baseLr * (sched == null ? 1.0 : sched.factor(t - 1));
            assertEquals((float) lr, opt.learningRate(), 1e-7 * lr, name + " learning rate at step " + t);
            opt.step(theta, grad);
            ref.step(expected, g, t, lr);
            assertEquals(t, opt.stepCount());
            for (int i = 0; i < N; i++) {
                assertEquals(expected[i], theta[i], TOL, name + " step " + t + " element " + i);
            }
        }
        // Guard against a vacuous test: the parameters moved.
        double moved = 0;
        for (int i = 0; i < N; i++) {
            moved = Math.max(moved, Math.abs(theta[i] - d[0][i]));
        }
        assertTrue(moved > 50 * TOL, name + " moved only " + moved);
    }

    private static Reference sgdRef(double wd, double mu, boolean nesterov) {
        double[] buf = new double[N];
        return (theta, g, t, lr) -> {
            for (int i = 0; i < N; i++) {
                double gi = g[i] + wd * theta[i];
                if (mu != 0) {
                    buf[i] = t == 1 ? gi : mu * buf[i] + gi; // dampening 0
                    gi = nesterov ? gi + mu * buf[i] : buf[i];
                }
                theta[i] -= lr * gi;
            }
        };
    }

    private static Reference adamRef(double b1, double b2, double eps, double wd, boolean decoupled) {
        double[] m = new double[N];
        double[] v = new double[N];
        return (theta, g, t, lr) -> {
            for (int i = 0; i < N; i++) {
                double gi = g[i];
                if (decoupled) {
                    theta[i] *= 1 - lr * wd;
                } else {
                    gi += wd * theta[i];
                }
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                theta[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        };
    }

    @Test
    void sgdFamilyMatchesPyTorch() {
        for (Kernels k : kernels()) {
            String kn = k.isSimd() ? "simd " : "scalar ";
            compare(kn + "sgd", Optimizer.sgd(0.1f).kernels(k), sgdRef(0, 0, false), 0, null, 0.1);
            compare(kn + "sgd wd", Optimizer.sgd(0.1f).weightDecay(0.05f).kernels(k), sgdRef(0.05, 0, false), 0, null, 0.1);
            compare(kn + "momentum", Optimizer.momentum(0.05f, 0.9f).weightDecay(0.01f).kernels(k),
                    sgdRef(0.01, 0.9, false), 0, null, 0.05);
            compare(kn + "nesterov", Optimizer.nesterov(0.05f, 0.9f).kernels(k), sgdRef(0, 0.9, true), 0, null, 0.05);
        }
    }

    @Test
    void adamFamilyMatchesPyTorch() {
        for (Kernels k : kernels()) {
            String kn = k.isSimd() ? "simd " : "scalar ";
            compare(kn + "adam", Optimizer.adam(0.01f).kernels(k), adamRef(0.9, 0.999, 1e-8, 0, false), 0, null, 0.01);
            compare(kn + "adam l2", Optimizer.adam(0.01f).weightDecay(0.1f).betas(0.8f, 0.99f).eps(1e-6f).kernels(k),
                    adamRef(0.8, 0.99, 1e-6, 0.1, false), 0, null, 0.01);
            compare(kn + "adamw", Optimizer.adamW(0.01f, 0.1f).kernels(k), adamRef(0.9, 0.999, 1e-8, 0.1, true), 0, null, 0.01);
        }
    }

    @Test
    void clippingAndScheduleCompose() {
        for (Kernels k : kernels()) {
            LearningRateSchedule s = LearningRateSchedule.linearWarmup(3, LearningRateSchedule.cosine(5, 0.1));
            compare("clip+sched sgd", Optimizer.sgd(0.2f).clipNorm(2f).schedule(s).kernels(k), sgdRef(0, 0, false), 2.0, s, 0.2);
            compare("clip+sched adam", Optimizer.adam(0.02f).clipNorm(3f).schedule(s).kernels(k),
                    adamRef(0.9, 0.999, 1e-8, 0, false), 3.0, s, 0.02);
        }
    }

    @Test
    void schedulesFollowTheirFormulas() {
        assertEquals(1.0, LearningRateSchedule.constant().factor(123));
        LearningRateSchedule step = LearningRateSchedule.step(10, 0.5);
        assertEquals(1.0, step.factor(9));
        assertEquals(0.5, step.factor(10));
        assertEquals(0.25, step.factor(25));
        assertEquals(Math.pow(0.9, 7), LearningRateSchedule.exponential(0.9).factor(7), 1e-15);
        LearningRateSchedule cos = LearningRateSchedule.cosine(100, 0.1);
        assertEquals(1.0, cos.factor(0), 1e-15);
        assertEquals(0.55, cos.factor(50), 1e-12);
        assertEquals(0.1, cos.factor(100), 1e-15);
        assertEquals(0.1, cos.factor(500), 1e-15);
        LearningRateSchedule warm = LearningRateSchedule.linearWarmup(4, LearningRateSchedule.exponential(0.5));
        assertEquals(0.25, warm.factor(0));
        assertEquals(1.0, warm.factor(3));
        assertEquals(1.0, warm.factor(4));
        assertEquals(0.5, warm.factor(5));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.step(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.exponential(1.5));
    }

    @Test
    void clipByGlobalNormScalesOnlyAboveTheLimit() {
        float[] g = {3, 4, 0};
        float norm = GradientClipping.clipByGlobalNorm(Kernels.scalar(), g, 3, 10f);
        assertEquals(5f, norm);
        assertArrayEquals(new float[] {3, 4, 0}, g);
        norm = GradientClipping.clipByGlobalNorm(Kernels.scalar(), g, 3, 1f);
        assertEquals(5f, norm);
        assertEquals(1.0, Math.hypot(g[0], g[1]), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByGlobalNorm(Kernels.scalar(), g, 3, 0f));
    }

    @Test
    void nonFiniteGradientLeavesParametersAndStateUnchanged() {
        Optimizer opt = Optimizer.adam(0.1f).kernels(Kernels.scalar());
        float[] theta = {1, 2, 3};
        opt.step(theta, new float[] {0.1f, 0.2f, 0.3f});
        float[] before = theta.clone();
        float[] m = opt.stateBuffers()[0].clone();
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> opt.step(theta, new float[] {0.1f, Float.NaN, 0.3f}));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertArrayEquals(before, theta);
        assertArrayEquals(m, opt.stateBuffers()[0]);
        assertEquals(1, opt.stepCount());
        assertThrows(IllegalArgumentException.class, () -> opt.step(theta, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> opt.step(new float[4], new float[4]));
    }

    @Test
    void restoredStateContinuesBitIdentically() {
        float[][] d = data(77);
        for (Optimizer.Kind kind : Optimizer.Kind.values()) {
            Optimizer a = Optimizer.of(kind, 0.05f, 0.9f, 0.9f, 0.999f, 1e-8f, 0.01f).kernels(Kernels.scalar());
            float[] ta = d[0].clone();
            for (int t = 1; t <= 3; t++) {
                a.step(ta, d[t].clone());
            }
            Optimizer b = Optimizer.of(kind, 0.05f, 0.9f, 0.9f, 0.999f, 1e-8f, 0.01f).kernels(Kernels.scalar());
            float[][] saved = a.stateBuffers();
            float[][] copy = new float[saved.length][];
            for (int i = 0; i < saved.length; i++) {
                copy[i] = saved[i].clone();
            }
            b.restoreState(a.stepCount(), copy);
            assertEquals(a.stateBufferCount(), b.stateBuffers().length, kind.toString());
            float[] tb = ta.clone();
            for (int t = 4; t <= STEPS; t++) {
                a.step(ta, d[t].clone());
                b.step(tb, d[t].clone());
            }
            assertArrayEquals(ta, tb, kind.toString());
        }
    }

    /**
     * Parameters whose gradient becomes exactly zero (a dead unit) after 10 steps: their state decays by 0.9 a
     * step and, without the flush, would sit at a subnormal for good (emulated below, the kernels' one rounded
     * product a step); with it, the state has no subnormal after every {@value Optimizer#FLUSH_INTERVAL}th step,
     * and the dead parameters' first state buffer ends at zero.
     */
    @Test
    void stateIsFlushedToZeroEveryFlushInterval() {
        int steps = 64 * Optimizer.FLUSH_INTERVAL;
        Optimizer.Kind[] kinds = {Optimizer.Kind.MOMENTUM, Optimizer.Kind.NESTEROV, Optimizer.Kind.ADAM,
            Optimizer.Kind.ADAMW};
        for (Kernels k : kernels()) {
            for (Optimizer.Kind kind : kinds) {
                String name = kind + " on " + k.description();
                Optimizer opt = Optimizer.of(kind, 0.01f, 0.9f, 0.9f, 0.999f, 1e-8f, 0f).kernels(k);
                float[][] d = data(kind.ordinal());
                float[] theta = d[0].clone();
                float[] unflushed = new float[DEAD];
                for (int t = 1; t <= steps; t++) {
                    opt.step(theta, deadAfter10(d, t));
                    if (t == 10) {
                        System.arraycopy(opt.stateBuffers()[0], 0, unflushed, 0, DEAD);
                    } else if (t > 10) {
                        for (int i = 0; i < DEAD; i++) {
                            unflushed[i] *= 0.9f;
                        }
                    }
                    if (t % Optimizer.FLUSH_INTERVAL == 0) {
                        for (float[] buffer : opt.stateBuffers()) {
                            for (int i = 0; i < N; i++) {
                                float v = buffer[i];
                                assertTrue(v == 0f || Math.abs(v) >= Float.MIN_NORMAL,
                                        name + ": subnormal " + v + " at step " + t + ", element " + i);
                            }
                        }
                    }
                }
                for (int i = 0; i < DEAD; i++) {
                    float u = unflushed[i];
                    assertTrue(u != 0f && Math.abs(u) < Float.MIN_NORMAL, name + ": unflushed " + u);
                    assertEquals(0f, Math.abs(opt.stateBuffers()[0][i]), name + " element " + i);
                }
            }
        }
    }

    /**
     * A run resumed from a checkpoint taken between two flushes, while dead parameters' state is subnormal, ends
     * bit-identical to the uninterrupted run: the flushes follow the step count, which the checkpoint keeps.
     */
    @Test
    void resumedRunFlushesAtTheSameSteps() {
        int steps = 80 * Optimizer.FLUSH_INTERVAL;
        for (Optimizer.Kind kind : new Optimizer.Kind[] {Optimizer.Kind.MOMENTUM, Optimizer.Kind.ADAM}) {
            float[][] d = data(kind.ordinal() + 100);
            Optimizer whole = optimizer(kind);
            float[] tw = d[0].clone();
            for (int t = 1; t <= steps; t++) {
                whole.step(tw, deadAfter10(d, t));
            }
            // The same run, checkpointed at the first step that leaves a subnormal in the state.
            Optimizer first = optimizer(kind);
            float[] tr = d[0].clone();
            int cut = 0;
            while (cut == 0) {
                int t = (int) first.stepCount() + 1;
                first.step(tr, deadAfter10(d, t));
                for (float[] buffer : first.stateBuffers()) {
                    for (float v : buffer) {
                        cut = v != 0f && Math.abs(v) < Float.MIN_NORMAL ? t : cut;
                    }
                }
                assertTrue(t < steps, kind + ": no subnormal in the state before step " + steps);
            }
            float[][] saved = first.stateBuffers();
            float[][] copy = new float[saved.length][];
            for (int i = 0; i < saved.length; i++) {
                copy[i] = saved[i].clone();
            }
            Optimizer resumed = optimizer(kind);
            resumed.restoreState(cut, copy);
            for (int t = cut + 1; t <= steps; t++) {
                resumed.step(tr, deadAfter10(d, t));
            }
            assertArrayEquals(tw, tr, kind + " resumed at step " + cut);
            for (int b = 0; b < copy.length; b++) {
                assertArrayEquals(whole.stateBuffers()[b], resumed.stateBuffers()[b], kind + " state " + b);
            }
        }
    }

    private static Optimizer optimizer(Optimizer.Kind kind) {
        return Optimizer.of(kind, 0.01f, 0.9f, 0.9f, 0.999f, 1e-8f, 0f).kernels(Kernels.scalar());
    }

    /** Parameters whose gradient is zero after step 10 ({@link #deadAfter10}). */
    private static final int DEAD = 4;

    /** The gradient of step {@code t}: a row of {@code d}, its first {@link #DEAD} elements zero after step 10. */
    private static float[] deadAfter10(float[][] d, int t) {
        float[] grad = d[1 + t % STEPS].clone();
        if (t > 10) {
            Arrays.fill(grad, 0, DEAD, 0f);
        }
        return grad;
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.momentum(0.1f, 1f));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(0.1f).betas(1f, 0.9f));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(0.1f).eps(0f));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.1f).weightDecay(-1f));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.1f).clipNorm(Float.POSITIVE_INFINITY));
    }
}
