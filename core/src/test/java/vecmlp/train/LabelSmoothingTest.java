package vecmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.optim.Optimizer;

/**
 * {@link Trainer.Builder#labelSmoothing}: training on labels with smoothing {@code ε} is training on the target
 * rows {@code (1 − ε)·onehot + ε/K}, bit for bit; {@code ε = 0} is plain training; misuse is refused.
 */
class LabelSmoothingTest {

    private static final Dataset DATA = Data.blobs(4, 150, 8, 4, 1.0);

    private static Mlp net() {
        return Mlp.builder().input(8).dense(16, Activation.RELU).dense(4, Activation.SOFTMAX).seed(3)
                .kernels(Kernels.scalar()).build();
    }

    private static float[] train(Dataset data, double epsilon) {
        Mlp mlp = net();
        Trainer.builder(mlp, Optimizer.adam(0.01f).kernels(mlp.kernels())).epochs(2).batchSize(32).seed(8)
                .labelSmoothing(epsilon).build().fit(data);
        return mlp.parameters();
    }

    @Test
    void smoothingIsTrainingOnSmoothedTargetRows() {
        float eps = 0.1f;
        int k = 4;
        float[] t = new float[DATA.rows() * k];
        for (int i = 0; i < DATA.rows(); i++) {
            for (int j = 0; j < k; j++) {
                t[i * k + j] = eps / k + (j == DATA.labels()[i] ? 1f - eps : 0f);
            }
        }
        Dataset targets = Dataset.ofTargets(DATA.features(), DATA.rows(), DATA.cols(), t, k);
        float[] smoothed = train(DATA, eps);
        assertArrayEquals(train(targets, 0), smoothed);
        assertFalse(Arrays.equals(train(DATA, 0), smoothed), "smoothing changed the run");
    }

    @Test
    void misuseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(net(), Optimizer.sgd(0.1f)).labelSmoothing(1));
        assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(net(), Optimizer.sgd(0.1f)).labelSmoothing(-0.1));
        Mlp mse = Mlp.builder().input(8).dense(4, Activation.SIGMOID).loss(Loss.MSE).kernels(Kernels.scalar()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(mse, Optimizer.sgd(0.1f)).labelSmoothing(0.1).build().fit(DATA));
        assertTrue(e.getMessage().contains("labelSmoothing") && e.getMessage().contains("mse"), e.getMessage());
    }
}
