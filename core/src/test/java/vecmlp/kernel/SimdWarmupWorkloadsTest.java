package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The SIMD warm-up's calls ({@link SimdWarmup.Workloads}) are valid calls, within their buffers, and give the
 * same bits on the SIMD kernels and on their twin, every group, with and without the deep products.
 */
class SimdWarmupWorkloadsTest {

    @Test
    void everyGroupRunsOnTheSimdKernelsAndTheTwinWithTheSameBits() {
        Kernels simd = Kernels.simd().withThreads(1);
        Kernels twin = new TwinKernels(SimdKernels.SPECIES.length(), GemmShape.L);
        for (boolean deep : new boolean[] {false, true}) {
            for (int g = 0; g < SimdWarmup.GROUPS; g++) {
                SimdWarmup.Workloads onSimd = new SimdWarmup.Workloads(SimdKernels.SPECIES.length(), GemmShape.L);
                SimdWarmup.Workloads onTwin = new SimdWarmup.Workloads(SimdKernels.SPECIES.length(), GemmShape.L);
                onSimd.run(g, simd, deep);
                onTwin.run(g, twin, deep);
                onSimd.runShared(g, simd);
                onTwin.runShared(g, twin);
                String group = SimdWarmup.NAMES[g] + (deep ? " with the deep products" : "");
                assertSameBits(onTwin.out, onSimd.out, group + ", out");
                assertSameBits(onTwin.out2, onSimd.out2, group + ", out2");
            }
        }
    }

    /** The calls that compile the twin before the caller's first call: the same bits on the SIMD kernels. */
    @Test
    void theTwinsFirstCallsHaveTheBitsOfSimd() {
        SimdWarmup.Workloads onSimd = new SimdWarmup.Workloads(SimdKernels.SPECIES.length(), GemmShape.L);
        SimdWarmup.Workloads onTwin = new SimdWarmup.Workloads(SimdKernels.SPECIES.length(), GemmShape.L);
        onSimd.runTwinFirst(Kernels.simd().withThreads(1));
        onTwin.runTwinFirst(new TwinKernels(SimdKernels.SPECIES.length(), GemmShape.L));
        assertSameBits(onTwin.out, onSimd.out, "the twin's first calls, out");
        assertSameBits(onTwin.out2, onSimd.out2, "the twin's first calls, out2");
    }

    /**
     * The calls the warm-up makes where the caller's calls are split over threads: the same bits on the twin,
     * on the SIMD kernels on three threads (small calls, not split) and on three threads splitting always.
     */
    @Test
    void theSplitCallsHaveTheSameBitsOnEveryThreadCount() {
        Kernels twin = new TwinKernels(SimdKernels.SPECIES.length(), GemmShape.L);
        Kernels[] simds = {Kernels.simd().withThreads(3), SimdKernels.splittingAlways(3)};
        for (int g = 0; g < SimdWarmup.GROUPS; g++) {
            SimdWarmup.Workloads onTwin = new SimdWarmup.Workloads(SimdKernels.SPECIES.length(), GemmShape.L);
            onTwin.runSplit(g, twin);
            for (Kernels simd : simds) {
                SimdWarmup.Workloads onSimd = new SimdWarmup.Workloads(SimdKernels.SPECIES.length(), GemmShape.L);
                onSimd.runSplit(g, simd);
                String group = SimdWarmup.NAMES[g] + ", split calls on " + simd.threads() + " threads"
                        + (simd instanceof SimdKernels && ((SimdKernels) simd).parallelMin == 0 ? ", splitting always" : "");
                assertSameBits(onTwin.out, onSimd.out, group + ", out");
                assertSameBits(onTwin.out2, onSimd.out2, group + ", out2");
            }
        }
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + " element " + i + ": " + expected[i] + " against " + actual[i]);
        }
    }
}
