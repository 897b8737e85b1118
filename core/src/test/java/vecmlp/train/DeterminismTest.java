package vecmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.nn.Workspace;
import vecmlp.optim.Optimizer;

/** Same seed → same bits (scalar; SIMD at 1 and 2 threads), and SIMD agrees with scalar within a stated bound. */
class DeterminismTest {

    private static final Dataset DATA = Data.blobs(3, 400, 64, 10, 1.0);

    private static float[] train(Kernels k, long seed) {
        Mlp mlp = Mlp.builder().input(64).dense(96, Activation.RELU).dense(10, Activation.SOFTMAX)
                .loss(Loss.CROSS_ENTROPY).seed(seed).kernels(k).build();
        Trainer.builder(mlp, Optimizer.adam(1e-3f).kernels(k)).epochs(2).batchSize(64).seed(seed)
                .validationSplit(0.2).build().fit(DATA);
        return mlp.parameters();
    }

    @Test
    void scalarIsBitIdenticalForTheSameSeed() {
        float[] a = train(Kernels.scalar(), 1);
        assertArrayEquals(a, train(Kernels.scalar(), 1));
        assertFalse(Arrays.equals(a, train(Kernels.scalar(), 2)), "another seed gives other weights");
    }

    @Test
    void simdIsBitIdenticalForTheSameSeedAtOneAndTwoThreads() {
        assumeTrue(Kernels.isSimdAvailable(), "SIMD kernels need --add-modules jdk.incubator.vector");
        float[] one = train(Kernels.simd().withThreads(1), 1);
        assertArrayEquals(one, train(Kernels.simd().withThreads(1), 1));
        float[] two = train(Kernels.simd().withThreads(2), 1);
        assertArrayEquals(one, two, "thread count must not change a bit");
        assertArrayEquals(two, train(Kernels.simd().withThreads(2), 1));
    }

    /**
     * Every hidden activation that goes through exp, on layers wide enough for full vectors: three runs in
     * one JVM (the JIT compiles the kernels between and during them) give the same bits. With the Vector
     * API's own EXP/TANH and reduceLanes(ADD) they did not: interpreted and compiled code round differently.
     */
    @Test
    void simdIsBitIdenticalWhileTheJitCompilesForEveryActivation() {
        assumeTrue(Kernels.isSimdAvailable(), "SIMD kernels need --add-modules jdk.incubator.vector");
        Dataset data = Data.blobs(5, 2000, 16, 4, 1.0);
        for (Activation hidden : new Activation[] {Activation.TANH, Activation.SIGMOID, Activation.SOFTMAX,
            Activation.LEAKY_RELU}) {
            float[] first = null;
            for (int run = 0; run < 3; run++) {
                Kernels k = Kernels.simd().withThreads(1);
                Mlp mlp = Mlp.builder().input(16).dense(256, hidden).dense(4, Activation.SOFTMAX).seed(8).kernels(k).build();
                Trainer.builder(mlp, Optimizer.adam(1e-3f).kernels(k)).epochs(3).batchSize(80).seed(1).build().fit(data);
                if (first == null) {
                    first = mlp.parameters().clone();
                } else {
                    assertArrayEquals(first, mlp.parameters(), hidden + ": run " + run + " differs from run 0");
                }
            }
        }
    }

    /**
     * 100 SGD steps of a smooth (tanh) 16-32-16-4 network, SIMD vs scalar. They differ only in rounding: per
     * step, a gradient entry is a ≤ 32-term sum, so it differs by ≲ 32·ε₃₂ ≈ 2e-6 of its scale (≲ 1), and the
     * update lr·g (lr = 0.1) by ≲ 2e-7; with lr·‖H‖ < 2 the differences are damped, not amplified, so after 100
     * steps they stay below 100·2e-7 = 2e-5. Asserted: every parameter within 1e-4, every batch loss within
     * 1e-4 relative. (A kink-free activation is used: ReLU could flip a unit on a rounding difference.)
     */
    @Test
    void simdAndScalarAgreeAfterOneHundredSteps() {
        assumeTrue(Kernels.isSimdAvailable(), "SIMD kernels need --add-modules jdk.incubator.vector");
        Dataset data = Data.blobs(4, 32 * 100, 16, 4, 0.8);
        Mlp s = Mlp.builder().input(16).dense(32, Activation.TANH).dense(16, Activation.TANH).dense(4, Activation.SOFTMAX)
                .seed(8).kernels(Kernels.scalar()).build();
        Mlp v = s.withKernels(Kernels.simd().withThreads(1));
        assertArrayEquals(s.parameters(), v.parameters());
        Optimizer os = Optimizer.sgd(0.1f).kernels(Kernels.scalar());
        Optimizer ov = Optimizer.sgd(0.1f).kernels(Kernels.simd().withThreads(1));
        Workspace ws = s.newWorkspace(32);
        Workspace wv = v.newWorkspace(32);
        float[] gs = s.newGradients();
        float[] gv = v.newGradients();
        float first = 0;
        float last = 0;
        for (int step = 0; step < 100; step++) {
            float ls = s.computeGradient(data.features(), step * 32 * 16, 32, data.labels(), step * 32, gs, ws);
            float lv = v.computeGradient(data.features(), step * 32 * 16, 32, data.labels(), step * 32, gv, wv);
            assertEquals(ls, lv, 1e-4 * ls, "loss at step " + step);
            os.step(s.parameters(), gs);
            ov.step(v.parameters(), gv);
            if (step == 0) {
                first = ls;
            }
            last = ls;
        }
        assertTrue(last < 0.5 * first, "training made progress: " + first + " -> " + last);
        float maxDiff = 0;
        for (int i = 0; i < s.parameterCount(); i++) {
            maxDiff = Math.max(maxDiff, Math.abs(s.parameters()[i] - v.parameters()[i]));
        }
        assertTrue(maxDiff <= 1e-4f, "max parameter difference " + maxDiff);
    }
}
