package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vecmlp.nn.Mlp;
import vecmlp.nn.Workspace;
import vecmlp.optim.Optimizer;

/**
 * The cold-start guard: a training run gives the same bits whichever of the SIMD kernels and their twin
 * runs each call, whenever the switch happens (forced here at different steps, per group, and back and
 * forth); which groups a call needs; the warm-up's decision rule; the property that turns the guard off.
 */
class WarmingKernelsTest {

    /** Readiness that a test sets: ready from call {@code from} on (counting every ready() question). */
    private static final class Forced implements WarmingKernels.Readiness {
        final int from;
        final int groups;
        final boolean alternate;
        int calls;
        int asked;

        Forced(int from, int groups, boolean alternate) {
            this.from = from;
            this.groups = groups;
            this.alternate = alternate;
        }

        @Override
        public boolean ready(int wanted) {
            int call = calls++;
            if (alternate) {
                return (call & 1) == 0;
            }
            return call >= from && (wanted & groups) == wanted;
        }

        @Override
        public void want(int wanted) {
            asked |= wanted;
        }
    }

    private static final TwinKernels TWIN = new TwinKernels(SimdKernels.SPECIES.length(), GemmShape.L);

    /** Parameters after 25 Adam steps of 20-33-17-5 (softmax) at batch 13 with the given kernels. */
    static float[] train(Kernels kernels) {
        Mlp mlp = Mlp.builder().input(20).dense(33, vecmlp.kernel.Activation.RELU)
                .dense(17, vecmlp.kernel.Activation.TANH).dense(5, vecmlp.kernel.Activation.SOFTMAX)
                .seed(3).kernels(kernels).build();
        Optimizer adam = Optimizer.adam(1e-2f).clipNorm(1f).kernels(kernels);
        Workspace ws = mlp.newWorkspace(13);
        float[] grad = mlp.newGradients();
        Random rnd = new Random(5);
        float[] x = new float[13 * 20];
        int[] labels = new int[13];
        for (int step = 0; step < 25; step++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            for (int i = 0; i < labels.length; i++) {
                labels[i] = rnd.nextInt(5);
            }
            mlp.computeGradient(x, 0, 13, labels, 0, grad, ws);
            adam.step(mlp.parameters(), grad);
        }
        float[] out = new float[5];
        mlp.predict(x, 0, 1, out, 0, ws); // batch-1 inference: the few-row GEMM path
        float[] result = java.util.Arrays.copyOf(mlp.parameters(), mlp.parameterCount() + 5);
        System.arraycopy(out, 0, result, mlp.parameterCount(), 5);
        return result;
    }

    @Test
    void theSwitchNeverChangesABit() {
        SimdKernels simd = (SimdKernels) Kernels.simd().withThreads(1);
        float[] reference = train(simd);
        int all = (1 << SimdWarmup.GROUPS) - 1;
        for (int from : new int[] {0, 1, 7, 50, 333, Integer.MAX_VALUE}) {
            Forced forced = new Forced(from, all, false);
            assertArrayEquals(reference, train(new WarmingKernels(simd, TWIN, forced)), "switch at call " + from);
            if (from > 0) {
                assertTrue(forced.asked != 0, "a cold call asks for its groups");
            }
        }
        // Only some groups ready, and a switch back and forth on every call: still the same bits.
        assertArrayEquals(reference, train(new WarmingKernels(simd, TWIN,
                new Forced(0, SimdWarmup.GEMM_BLOCKED | SimdWarmup.ADAM, false))), "GEMM and Adam only");
        assertArrayEquals(reference, train(new WarmingKernels(simd, TWIN, new Forced(0, all, true))), "alternating");
        assertArrayEquals(reference, train(new WarmingKernels((SimdKernels) simd.withThreads(3), TWIN,
                new Forced(40, all, false))), "SIMD on 3 threads, switch at call 40");
    }

    @Test
    void aCallNeedsTheGroupsOfItsPath() {
        Activation relu = Activation.RELU;
        assertEquals(SimdWarmup.GEMM_SMALL, WarmingKernels.gemmGroups(false, false, 1, 256, 784, 1f, 0f, relu));
        assertEquals(SimdWarmup.GEMM_BLOCKED, WarmingKernels.gemmGroups(false, false, 128, 256, 784, 1f, 0f, relu));
        // A deep product whose last column panel is a few columns wide runs them on the few-row path.
        assertEquals(SimdWarmup.GEMM_BLOCKED | SimdWarmup.GEMM_SMALL,
                WarmingKernels.gemmGroups(false, false, 128, GemmShape.NR + 1, 784, 1f, 0f, relu));
        assertEquals(SimdWarmup.GEMM_BLOCKED,
                WarmingKernels.gemmGroups(false, false, 128, GemmShape.NR + 1, GemmShape.KC, 1f, 0f, relu));
        // A swapped TT product is blocked even for few rows of C, when B has many.
        assertEquals(SimdWarmup.GEMM_BLOCKED, WarmingKernels.gemmGroups(true, true, 5, 300, 10,
                1f, 0f, Activation.IDENTITY));
        assertEquals(SimdWarmup.GEMM_BLOCKED | SimdWarmup.ACTIVATION_FORWARD,
                WarmingKernels.gemmGroups(false, false, 128, 10, 128, 1f, 0f, Activation.SOFTMAX));
        assertEquals(SimdWarmup.GEMM_SMALL | SimdWarmup.ACTIVATION_FORWARD,
                WarmingKernels.gemmGroups(false, false, 1, 10, 128, 1f, 0f, Activation.SIGMOID));
    }

