package vecmlp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Init;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.nn.Rng;

/**
 * Backpropagation against float64 central differences for every hidden activation, every loss (labels and
 * targets) and both kernel implementations, on small random networks.
 *
 * <p>Tolerance: the analytic gradient is float32; each entry is a sum of at most a few dozen products, so
 * its absolute error is about {@code k·ε₃₂·Σ|terms| ≈ 30 · 6e-8 · O(1) ≈ 2e-6} of the gradient scale. With the
 * denominator floored at {@code tiny = 1e-3} that is a relative error below {@code 2e-3}; entries far from
 * zero meet {@code ~1e-5}. The float64 central difference (h = 1e-6) adds {@code O(h²) + ε₆₄/h ≈ 1e-10}. The
 * bound asserted is 5e-3; a wrong derivative (a missing σ', a wrong scale) gives errors near 1.
 */
class GradientCheckTest {

    private static final double TOLERANCE = 5e-3;
    private static final double TINY = 1e-3;

    static Mlp net(Kernels k, long seed, Activation hidden, Activation output, Loss loss, int... sizes) {
        Mlp.Builder b = Mlp.builder().input(sizes[0]).seed(seed).kernels(k).init(Init.GLOROT_NORMAL);
        for (int l = 1; l < sizes.length - 1; l++) {
            b.dense(sizes[l], hidden);
        }
        b.dense(sizes[sizes.length - 1], output).loss(loss);
        Mlp mlp = b.build();
        // Non-zero biases, so the bias gradient paths are exercised away from 0.
        Rng rng = new Rng(seed + 99);
        float[] p = mlp.parameters();
        for (int l = 0; l < mlp.layerCount(); l++) {
            for (int j = 0; j < mlp.layer(l).outputSize(); j++) {
                p[mlp.biasOffset(l) + j] = (float) (rng.nextGaussian() * 0.3);
            }
        }
        return mlp;
    }

