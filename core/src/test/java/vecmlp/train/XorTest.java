package vecmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.nn.Workspace;
import vecmlp.optim.Optimizer;

/** XOR, the classic non-linearly-separable problem: 2-8-1 tanh/sigmoid reaches loss < 0.01. */
class XorTest {

    static final float[] X = {0, 0, 0, 1, 1, 0, 1, 1};
    static final int[] Y = {0, 1, 1, 0};

    @Test
    void xorReachesLossBelowOnePercent() {
        Mlp mlp = Mlp.builder().input(2).dense(8, Activation.TANH).dense(1, Activation.SIGMOID)
                .loss(Loss.BINARY_CROSS_ENTROPY).seed(1).kernels(Kernels.get()).build();
        Dataset data = Dataset.ofClasses(X, 4, 2, Y, 2);
        History h = Trainer.builder(mlp, Optimizer.adam(0.05f).kernels(mlp.kernels()))
                .epochs(500).batchSize(4).seed(2).build().fit(data);
        assertEquals(500, h.epochs().size());
        assertTrue(h.last().trainLoss() < 0.05, h.last()::toString);
        double[] eval = Trainer.evaluate(mlp, data, 4);
        assertTrue(eval[0] < 0.01, () -> "loss " + eval[0]);
        assertEquals(1.0, eval[1]);
        int[] classes = new int[4];
        Workspace ws = mlp.newWorkspace(4);
        mlp.predictClasses(X, 0, 4, classes, 0, ws);
        assertArrayEquals(Y, classes);
    }

    @Test
    void xorWithMseAndSgdMomentum() {
        Mlp mlp = Mlp.builder().input(2).dense(8, Activation.TANH).dense(1, Activation.SIGMOID)
                .loss(Loss.MSE).seed(3).build();
        Dataset data = Dataset.ofTargets(X, 4, 2, new float[] {0, 1, 1, 0}, 1);
        Trainer.builder(mlp, Optimizer.momentum(0.5f, 0.9f)).epochs(1000).batchSize(4).build().fit(data);
        double[] eval = Trainer.evaluate(mlp, data, 4);
        assertTrue(eval[0] < 0.01, () -> "loss " + eval[0]);
    }
}
