package vecmlp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Mlp;
import vecmlp.nn.Workspace;
import vecmlp.optim.Optimizer;

/**
 * After warm-up, a training step (forward, backward, optimizer update) and an inference call allocate
 * nothing. Measured with {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes} around a
 * window of steps, repeated: the first calls allocate (class loading, bootstrap methods) and the JIT may
 * allocate a few hundred bytes in a rare window (deoptimization), so the assertion is that some window after
 * warm-up reads exactly 0, which a per-step allocation of even one object can never do. The Vector API
 * allocates while it runs interpreted or in C1, so SIMD gets longer warm-up rounds.
 */
class AllocationTest {

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return MX.getCurrentThreadAllocatedBytes();
    }

    /** Bytes allocated by {@code steps} training steps and predictions, after {@code warm} unmeasured ones. */
    private static long window(Kernels k, int warm, int steps, int rounds) {
        return window(Mlp.builder().input(64).dense(48, Activation.RELU).dense(32, Activation.TANH)
                .dense(10, Activation.SOFTMAX).seed(1).kernels(k).build(), k, warm, steps, rounds);
    }

    /**
     * A network with every layer kind: batch norm and dropout, an ELU layer with layer norm and dropout ending
     * a residual block.
     */
    private static Mlp everyLayer(Kernels k) {
        return Mlp.builder().input(64).dense(48, Activation.RELU).batchNorm().dropout(0.2f)
                .dense(48, Activation.ELU).layerNorm().dropout(0.1f).residual(1)
                .dense(10, Activation.SOFTMAX).seed(1).kernels(k).build();
    }

    private static long window(Mlp mlp, Kernels k, int warm, int steps, int rounds) {
        Optimizer opt = Optimizer.adamW(1e-3f, 0.01f).clipNorm(1f).kernels(k);
        Dataset data = Data.blobs(2, 64, 64, 10, 1.0);
        Workspace ws = mlp.newWorkspace(32);
        Workspace one = mlp.newWorkspace(1);
        float[] grad = mlp.newGradients();
        float[] out = new float[10];
        float[] x = data.features();
        int[] y = data.labels();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < rounds && best != 0; round++) {
            for (int i = 0; i < warm; i++) {
                step(mlp, opt, ws, one, grad, out, x, y, i);
            }
            long before = allocated();
            for (int i = 0; i < steps; i++) {
                step(mlp, opt, ws, one, grad, out, x, y, i);
            }
            best = Math.min(best, allocated() - before);
        }
        return best;
    }

    private static void step(Mlp mlp, Optimizer opt, Workspace ws, Workspace one, float[] grad, float[] out,
                             float[] x, int[] y, int i) {
        int b = i % 2 == 0 ? 32 : 17; // full and partial batches
        int from = i % 2 == 0 ? 0 : 40;
        mlp.computeGradient(x, from * 64, b, y, from, grad, ws);
        opt.step(mlp.parameters(), grad);
        mlp.predictOne(x, out, one);
        mlp.evaluateLoss(x, 0, 32, y, 0, ws);
    }

    @Test
    void scalarTrainingStepAllocatesNothing() {
        assumeTrue(MX.isThreadAllocatedMemorySupported());
        MX.setThreadAllocatedMemoryEnabled(true);
        assertEquals(0L, window(Kernels.scalar(), 20, 20, 10));
    }

    @Test
    void scalarTrainingStepWithEveryLayerKindAllocatesNothing() {
        assumeTrue(MX.isThreadAllocatedMemorySupported());
        MX.setThreadAllocatedMemoryEnabled(true);
        assertEquals(0L, window(everyLayer(Kernels.scalar()), Kernels.scalar(), 20, 20, 10));
    }

    @Test
    void simdTrainingStepWithEveryLayerKindAllocatesNothingOnceCompiled() {
        assumeTrue(Kernels.isSimdAvailable() && MX.isThreadAllocatedMemorySupported());
        MX.setThreadAllocatedMemoryEnabled(true);
        long bytes = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 40 && bytes != 0; attempt++) {
            Kernels k = Kernels.simd().withThreads(1);
            bytes = window(everyLayer(k), k, 400, 20, 2);
        }
        assertEquals(0L, bytes);
    }

    @Test
    void simdTrainingStepAllocatesNothingOnceCompiled() {
        assumeTrue(Kernels.isSimdAvailable() && MX.isThreadAllocatedMemorySupported());
        MX.setThreadAllocatedMemoryEnabled(true);
        long bytes = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 40 && bytes != 0; attempt++) {
            bytes = window(Kernels.simd().withThreads(1), 400, 20, 2);
        }
        assertEquals(0L, bytes);
    }

    /** The ids of the GEMM pool's worker threads ({@code vecmlp-gemm-*}). */
    private static long[] workerIds() {
        return java.util.Arrays.stream(MX.getThreadInfo(MX.getAllThreadIds()))
                .filter(t -> t != null && t.getThreadName().startsWith("vecmlp-gemm-"))
                .mapToLong(java.lang.management.ThreadInfo::getThreadId).toArray();
    }

    /** Bytes allocated so far by the calling thread and the given threads. */
    private static long allocated(long[] ids) {
        long sum = allocated();
        for (long id : ids) {
            sum += MX.getThreadAllocatedBytes(id);
        }
        return sum;
    }

    /**
     * A step on 2 threads large enough for every split pass to run on the pool (512-256-128-10 at batch
     * 128: products from 2^22 multiply-adds, the 128 × 256 ReLU derivative, the 128 × 512 input check, 165k
     * parameters for the gradient norm and the AdamW and SGD updates) allocates nothing, on the calling
     * thread or the workers.
     */
    @Test
    void simdTrainingStepOnTwoThreadsAllocatesNothingOnAnyThread() {
        assumeTrue(Kernels.isSimdAvailable() && MX.isThreadAllocatedMemorySupported());
        MX.setThreadAllocatedMemoryEnabled(true);
        Kernels k = Kernels.simd().withThreads(2);
        Mlp mlp = Mlp.builder().input(512).dense(256, Activation.RELU).dense(128, Activation.RELU)
                .dense(10, Activation.SOFTMAX).seed(1).kernels(k).build();
        Optimizer adamW = Optimizer.adamW(1e-4f, 0.01f).clipNorm(1f).kernels(k);
        Optimizer sgd = Optimizer.sgd(1e-4f).kernels(k);
        int batch = 128;
        float[] x = new float[2 * batch * 512];
        int[] y = new int[2 * batch];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(4);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextInt(10);
        }
        Workspace ws = mlp.newWorkspace(batch);
        float[] grad = mlp.newGradients();
        long best = Long.MAX_VALUE;
        long[] workers = new long[0];
        for (int attempt = 0; attempt < 40 && best != 0; attempt++) {
            for (int i = 0; i < 100; i++) {
                mlp.computeGradient(x, (i % 2) * batch * 512, batch, y, (i % 2) * batch, grad, ws);
                (i % 2 == 0 ? adamW : sgd).step(mlp.parameters(), grad);
            }
            workers = workerIds();
            long before = allocated(workers);
            for (int i = 0; i < 10; i++) {
                mlp.computeGradient(x, (i % 2) * batch * 512, batch, y, (i % 2) * batch, grad, ws);
                (i % 2 == 0 ? adamW : sgd).step(mlp.parameters(), grad);
            }
            best = Math.min(best, allocated(workers) - before);
        }
        assertTrue(workers.length >= 1, "the pool has a worker");
        assertEquals(0L, best, "bytes allocated by 10 steps on the caller and " + workers.length + " worker(s)");
    }

    @Test
    void trainerStepsAllocateNothingBetweenBatches() {
        assumeTrue(MX.isThreadAllocatedMemorySupported());
        MX.setThreadAllocatedMemoryEnabled(true);
        Mlp mlp = Mlp.builder().input(16).dense(16, Activation.RELU).dense(4, Activation.SOFTMAX).seed(1)
                .kernels(Kernels.scalar()).build();
        Dataset blobs = Data.blobs(3, 16 * 20, 16, 4, 1.0);
        float[] w = new float[blobs.rows()];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.5f + i % 3;
        }
        Dataset data = blobs.withWeights(w); // row weights and class weights: the weighted loss's path too
        long[] last = {-1};
        int[] zero = {0};
        int[] measured = {0};
        Trainer.builder(mlp, Optimizer.nesterov(0.01f, 0.9f).kernels(Kernels.scalar())).epochs(6).batchSize(16)
                .classWeights(1f, 2f, 1f, 0.5f).listener(new TrainingListener() {
                    @Override
                    public void onBatchEnd(BatchEvent e) {
                        long now = allocated();
                        if (e.epoch() >= 3 && e.batch() > 0) { // within an epoch, after warm-up
                            zero[0] += now == last[0] ? 1 : 0;
                            measured[0]++;
                        }
                        last[0] = allocated();
                    }
                }).build().fit(data);
        assertTrue(measured[0] > 50);
        // A per-step allocation would make every interval non-zero; rare JIT events may touch a few.
        assertTrue(zero[0] >= 0.9 * measured[0], zero[0] + " of " + measured[0] + " intervals between batch ends allocated nothing");
    }
}
