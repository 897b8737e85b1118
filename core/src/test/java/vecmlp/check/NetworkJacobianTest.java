package vecmlp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.nn.Workspace;

/**
 * The network's input Jacobian by one batched backward pass ({@code G_L = D_L}) against float64 central
 * differences. Entries are O(1) sums of ≤ 7·6·5 products in float32, so their absolute error is
 * ≈ 200·ε₃₂ ≈ 1.2e-5 of the entries' scale; the bound is 1e-4 absolute (scale ~1).
 */
class NetworkJacobianTest {

    private static void check(Kernels k, Activation hidden, Activation out, Loss loss, int nOut) {
        Mlp mlp = GradientCheckTest.net(k, 21, hidden, out, loss, 7, 6, 5, nOut);
        assertMatchesCentralDifferences(mlp, hidden + "/" + out);
    }

    /** The batched backward pass's Jacobian at one 7-wide input against float64 central differences. */
    private static void assertMatchesCentralDifferences(Mlp mlp, String what) {
        int nOut = mlp.outputSize();
        float[] x = GradientCheckTest.randomInputs(8, 7);
        float[] jac = NetworkJacobian.of(mlp, x);
        double[][] num = NetworkJacobian.numerical(mlp, x, 1e-6);
        double scale = 0;
        for (double[] row : num) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        assertTrue(scale > 1e-3, "a Jacobian that is all zeros tests nothing: " + scale);
        for (int i = 0; i < nOut; i++) {
            for (int j = 0; j < 7; j++) {
                assertEquals(num[i][j], jac[i * 7 + j], 1e-4 * Math.max(1, scale), what + " J[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void everyOutputActivation() {
        Kernels[] ks = Kernels.isSimdAvailable()
                ? new Kernels[] {Kernels.scalar(), Kernels.simd().withThreads(1)} : new Kernels[] {Kernels.scalar()};
        for (Kernels k : ks) {
            for (Activation h : new Activation[] {Activation.TANH, Activation.SIGMOID, Activation.LEAKY_RELU, Activation.RELU}) {
                check(k, h, Activation.SOFTMAX, Loss.CROSS_ENTROPY, 4);
                check(k, h, Activation.IDENTITY, Loss.MSE, 3);
                check(k, h, Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY, 2);
                check(k, h, Activation.TANH, Loss.MSE, 1);
            }
            // σ' from Z: a SiLU hidden layer, a GELU output (its Z kept for the Jacobian's backward pass)
            check(k, Activation.SILU, Activation.GELU_TANH, Loss.MSE, 3);
            check(k, Activation.SOFTPLUS, Activation.SOFTPLUS, Loss.MSE, 2);
            check(k, Activation.GELU, Activation.GELU, Loss.MSE, 2);
            check(k, Activation.GELU_TANH, Activation.SILU, Loss.HUBER, 2);
        }
    }

    /** Batch normalization in inference (running statistics moved away from 0 and 1, γ and β from 1 and 0). */
    @Test
    void batchNormalizedHiddenLayers() {
        for (Kernels k : Kernels.isSimdAvailable()
                ? new Kernels[] {Kernels.scalar(), Kernels.simd().withThreads(1)} : new Kernels[] {Kernels.scalar()}) {
            Mlp mlp = Mlp.builder().input(7).dense(6, Activation.TANH).batchNorm().dense(5, Activation.RELU).batchNorm()
                    .dropout(0.5f).dense(4, Activation.SOFTMAX).seed(3).kernels(k).build();
            vecmlp.nn.Rng rng = new vecmlp.nn.Rng(2);
            float[] p = mlp.parameters();
            float[] run = mlp.runningStatistics();
            for (int l = 0; l < 2; l++) {
                for (int j = 0; j < mlp.layer(l).outputSize(); j++) {
                    p[mlp.gammaOffset(l) + j] = (float) (1 + 0.5 * rng.nextGaussian());
                    p[mlp.betaOffset(l) + j] = (float) (0.3 * rng.nextGaussian());
                    run[mlp.runningMeanOffset(l) + j] = (float) (0.3 * rng.nextGaussian());
                    run[mlp.runningVarianceOffset(l) + j] = (float) (0.5 + rng.nextDouble());
                }
            }
            assertMatchesCentralDifferences(mlp, k + " batch norm");
        }
    }

    /** Residual connections from the input and from a hidden layer, with layer normalization inside a block. */
    @Test
    void residualBlocks() {
        for (Kernels k : Kernels.isSimdAvailable()
                ? new Kernels[] {Kernels.scalar(), Kernels.simd().withThreads(1)} : new Kernels[] {Kernels.scalar()}) {
            Mlp mlp = Mlp.builder().input(7).dense(9, Activation.TANH).layerNorm().dense(7, Activation.IDENTITY)
                    .residual(2).dense(7, Activation.SIGMOID).residual(1).dense(4, Activation.SOFTMAX).seed(4)
                    .kernels(k).build();
            assertMatchesCentralDifferences(mlp, k + " residual");
        }
    }

    @Test
    void batchOfInputsEqualsOneAtATime() {
        Mlp mlp = GradientCheckTest.net(Kernels.scalar(), 5, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY, 4, 6, 3);
        float[] x = GradientCheckTest.randomInputs(9, 3 * 4);
        float[] batch = new float[3 * 3 * 4];
        Workspace ws = mlp.newWorkspace(9);
        mlp.inputJacobian(x, 0, 3, batch, 0, ws);
        for (int s = 0; s < 3; s++) {
            float[] one = NetworkJacobian.of(mlp, java.util.Arrays.copyOfRange(x, s * 4, s * 4 + 4));
            for (int i = 0; i < one.length; i++) {
                assertEquals(one[i], batch[s * 12 + i], 0f);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mlp.inputJacobian(x, 0, 3, batch, 0, mlp.newWorkspace(8)));
        assertTrue(e.getMessage().contains("9"), e.getMessage());
    }
}
