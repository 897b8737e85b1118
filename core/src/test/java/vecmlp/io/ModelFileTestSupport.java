package vecmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import vecmlp.kernel.Activation;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.nn.Rng;
import vecmlp.optim.Optimizer;
import vecmlp.train.Dataset;
import vecmlp.train.Trainer;

/** Small models, data and bitwise comparisons shared by the model-file tests. */
final class ModelFileTestSupport {

    private ModelFileTestSupport() {
    }

    /** Three Gaussian blobs in 6 dimensions, 3 classes. */
    static Dataset blobs(int rows, long seed) {
        Rng r = new Rng(seed);
        int cols = 6;
        float[] x = new float[rows * cols];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = r.nextInt(3);
            for (int j = 0; j < cols; j++) {
                x[i * cols + j] = (float) (r.nextGaussian() * 0.7 + (j % 3 == y[i] ? 1.5 : -0.5));
            }
        }
        return Dataset.ofClasses(x, rows, cols, y, 3);
    }

    /** An untrained 6 → 16 → 8 → 3 classifier with a leaky ReLU of an unusual slope. */
    static Mlp classifier(long seed) {
        return Mlp.builder().input(6).dense(16, Activation.RELU).dense(8, Activation.leakyRelu(0.125f))
                .dense(3, Activation.SOFTMAX).loss(Loss.CROSS_ENTROPY).seed(seed).build();
    }

    /** A classifier trained for a few epochs with Adam. */
    static Mlp trained(long seed) {
        Mlp mlp = classifier(seed);
        Trainer.builder(mlp, Optimizer.adam(0.01f)).epochs(3).batchSize(16).seed(seed).build().fit(blobs(300, seed));
        return mlp;
    }

    static int[] bits(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    /** Same architecture, loss and parameter bits. */
    static void assertSameModel(Mlp expected, Mlp actual) {
        assertArrayEquals(expected.layerSizes(), actual.layerSizes(), "layer sizes");
        assertArrayEquals(expected.activations(), actual.activations(), "activations");
        assertEquals(expected.loss(), actual.loss(), "loss");
        assertArrayEquals(bits(expected.parameters()), bits(actual.parameters()), "parameter bits");
    }

    static boolean sameModel(Mlp a, Mlp b) {
        return java.util.Arrays.equals(a.layerSizes(), b.layerSizes())
                && java.util.Arrays.equals(a.activations(), b.activations()) && a.loss() == b.loss()
                && java.util.Arrays.equals(bits(a.parameters()), bits(b.parameters()));
    }
}
