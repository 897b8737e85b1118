package vecmlp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.optim.Optimizer;
import vecmlp.train.Dataset;
import vecmlp.train.Trainer;

/**
 * Residual blocks in an {@link Mlp}: an identity block ({@code f = 0}) passes its input through, training is
 * bit-identical on 1, 2 and 3 threads, and bad blocks are refused naming the layers and widths.
 */
class ResidualTest {

    private static Mlp.Builder block(Kernels k) {
        return Mlp.builder().input(10).dense(16, Activation.RELU).dense(32, Activation.RELU).dropout(0.1f)
                .dense(16, Activation.IDENTITY).residual(2).dense(3, Activation.SOFTMAX).seed(2).kernels(k);
    }

    @Test
    void aBlockWhoseBranchIsZeroPassesItsInputThrough() {
        Mlp mlp = block(Kernels.simd()).build();
        Mlp plain = Mlp.builder().input(10).dense(16, Activation.RELU).dense(3, Activation.SOFTMAX).seed(2)
                .kernels(Kernels.simd()).build();
        float[] p = mlp.parameters();
        java.util.Arrays.fill(p, mlp.weightOffset(2), mlp.biasOffset(2) + 16, 0f); // f(x) = 0·h + 0
        System.arraycopy(plain.parameters(), 0, p, 0, plain.weightOffset(1));
        System.arraycopy(plain.parameters(), plain.weightOffset(1), p, mlp.weightOffset(3), 16 * 3 + 3);
        float[] x = new float[4 * 10];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) - 3f;
        }
        float[] a = new float[12];
        float[] b = new float[12];
        mlp.predict(x, 4, a);
        plain.predict(x, 4, b);
        assertArrayEquals(b, a);
        assertTrue(mlp.toString().contains("+ layer 0"), mlp.toString());
    }

    @Test
    void trainingIsBitIdenticalOnOneTwoAndThreeThreads() {
        float[] x = new float[200 * 10];
        int[] y = new int[200];
        Rng rng = new Rng(6);
        for (int i = 0; i < 200; i++) {
            for (int j = 0; j < 10; j++) {
                x[i * 10 + j] = (float) rng.nextGaussian();
            }
            y[i] = x[i * 10] > 0 ? (x[i * 10 + 1] > 0 ? 2 : 1) : 0;
        }
        Dataset data = Dataset.ofClasses(x, 200, 10, y, 3);
        float[][] results = new float[3][];
        for (int t = 1; t <= 3; t++) {
            Mlp mlp = block(Kernels.simd().withThreads(t)).build();
            Trainer.builder(mlp, Optimizer.adam(0.01f).kernels(mlp.kernels())).epochs(3).batchSize(32).seed(1).build()
                    .fit(data);
            results[t - 1] = mlp.parameters();
        }
        assertArrayEquals(results[0], results[1]);
        assertArrayEquals(results[0], results[2]);
    }

    @Test
    void badBlocksAreRefused() {
        IllegalStateException few = assertThrows(IllegalStateException.class,
                () -> Mlp.builder().input(4).dense(4, Activation.RELU).residual(2));
        assertTrue(few.getMessage().contains("needs 2 dense layers"), few.getMessage());
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> Mlp.builder().input(4).dense(5, Activation.RELU).residual(1));
        assertTrue(width.getMessage().contains("the input of width 4") && width.getMessage().contains("width 5"),
                width.getMessage());
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> Mlp.builder().input(3).dense(3, Activation.SOFTMAX).residual(1).build());
        assertTrue(out.getMessage().contains("output layer 0"), out.getMessage());
        Mlp mlp = block(Kernels.scalar()).build();
        IllegalArgumentException later = assertThrows(IllegalArgumentException.class, () -> Mlp.of(mlp.layerSizes(),
                mlp.activations(), mlp.dropouts(), mlp.normalizations(), new int[] {-2, 1, -2, -2}, mlp.loss(),
                mlp.parameters(), Kernels.scalar()));
        assertTrue(later.getMessage().contains("residual source of layer 1") && later.getMessage().endsWith(": 1"),
                later.getMessage());
        assertEquals(0, mlp.residualSource(2));
        assertEquals(Mlp.NO_RESIDUAL, mlp.residualSource(0));
    }
}
