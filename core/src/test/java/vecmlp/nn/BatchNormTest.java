package vecmlp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.optim.Optimizer;
import vecmlp.train.Dataset;
import vecmlp.train.Trainer;

/**
 * Batch normalization in an {@link Mlp}: the running statistics follow PyTorch's update, inference normalizes
 * with them (a network with the normalization folded into its weights predicts the same), training is
 * bit-identical on 1, 2 and 3 threads, and bad use is refused before anything changes.
 */
class BatchNormTest {

    private static Mlp net(Kernels k) {
        return Mlp.builder().input(12).dense(40, Activation.RELU).batchNorm().dropout(0.2f)
                .dense(24, Activation.TANH).batchNorm().dense(4, Activation.SOFTMAX).seed(9).kernels(k).build();
    }

    private static float[] inputs(int rows, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[rows * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextGaussian() * 2 + 1);
        }
        return x;
    }

    @Test
    void theBuilderLaysOutGammaAndBetaAfterTheBias() {
        Mlp mlp = net(Kernels.scalar());
        assertEquals(Normalization.BATCH, mlp.normalization(0));
        assertEquals(Normalization.NONE, mlp.normalization(2));
        assertEquals(mlp.biasOffset(0) + 40, mlp.gammaOffset(0));
        assertEquals(mlp.gammaOffset(0) + 40, mlp.betaOffset(0));
        assertEquals(mlp.betaOffset(0) + 40, mlp.weightOffset(1));
        assertEquals(-1, mlp.gammaOffset(2));
        assertEquals(Mlp.parameterCount(mlp.layerSizes()) + 2 * (40 + 24), mlp.parameterCount());
        assertEquals(2 * (40 + 24), mlp.runningStatistics().length);
        for (int j = 0; j < 40; j++) {
            assertEquals(1f, mlp.parameters()[mlp.gammaOffset(0) + j]);
            assertEquals(0f, mlp.parameters()[mlp.betaOffset(0) + j]);
            assertEquals(0f, mlp.runningStatistics()[mlp.runningMeanOffset(0) + j]);
            assertEquals(1f, mlp.runningStatistics()[mlp.runningVarianceOffset(0) + j]);
        }
        assertTrue(mlp.toString().contains("40 batch-norm relu") || mlp.toString().contains("batch-norm"), mlp.toString());
        assertEquals(Normalization.BATCH, mlp.layer(1).normalization());
    }

    /** After one training pass: running mean = 0.1·μ, running variance = 0.9 + 0.1·σ²·m/(m − 1), per column. */
    @Test
    void aTrainingPassUpdatesTheRunningStatisticsAsPyTorch() {
        Mlp mlp = net(Kernels.scalar());
        int rows = 16;
        float[] x = inputs(rows, 1);
        float[] z = new float[rows * 40];
        Kernels.scalar().sgemmBiasActivation(vecmlp.kernel.Transpose.NO, vecmlp.kernel.Transpose.NO, rows, 40, 12, x,
                0, 12, mlp.parameters(), mlp.weightOffset(0), 40, mlp.parameters(), mlp.biasOffset(0),
                Activation.IDENTITY, z, 0, 40);
        float[] mean = new float[40];
        float[] var = new float[40];
        Kernels.scalar().columnMeanAndVariance(rows, 40, z, 0, 40, mean, 0, var, 0);
        Workspace ws = mlp.newWorkspace(rows);
        mlp.computeGradient(x, 0, rows, new int[rows], 0, mlp.newGradients(), ws);
        float[] r = mlp.runningStatistics();
        for (int j = 0; j < 40; j++) {
            assertEquals(0.9f * 0f + 0.1f * mean[j], r[mlp.runningMeanOffset(0) + j]);
            assertEquals(0.9f * 1f + 0.1f * (var[j] * ((float) rows / (rows - 1))), r[mlp.runningVarianceOffset(0) + j]);
            assertTrue(var[j] > 0.01f, "the columns vary");
        }
        float[] before = r.clone();
        mlp.evaluateLoss(x, 0, rows, new int[rows], 0, ws);
        mlp.predict(x, rows, new float[rows * 4], ws);
        assertArrayEquals(before, r, "inference passes do not update them");
    }

    /**
     * Inference normalizes with the running statistics: a plain network with {@code W' = W·diag(s)} and
     * {@code b' = (b − μ_r)·s + β}, {@code s = γ / √(σ²_r + ε)}, predicts the same to rounding.
     */
    @Test
    void inferenceIsTheNormalizationFoldedIntoTheWeights() {
        Mlp mlp = net(Kernels.simd());
        Dataset data = dataset(300, 2);
        Trainer.builder(mlp, Optimizer.adam(0.01f).kernels(mlp.kernels())).epochs(3).batchSize(32).seed(4).build()
                .fit(data);
        int[] sizes = mlp.layerSizes();
        Mlp folded = Mlp.of(sizes, mlp.activations(), mlp.loss(), new float[(int) Mlp.parameterCount(sizes)],
                Kernels.scalar());
        float[] p = mlp.parameters();
        float[] q = folded.parameters();
        float[] run = mlp.runningStatistics();
        for (int l = 0; l < mlp.layerCount(); l++) {
            int k = sizes[l];
            int n = sizes[l + 1];
            for (int j = 0; j < n; j++) {
                double s = 1;
                double shift = 0;
                if (mlp.normalization(l) == Normalization.BATCH) {
                    s = p[mlp.gammaOffset(l) + j] / Math.sqrt(run[mlp.runningVarianceOffset(l) + j] + Mlp.BATCH_NORM_EPSILON);
                    shift = p[mlp.betaOffset(l) + j] - run[mlp.runningMeanOffset(l) + j] * s;
                }
                for (int i = 0; i < k; i++) {
                    q[folded.weightOffset(l) + i * n + j] = (float) (p[mlp.weightOffset(l) + i * n + j] * s);
                }
                q[folded.biasOffset(l) + j] = (float) (p[mlp.biasOffset(l) + j] * s + shift);
            }
        }
        float[] a = new float[300 * 4];
        float[] b = new float[300 * 4];
        mlp.predict(data.features(), 300, a);
        folded.predict(data.features(), 300, b);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-4, "output " + i);
        }
        assertFalse(Arrays.equals(new float[run.length], run), "training moved the running statistics");
    }

    private static Dataset dataset(int rows, long seed) {
        int[] labels = new int[rows];
        float[] x = inputs(rows, seed);
        for (int i = 0; i < rows; i++) {
            labels[i] = (x[i * 12] + x[i * 12 + 1] > 2 ? 1 : 0) + (x[i * 12 + 2] > 1 ? 2 : 0);
        }
        return Dataset.ofClasses(x, rows, 12, labels, 4);
    }

    @Test
    void trainingIsBitIdenticalOnOneTwoAndThreeThreads() {
        Dataset data = dataset(203, 3); // a last batch of 11 rows
        float[][] results = new float[3][];
        float[][] running = new float[3][];
        for (int t = 1; t <= 3; t++) {
            Mlp mlp = net(Kernels.simd().withThreads(t));
            Trainer.builder(mlp, Optimizer.adam(0.01f).kernels(mlp.kernels())).epochs(3).batchSize(32).seed(5)
                    .build().fit(data);
            results[t - 1] = mlp.parameters();
            running[t - 1] = mlp.runningStatistics();
        }
        assertArrayEquals(results[0], results[1]);
        assertArrayEquals(results[0], results[2]);
        assertArrayEquals(running[0], running[1]);
        assertArrayEquals(running[0], running[2]);
    }

    @Test
    void badUseIsRefusedBeforeAnythingChanges() {
        IllegalStateException first = assertThrows(IllegalStateException.class, () -> Mlp.builder().input(3).batchNorm());
        assertTrue(first.getMessage().contains("dense layer"), first.getMessage());
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> Mlp.builder().input(3).dense(4, Activation.RELU).dense(2, Activation.SOFTMAX).batchNorm().build());
        assertTrue(out.getMessage().contains("output layer 1") && out.getMessage().contains("BATCH"), out.getMessage());
        Mlp mlp = net(Kernels.scalar());
        Workspace ws = mlp.newWorkspace(4);
        float[] g = mlp.newGradients();
        float[] before = mlp.runningStatistics().clone();
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> mlp.computeGradient(inputs(1, 1), 0, 1, new int[1], 0, g, ws));
        assertTrue(one.getMessage().contains("rows must be >= 2") && one.getMessage().contains("layer 0")
                && one.getMessage().endsWith(": 1"), one.getMessage());
        assertArrayEquals(before, mlp.runningStatistics());
        assertArrayEquals(new float[g.length], g);
        float[] out1 = new float[4];
        mlp.predict(inputs(1, 1), 1, out1, ws); // one row is fine in inference
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class, () -> Mlp.of(mlp.layerSizes(),
                mlp.activations(), mlp.dropouts(), new Normalization[2], mlp.loss(), mlp.parameters(), Kernels.scalar()));
        assertTrue(len.getMessage().contains("norms.length"), len.getMessage());
    }
}
