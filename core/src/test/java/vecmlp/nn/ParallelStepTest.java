package vecmlp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.optim.Optimizer;

/**
 * Training steps large enough for the SIMD kernels to split their work between threads give the same bits
 * on 1, 2 and 3 threads: 512-256-128-10 at batch 128 has hidden-layer products of 4–17M multiply-adds (at or
 * above the GEMM's parallel threshold, the weight gradients {@code Aᵀ·G} with {@code lda = 512} and 256,
 * transposed As the GEMM packs once for all threads), a 128 × 256 ReLU derivative split by rows, an input
 * check over 128 × 512 values, and 165k parameters, enough for the optimizer update and the gradient norm
 * to be split too.
 */
class ParallelStepTest {

    private static final int BATCH = 128;

    /** Gradients and parameters after each of a few steps, concatenated. */
    private static float[] run(int threads, Supplier<Optimizer> optimizer) {
        Kernels k = Kernels.simd().withThreads(threads);
        Mlp mlp = Mlp.builder().input(512).dense(256, Activation.RELU).dense(128, Activation.RELU)
                .dense(10, Activation.SOFTMAX).loss(Loss.CROSS_ENTROPY).seed(3).kernels(k).build();
        Optimizer opt = optimizer.get().kernels(k);
        Workspace ws = mlp.newWorkspace(BATCH);
        float[] grad = mlp.newGradients();
        SplittableRandom rnd = new SplittableRandom(11);
        float[] x = new float[BATCH * 512];
        int[] labels = new int[BATCH];
        int steps = 3;
        int p = mlp.parameterCount();
        float[] out = new float[steps * 2 * p];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextDouble(-1, 1);
            }
            for (int i = 0; i < BATCH; i++) {
                labels[i] = rnd.nextInt(10);
            }
            mlp.computeGradient(x, 0, BATCH, labels, 0, grad, ws);
            opt.step(mlp.parameters(), grad);
            System.arraycopy(grad, 0, out, 2 * s * p, p);
            System.arraycopy(mlp.parameters(), 0, out, (2 * s + 1) * p, p);
        }
        return out;
    }

    private static void sameBits(Supplier<Optimizer> optimizer) {
        assumeTrue(Kernels.isSimdAvailable(), "SIMD kernels need --add-modules jdk.incubator.vector");
        float[] one = run(1, optimizer);
        for (int threads : new int[] {2, 3}) {
            float[] many = run(threads, optimizer);
            assertEquals(one.length, many.length);
            for (int i = 0; i < one.length; i++) {
                if (Float.floatToRawIntBits(one[i]) != Float.floatToRawIntBits(many[i])) {
                    fail(threads + " threads: bits differ from 1 thread at index " + i + " (step "
                            + i / (2 * (one.length / 6)) + "): " + many[i] + " vs " + one[i]);
                }
            }
        }
    }

    @Test
    void sgdStepsAreBitIdenticalForAnyThreadCount() {
        sameBits(() -> Optimizer.sgd(0.05f));
    }

    @Test
    void adamWStepsWithClippingAreBitIdenticalForAnyThreadCount() {
        sameBits(() -> Optimizer.adamW(1e-3f, 0.01f).clipNorm(0.5f));
    }
}
