package vecmlp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;

class MlpTest {

    private static Mlp small(Kernels k) {
        return Mlp.builder().input(4).dense(5, Activation.RELU).dense(3, Activation.SOFTMAX)
                .loss(Loss.CROSS_ENTROPY).seed(42).kernels(k).build();
    }

    @Test
    void layoutIsLayerByLayerWeightsThenBias() {
        Mlp mlp = Mlp.builder().input(784).dense(256, Activation.RELU).dense(128, Activation.RELU)
                .dense(10, Activation.SOFTMAX).loss(Loss.CROSS_ENTROPY).init(Init.HE_UNIFORM).seed(42).build();
        assertArrayEquals(new int[] {784, 256, 128, 10}, mlp.layerSizes());
        assertEquals(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, mlp.parameterCount());
        assertEquals(mlp.parameterCount(), Mlp.parameterCount(mlp.layerSizes()));
        assertEquals(0, mlp.weightOffset(0));
        assertEquals(784 * 256, mlp.biasOffset(0));
        assertEquals(784 * 256 + 256, mlp.weightOffset(1));
        assertEquals(mlp.parameterCount() - 10, mlp.biasOffset(2));
        assertEquals(Activation.SOFTMAX, mlp.activation(2));
        assertEquals(3, mlp.layers().size());
        assertEquals(128, mlp.layer(2).inputSize());
        // Zero biases, weights within He-uniform's limit √(6/fan_in) and spread over it.
        float limit = (float) Math.sqrt(6.0 / 784);
        float max = 0;
        for (int i = 0; i < 784 * 256; i++) {
            max = Math.max(max, Math.abs(mlp.parameters()[i]));
        }
        assertTrue(max <= limit && max > 0.99f * limit, () -> "max " + limit);
        for (int j = 0; j < 256; j++) {
            assertEquals(0f, mlp.parameters()[mlp.biasOffset(0) + j]);
        }
        assertEquals(Loss.CROSS_ENTROPY, mlp.loss());
    }

    @Test
    void initialisationsHaveTheirVariance() {
        int fanIn = 200;
        int fanOut = 300;
        double[][] cases = {{Init.HE_UNIFORM.ordinal(), 2.0 / fanIn}, {Init.HE_NORMAL.ordinal(), 2.0 / fanIn},
            {Init.GLOROT_UNIFORM.ordinal(), 2.0 / (fanIn + fanOut)}, {Init.GLOROT_NORMAL.ordinal(), 2.0 / (fanIn + fanOut)}};
        for (double[] c : cases) {
            Init init = Init.values()[(int) c[0]];
            float[] w = new float[fanIn * fanOut];
            init.fill(w, 0, fanIn, fanOut, new Rng(5));
            double s = 0;
            double s2 = 0;
            for (float v : w) {
                s += v;
                s2 += (double) v * v;
            }
            double mean = s / w.length;
            double var = s2 / w.length - mean * mean;
            // 60,000 draws: the sample variance's relative standard error is ≈ √(2/60000) ≈ 0.6%.
            assertEquals(c[1], var, 0.03 * c[1], init.toString());
            assertEquals(0.0, mean, 5 * Math.sqrt(c[1] / w.length), init.toString());
        }
        assertEquals(Init.HE_UNIFORM, Init.defaultFor(Activation.RELU));
        assertEquals(Init.GLOROT_UNIFORM, Init.defaultFor(Activation.TANH));
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        assertArrayEquals(small(Kernels.scalar()).parameters(), small(Kernels.scalar()).parameters());
        Mlp other = Mlp.builder().input(4).dense(5, Activation.RELU).dense(3, Activation.SOFTMAX).seed(43).build();
        assertTrue(!java.util.Arrays.equals(small(Kernels.scalar()).parameters(), other.parameters()));
    }