    static float[] randomInputs(long seed, int n) {
        Rng rng = new Rng(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    @TestFactory
    List<DynamicTest> everyActivationAndLoss() {
        List<DynamicTest> tests = new ArrayList<>();
        Activation[] hidden = {Activation.IDENTITY, Activation.RELU, Activation.LEAKY_RELU, Activation.leakyRelu(0.2f),
            Activation.SIGMOID, Activation.TANH, Activation.SOFTMAX, Activation.ELU, Activation.elu(0.5f),
            Activation.SILU, Activation.GELU_TANH, Activation.SOFTPLUS, Activation.GELU};
        int rows = 5;
        for (Kernels k : kernelsUnderTest()) {
            for (Activation h : hidden) {
                for (Object[] out : new Object[][] {
                    {Activation.SOFTMAX, Loss.CROSS_ENTROPY, 4}, {Activation.IDENTITY, Loss.MSE, 3},
                    {Activation.TANH, Loss.MSE, 2}, {Activation.SIGMOID, Loss.MSE, 1},
                    {Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY, 3}, {Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY, 1},
                    {Activation.IDENTITY, Loss.HUBER, 3}, {Activation.TANH, Loss.HUBER, 2}}) {
                    Activation oa = (Activation) out[0];
                    Loss loss = (Loss) out[1];
                    int nOut = (Integer) out[2];
                    String name = k.isSimd() ? "simd" : "scalar";
                    tests.add(DynamicTest.dynamicTest(name + " " + h + " -> " + oa + "/" + loss + " x" + nOut + " labels", () -> {
                        Mlp mlp = net(k, 11, h, oa, loss, 3, 5, 4, nOut);
                        float[] x = randomInputs(5, rows * 3);
                        int[] labels = new int[rows];
                        Rng rng = new Rng(3);
                        for (int i = 0; i < rows; i++) {
                            labels[i] = rng.nextInt(mlp.numClasses());
                        }
                        assertPasses(GradientCheck.check(mlp, x, rows, labels, null, 1e-6, TINY));
                    }));
                    tests.add(DynamicTest.dynamicTest(name + " " + h + " -> " + oa + "/" + loss + " x" + nOut + " targets", () -> {
                        Mlp mlp = net(k, 12, h, oa, loss, 3, 4, nOut);
                        float[] x = randomInputs(6, rows * 3);
                        float[] t = new float[rows * nOut];
                        Rng rng = new Rng(4);
                        for (int i = 0; i < rows; i++) {
                            double sum = 0;
                            for (int j = 0; j < nOut; j++) {
                                t[i * nOut + j] = loss == Loss.HUBER ? (float) (2 * rng.nextGaussian())
                                        : loss == Loss.MSE && oa.kind() == Activation.Kind.IDENTITY
                                        ? (float) rng.nextGaussian() : rng.nextFloat();
                                sum += t[i * nOut + j];
                            } // odd rows: weights not summing to 1, where ∂ℓ/∂z = (Σy)·s − y
                            if (loss == Loss.CROSS_ENTROPY && i % 2 == 0) { // soft labels: rows of probabilities
                                for (int j = 0; j < nOut; j++) {
                                    t[i * nOut + j] /= (float) sum;
                                }
                            }
                        }
                        assertPasses(GradientCheck.check(mlp, x, rows, null, t, 1e-6, TINY));
                    }));
                }
            }
        }
        return tests;
    }

    /**
     * Dropout after both hidden layers (one fixed mask: the check's training passes all use seed 0, step 0),
     * for the activations whose derivative is evaluated from the activation the mask must not touch. The
     * gradient must differ from the same network's without dropout, or the mask dropped nothing.
     */
    @TestFactory
    List<DynamicTest> dropoutWithAFixedMask() {
        List<DynamicTest> tests = new ArrayList<>();
        int rows = 6;
        for (Kernels k : kernelsUnderTest()) {
            for (Activation h : new Activation[] {Activation.RELU, Activation.leakyRelu(0.1f), Activation.SIGMOID,
                Activation.TANH}) {
                for (float p : new float[] {0.3f, 0.6f}) {
                    tests.add(DynamicTest.dynamicTest((k.isSimd() ? "simd " : "scalar ") + h + " p=" + p, () -> {
                        Mlp plain = net(k, 21, h, Activation.SOFTMAX, Loss.CROSS_ENTROPY, 4, 7, 5, 3);
                        Mlp dropped = Mlp.of(plain.layerSizes(), plain.activations(), new float[] {p, p, 0f},
                                plain.loss(), plain.parameters(), k);
                        float[] x = randomInputs(8, rows * 4);
                        int[] labels = {0, 1, 2, 2, 1, 0};
                        GradientCheck.Result r = GradientCheck.check(dropped, x, rows, labels, null, 1e-6, TINY);
                        assertPasses(r);
                        float[] without = GradientCheck.check(plain, x, rows, labels, null, 1e-6, TINY).analytic();
                        assertTrue(!java.util.Arrays.equals(without, r.analytic()), "dropout changed nothing");
                    }));
                }
            }
        }
        return tests;
    }

    /**
     * Batch normalization on both hidden layers, in training mode (through the batch statistics), with and
     * without dropout, for every hidden activation but softmax; γ and β moved away from 1 and 0.
     */
    @TestFactory
    List<DynamicTest> batchNormThroughTheBatchStatistics() {
        List<DynamicTest> tests = new ArrayList<>();
        int rows = 7;
        for (Kernels k : kernelsUnderTest()) {
            for (Activation h : new Activation[] {Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.1f),
                Activation.SIGMOID, Activation.TANH, Activation.SILU}) {
                for (float p : new float[] {0f, 0.3f}) {
                    tests.add(DynamicTest.dynamicTest((k.isSimd() ? "simd " : "scalar ") + h + " dropout " + p, () -> {
                        Mlp mlp = Mlp.builder().input(4).seed(23).kernels(k).init(Init.GLOROT_NORMAL)
                                .dense(6, h).batchNorm().dropout(p).dense(5, h).batchNorm().dropout(p)
                                .dense(3, Activation.SOFTMAX).build();
                        perturb(mlp, 41);
                        float[] x = randomInputs(9, rows * 4);
                        int[] labels = {0, 1, 2, 2, 1, 0, 1};
                        GradientCheck.Result r = GradientCheck.check(mlp, x, rows, labels, null, 1e-6, TINY);
                        assertPasses(r);
                        assertTrue(r.normalizationError(0) > 0 || r.normalizationError(1) > 0, "γ, β were checked");
                    }));
                }
            }
        }
        return tests;
    }

    /** Layer normalization on both hidden layers, with and without dropout; γ and β moved from 1 and 0. */
    @TestFactory
    List<DynamicTest> layerNorm() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Kernels k : kernelsUnderTest()) {
            for (Activation h : new Activation[] {Activation.IDENTITY, Activation.RELU, Activation.SIGMOID,
                Activation.TANH, Activation.GELU_TANH}) {
                for (float p : new float[] {0f, 0.3f}) {
                    tests.add(DynamicTest.dynamicTest((k.isSimd() ? "simd " : "scalar ") + h + " dropout " + p, () -> {
                        Mlp.Builder b = Mlp.builder().input(4).seed(29).kernels(k).init(Init.GLOROT_NORMAL);
                        Mlp mlp = b.dense(6, h).layerNorm().dropout(p).dense(5, h).layerNorm().dropout(p)
                                .dense(3, Activation.SOFTMAX).build();
                        perturb(mlp, 43);
                        float[] x = randomInputs(10, 5 * 4);
                        GradientCheck.Result r = GradientCheck.check(mlp, x, 5, new int[] {0, 1, 2, 2, 1}, null, 1e-6,
                                TINY);
                        assertPasses(r);
                        assertTrue(r.normalizationError(0) > 0 || r.normalizationError(1) > 0, "γ, β were checked");
                    }));
                }
            }
        }
        return tests;
    }

    /**
     * Residual blocks: one from the network's input around two layers, one from a hidden layer around two more,
     * with batch or layer normalization and dropout inside them, and a source feeding two connections.
     */
    @TestFactory
    List<DynamicTest> residualBlocks() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Kernels k : kernelsUnderTest()) {
            for (vecmlp.nn.Normalization norm : vecmlp.nn.Normalization.values()) {
                for (float p : new float[] {0f, 0.3f}) {
                    tests.add(DynamicTest.dynamicTest((k.isSimd() ? "simd " : "scalar ") + norm + " dropout " + p, () -> {
                        Mlp.Builder b = Mlp.builder().input(5).seed(31).kernels(k).init(Init.GLOROT_NORMAL);
                        b.dense(6, Activation.TANH);
                        normalize(b, norm);
                        b.dropout(p).dense(5, Activation.IDENTITY).dropout(p).residual(2); // + input
                        b.dense(7, Activation.RELU);
                        normalize(b, norm);
                        b.dropout(p).dense(5, Activation.SIGMOID).residual(2);             // + layer 1
                        b.dense(5, Activation.TANH).residual(3);                           // + layer 1 again
                        Mlp mlp = b.dense(3, Activation.SOFTMAX).build();
                        assertEquals(Mlp.FROM_INPUT, mlp.residualSource(1));
                        assertEquals(1, mlp.residualSource(3));
                        assertEquals(1, mlp.residualSource(4));
                        perturb(mlp, 47);
                        float[] x = randomInputs(12, 6 * 5);
                        assertPasses(GradientCheck.check(mlp, x, 6, new int[] {0, 1, 2, 2, 1, 0}, null, 1e-6, TINY));
                    }));
                }
            }
        }
        return tests;
    }

    /** Scalar, and SIMD on one thread where the Vector API is present. */
    private static List<Kernels> kernelsUnderTest() {
        List<Kernels> kernels = new ArrayList<>();
        kernels.add(Kernels.scalar());
        if (Kernels.isSimdAvailable()) {
            kernels.add(Kernels.simd().withThreads(1));
        }
        return kernels;
    }

    /** Biases ~ N(0, 0.3²), and where a layer is normalized γ ~ 1 + N(0, 0.5²), β ~ N(0, 0.3²): away from 0 and 1. */
    /** Every loss with row weights (one of them 0), on labels and on target rows. */
    @TestFactory
    List<DynamicTest> weightedRows() {
        List<DynamicTest> tests = new ArrayList<>();
        float[] weights = {0.5f, 2f, 0f, 1.25f, 3f};
        int rows = weights.length;
        for (Kernels k : kernelsUnderTest()) {
            for (Object[] out : new Object[][] {
                {Activation.SOFTMAX, Loss.CROSS_ENTROPY, 4}, {Activation.IDENTITY, Loss.MSE, 3},
                {Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY, 3}, {Activation.IDENTITY, Loss.HUBER, 3}}) {
                Activation oa = (Activation) out[0];
                Loss loss = (Loss) out[1];
                int nOut = (Integer) out[2];
                String name = (k.isSimd() ? "simd" : "scalar") + " " + loss + " weighted";
                tests.add(DynamicTest.dynamicTest(name + " labels", () -> {
                    Mlp mlp = net(k, 21, Activation.TANH, oa, loss, 3, 5, nOut);
                    int[] labels = new int[rows];
                    Rng rng = new Rng(5);
                    for (int i = 0; i < rows; i++) {
                        labels[i] = rng.nextInt(mlp.numClasses());
                    }
                    assertPasses(GradientCheck.check(mlp, randomInputs(7, rows * 3), rows, labels, null, weights, 1e-6,
                            TINY));
                }));
                tests.add(DynamicTest.dynamicTest(name + " targets", () -> {
                    Mlp mlp = net(k, 22, Activation.RELU, oa, loss, 3, 4, nOut);
                    float[] t = new float[rows * nOut];
                    Rng rng = new Rng(6);
                    for (int i = 0; i < t.length; i++) {
                        t[i] = loss == Loss.BINARY_CROSS_ENTROPY || loss == Loss.CROSS_ENTROPY ? rng.nextFloat()
                                : (float) (2 * rng.nextGaussian());
                    }
                    assertPasses(GradientCheck.check(mlp, randomInputs(8, rows * 3), rows, null, t, weights, 1e-6,
                            TINY));
                }));
            }
        }
        return tests;
    }

    private static void perturb(Mlp mlp, long seed) {
        Rng rng = new Rng(seed);
        float[] theta = mlp.parameters();
        for (int l = 0; l < mlp.layerCount(); l++) {
            for (int j = 0; j < mlp.layer(l).outputSize(); j++) {
                theta[mlp.biasOffset(l) + j] = (float) (0.3 * rng.nextGaussian());
                if (mlp.gammaOffset(l) >= 0) {
                    theta[mlp.gammaOffset(l) + j] = (float) (1 + 0.5 * rng.nextGaussian());
                    theta[mlp.betaOffset(l) + j] = (float) (0.3 * rng.nextGaussian());
                }
            }
        }
    }

    private static void normalize(Mlp.Builder b, vecmlp.nn.Normalization norm) {
        if (norm == vecmlp.nn.Normalization.BATCH) {
            b.batchNorm();
        } else if (norm == vecmlp.nn.Normalization.LAYER) {
            b.layerNorm();
        }
    }

    private static void assertPasses(GradientCheck.Result r) {
        assertTrue(r.maxError() < TOLERANCE, r::toString);
        // The check must be able to fail: a gradient off by 1% in one entry is reported.
        float[] a = r.analytic();
        double[] n = r.numeric();
        int worst = 0;
        for (int i = 0; i < n.length; i++) {
            if (Math.abs(n[i]) > Math.abs(n[worst])) {
                worst = i;
            }
        }
        double off = GradientCheck.relativeError(a[worst] * 1.02, n[worst], TINY);
        assertTrue(off > TOLERANCE, "a 2% error in the largest entry must be detected: " + off);
    }
}