    /** The groups a cold call of the derivative of {@code act} asks for. */
    private static int derivativeGroups(Activation act) {
        Forced never = new Forced(Integer.MAX_VALUE, 0, false);
        Kernels k = new WarmingKernels(new SimdKernels(1), TWIN, never);
        float[] a = {0.25f, 0.5f, 0.75f};
        float[] delta = {1f, -1f, 0.5f};
        k.activationBackward(act, 1, 3, a, 0, 3, delta, 0, 3);
        return never.asked;
    }

    @Test
    void onlyTheMappedDerivativesWaitForTheirOwnGroup() {
        assertEquals(SimdWarmup.ACTIVATION_BACKWARD, derivativeGroups(Activation.RELU));
        assertEquals(SimdWarmup.ACTIVATION_BACKWARD, derivativeGroups(Activation.TANH));
        assertEquals(SimdWarmup.ACTIVATION_BACKWARD | SimdWarmup.DOT, derivativeGroups(Activation.SOFTMAX));
        for (Activation mapped : new Activation[] {Activation.SILU, Activation.GELU_TANH, Activation.SOFTPLUS,
            Activation.GELU}) {
            assertEquals(SimdWarmup.ACTIVATION_BACKWARD | SimdWarmup.ACTIVATION_BACKWARD_MATH,
                    derivativeGroups(mapped), mapped.kind().toString());
        }
    }

    @Test
    void aGroupSetAsideIsWarmedAgainAtEverLongerIntervals() {
        long s = 1_000_000_000L;
        assertEquals(30 * s, SimdWarmup.retryDelayNanos(1));
        assertEquals(60 * s, SimdWarmup.retryDelayNanos(2));
        assertEquals(960 * s, SimdWarmup.retryDelayNanos(6));
        assertEquals(1920 * s, SimdWarmup.retryDelayNanos(7));
        assertEquals(1920 * s, SimdWarmup.retryDelayNanos(Integer.MAX_VALUE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimdWarmup.retryDelayNanos(0));
        assertTrue(e.getMessage().contains("failures") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void aRoundIsGoodWhenSimdIsWithinBudgetAndNotMuchSlowerThanTheTwin() {
        assertTrue(SimdWarmup.compiled(900, 1000, 5000));
        assertTrue(SimdWarmup.compiled(1000, 1000, 1000));
        assertTrue(SimdWarmup.compiled(1500, 1000, 5000), "timing noise between two compiled calls");
        assertFalse(SimdWarmup.compiled(1501, 1000, 5000), "more than 1.5 times the twin's time");
        assertFalse(SimdWarmup.compiled(900, 100_000, 800), "over budget: the Java fallback against an interpreted twin");
    }

    /** The provider's kernels for {@code -Dvecmlp.warmup=warmup} on a JVM that compiles vector code. */
    private static Kernels guardedSimd(String warmup) {
        Platform vectorJvm = new Platform(true, "mixed mode", "amd64", SimdKernels.SPECIES.vectorBitSize(), true,
                java.util.List.of());
        return KernelProvider.kernelsOf(KernelProvider.decide("auto", warmup, vectorJvm));
    }

    @Test
    void theWarmUpProperty() {
        assertTrue(guardedSimd(null) instanceof WarmingKernels);
        assertTrue(guardedSimd(" On ") instanceof WarmingKernels);
        assertTrue(guardedSimd("off") instanceof SimdKernels);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> guardedSimd("maybe"));
        assertTrue(e.getMessage().contains("vecmlp.warmup") && e.getMessage().contains("maybe"), e.getMessage());
        Kernels guarded = guardedSimd(null);
        assertTrue(guarded.isSimd());
        assertEquals(Kernels.simd().description(), guarded.description());
        assertEquals(2, guarded.withThreads(2).threads());
    }

    @Test
    void theWarmUpTakesTheGroupsTheCallerHasCalledFirst() {
        int all = (1 << SimdWarmup.GROUPS) - 1;
        assertEquals(0, SimdWarmup.next(all, 0), "nothing called yet: the priority order, blocked GEMM first");
        int predicting = SimdWarmup.GEMM_SMALL | SimdWarmup.ACTIVATION_FORWARD | SimdWarmup.DOT;
        assertEquals(1, SimdWarmup.next(all, predicting), "the few-row GEMM, first of the called groups");
        assertEquals(7, SimdWarmup.next(all & ~SimdWarmup.GEMM_SMALL, predicting), "then dot");
        assertEquals(0, SimdWarmup.next(SimdWarmup.GEMM_BLOCKED | SimdWarmup.SGD, SimdWarmup.ADAM),
                "no called group left to warm: the first of the others");
        assertEquals(8, SimdWarmup.next(SimdWarmup.GEMM_BLOCKED | SimdWarmup.SGD, SimdWarmup.SGD));
    }
}