    @Test
    void rebuildFromArchitectureAndParameters() {
        Mlp a = small(Kernels.scalar());
        Mlp b = Mlp.of(a.layerSizes(), a.activations(), a.loss(), a.parameters(), Kernels.scalar());
        assertArrayEquals(a.parameters(), b.parameters());
        b.parameters()[0] += 1f; // a copy, not a view
        assertTrue(a.parameters()[0] != b.parameters()[0]);
        float[] x = {0.1f, -0.2f, 0.3f, 0.4f};
        float[] outA = new float[3];
        float[] outC = new float[3];
        a.predict(x, 1, outA);
        a.copy().predict(x, 1, outC);
        assertArrayEquals(outA, outC);
        assertThrows(IllegalArgumentException.class,
                () -> Mlp.of(a.layerSizes(), a.activations(), a.loss(), new float[3], Kernels.scalar()));
        float[] bad = a.parameters().clone();
        bad[7] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Mlp.of(a.layerSizes(), a.activations(), a.loss(), bad, Kernels.scalar()));
        assertTrue(e.getMessage().contains("[7]") && e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Mlp.of(new int[] {4, 3}, new Activation[] {Activation.RELU},
                Loss.CROSS_ENTROPY, new float[15], Kernels.scalar()));
    }

    @Test
    void builderRejectsIncompatibleLossAndMissingParts() {
        assertThrows(IllegalArgumentException.class,
                () -> Mlp.builder().input(2).dense(3, Activation.RELU).loss(Loss.CROSS_ENTROPY).build());
        assertThrows(IllegalArgumentException.class,
                () -> Mlp.builder().input(2).dense(3, Activation.TANH).loss(Loss.BINARY_CROSS_ENTROPY).build());
        assertThrows(IllegalArgumentException.class,
                () -> Mlp.builder().input(2).dense(3, Activation.SOFTMAX).loss(Loss.MSE).build());
        assertThrows(IllegalStateException.class, () -> Mlp.builder().dense(3, Activation.RELU).build());
        assertThrows(IllegalStateException.class, () -> Mlp.builder().input(3).build());
        assertThrows(IllegalArgumentException.class, () -> Mlp.builder().input(0));
        assertThrows(IllegalArgumentException.class, () -> Mlp.builder().input(2).dense(0, Activation.RELU));
        assertEquals(Loss.BINARY_CROSS_ENTROPY, Mlp.builder().input(2).dense(1, Activation.SIGMOID).build().loss());
        assertEquals(Loss.MSE, Mlp.builder().input(2).dense(1, Activation.IDENTITY).build().loss());
    }

    /** Runs {@code call}, expects an IllegalArgumentException containing every fragment, and no change. */
    private static void rejects(Mlp mlp, float[] grad, Executable call, String... fragments) {
        float[] params = mlp.parameters().clone();
        float[] g = grad.clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + e.getMessage() + "' lacks '" + f + "'");
        }
        assertArrayEquals(params, mlp.parameters(), "model unchanged");
        assertArrayEquals(g, grad, "gradient buffer unchanged");
    }

    @Test
    void badInputIsRejectedNamingIndexAndValueWithNothingChanged() {
        Mlp mlp = small(Kernels.scalar());
        Workspace ws = mlp.newWorkspace(4);
        float[] grad = mlp.newGradients();
        java.util.Arrays.fill(grad, 7f);
        float[] x = new float[4 * 4];
        int[] labels = {0, 1, 2, 0};
        float[] out = new float[12];
        // wrong input width: 3 columns per row for a 4-input model
        rejects(mlp, grad, () -> mlp.predict(new float[6], 2, out, ws), "x.length", "8", "6");
        rejects(mlp, grad, () -> mlp.computeGradient(new float[15], 0, 4, labels, 0, grad, ws), "x", "16", "15");
        // label out of range
        rejects(mlp, grad, () -> mlp.computeGradient(x, 0, 4, new int[] {0, 1, 3, 0}, 0, grad, ws), "labels[2]", "3");
        rejects(mlp, grad, () -> mlp.computeGradient(x, 0, 4, new int[] {0, -1, 2, 0}, 0, grad, ws), "labels[1]", "-1");
        // NaN / Inf inputs
        float[] nan = x.clone();
        nan[9] = Float.NaN;
        rejects(mlp, grad, () -> mlp.computeGradient(nan, 0, 4, labels, 0, grad, ws), "row 2", "column 1", "NaN");
        float[] inf = x.clone();
        inf[3] = Float.POSITIVE_INFINITY;
        rejects(mlp, grad, () -> mlp.predict(inf, 0, 4, out, 0, ws), "row 0", "column 3", "Infinity");
        float[] tNaN = new float[12];
        tNaN[5] = Float.NaN;
        rejects(mlp, grad, () -> mlp.computeGradient(x, 0, 4, tNaN, 0, grad, ws), "targets", "row 1", "column 2", "NaN");
        // empty batch, batch larger than the workspace
        rejects(mlp, grad, () -> mlp.computeGradient(x, 0, 0, labels, 0, grad, ws), "rows", "0");
        rejects(mlp, grad, () -> mlp.computeGradient(new float[20], 0, 5, new int[5], 0, grad, ws), "rows 5", "maxBatch 4");
        // wrong gradient buffer, wrong workspace
        rejects(mlp, grad, () -> mlp.computeGradient(x, 0, 4, labels, 0, new float[3], ws), "grad.length", "3");
        Workspace foreign = Mlp.builder().input(4).dense(6, Activation.SOFTMAX).build().newWorkspace(4);
        rejects(mlp, grad, () -> mlp.predict(x, 0, 4, out, 0, foreign), "ws", "[4, 6]");
        rejects(mlp, grad, () -> mlp.predict(x, 0, 4, new float[11], 0, ws), "out", "11");
    }

    @Test
    void gradientDoesNotDependOnStaleWorkspaceOrGradientContents() {
        Mlp mlp = small(Kernels.scalar());
        float[] x = new float[8];
        for (int i = 0; i < 8; i++) {
            x[i] = i * 0.3f - 1f;
        }
        int[] labels = {2, 0};
        float[] g1 = mlp.newGradients();
        mlp.computeGradient(x, 0, 2, labels, 0, g1, mlp.newWorkspace(2));
        Workspace used = mlp.newWorkspace(7);
        float[] big = new float[28];
        java.util.Arrays.fill(big, 3f);
        mlp.computeGradient(big, 0, 7, new int[7], 0, mlp.newGradients(), used);
        float[] g2 = mlp.newGradients();
        java.util.Arrays.fill(g2, Float.NaN);
        mlp.computeGradient(x, 0, 2, labels, 0, g2, used);
        assertArrayEquals(g1, g2);
    }

    @Test
    void inferenceFromManyThreadsAgreesWithOneThread() throws Exception {
        Mlp mlp = Mlp.builder().input(16).dense(32, Activation.TANH).dense(4, Activation.SOFTMAX).seed(9)
                .kernels(Kernels.scalar()).build();
        int rows = 50;
        float[] x = new float[rows * 16];
        Rng rng = new Rng(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        float[] expected = new float[rows * 4];
        mlp.predict(x, rows, expected);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    Workspace ws = mlp.newWorkspace(1);
                    float[] out = new float[rows * 4];
                    for (int rep = 0; rep < 20; rep++) {
                        for (int i = 0; i < rows; i++) {
                            mlp.predict(x, i * 16, 1, out, i * 4, ws);
                        }
                    }
                    return out;
                }));
            }
            for (Future<float[]> f : results) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void rngStateRoundTripsAndSequencesAreFixed() {
        Rng a = new Rng(123);
        a.nextLong();
        long s = a.state();
        long next = a.nextLong();
        Rng b = new Rng(0);
        b.setState(s);
        assertEquals(next, b.nextLong());
        // SplitMix64's published first output for seed 0 (state advanced by the golden gamma once).
        assertEquals(0xE220A8397B1DCDAFL, new Rng(0).nextLong());
        int[] counts = new int[7];
        Rng r = new Rng(5);
        for (int i = 0; i < 70000; i++) {
            counts[r.nextInt(7)]++;
        }
        for (int c : counts) {
            assertEquals(10000, c, 500); // ±5σ for a binomial(70000, 1/7)
        }
        int[] perm = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        new Rng(1).shuffle(perm, perm.length);
        int[] sorted = perm.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
    }
}
