package vecmlp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.nn.Workspace;

/**
 * The float32 forward pass and loss against the independent float64 pass. Each output is a chain of
 * ≤ 3 layers of ≤ 9-term dot products of O(1) values: ≈ 3·9·ε₃₂·Σ|terms| ≈ 2e-6·(scale ≤ 10), plus SIMD's
 * ≤ 1-ulp exp/tanh; bound 1e-4 absolute.
 */
class ForwardTest {

    @Test
    void predictAndLossMatchFloat64() {
        Kernels[] ks = Kernels.isSimdAvailable()
                ? new Kernels[] {Kernels.scalar(), Kernels.simd().withThreads(1), Kernels.simd().withThreads(2)}
                : new Kernels[] {Kernels.scalar()};
        for (Kernels k : ks) {
            for (Activation h : new Activation[] {Activation.RELU, Activation.TANH, Activation.SIGMOID, Activation.LEAKY_RELU}) {
                Mlp mlp = GradientCheckTest.net(k, 31, h, Activation.SOFTMAX, Loss.CROSS_ENTROPY, 9, 8, 7, 5);
                int rows = 13;
                float[] x = GradientCheckTest.randomInputs(2, rows * 9);
                int[] labels = new int[rows];
                for (int i = 0; i < rows; i++) {
                    labels[i] = (i * 7) % 5;
                }
                Workspace ws = mlp.newWorkspace(rows);
                float[] out = new float[rows * 5];
                mlp.predict(x, 0, rows, out, 0, ws);
                DoubleNetwork net = new DoubleNetwork(mlp);
                double[] theta = new double[mlp.parameterCount()];
                for (int i = 0; i < theta.length; i++) {
                    theta[i] = mlp.parameters()[i];
                }
                for (int i = 0; i < rows; i++) {
                    double[] xr = new double[9];
                    for (int j = 0; j < 9; j++) {
                        xr[j] = x[i * 9 + j];
                    }
                    double[] a = net.forwardRow(theta, xr)[1];
                    for (int j = 0; j < 5; j++) {
                        assertEquals(a[j], out[i * 5 + j], 1e-4, k + " " + h + " row " + i + " output " + j);
                    }
                }
                double expected = net.loss(theta, x, rows, labels, null, null);
                assertEquals(expected, mlp.evaluateLoss(x, 0, rows, labels, 0, ws), 1e-4 * Math.max(1, expected));
                float[] one = new float[5];
                for (int i = 0; i < rows; i++) {
                    mlp.predictOne(java.util.Arrays.copyOfRange(x, i * 9, i * 9 + 9), one, ws);
                    for (int j = 0; j < 5; j++) {
                        assertEquals(out[i * 5 + j], one[j], 1e-6, "batch-1 path, row " + i);
                    }
                }
            }
        }
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Mlp mlp = Mlp.builder().input(2).dense(3, Activation.SOFTMAX).kernels(Kernels.scalar()).build();
        float[] p = mlp.parameters();
        java.util.Arrays.fill(p, 0f);
        p[mlp.weightOffset(0)] = 1000f;      // z_0 = 1000·x_0
        p[mlp.weightOffset(0) + 4] = -1000f; // z_1 = −1000·x_1
        float[] x = {1, 1};
        Workspace ws = mlp.newWorkspace(1);
        // Label 1: ℓ = lse(z) − z_1 = 1000 + 1000 = 2000 (softmax_1 underflows to 0; −log would be ∞).
        assertEquals(2000.0, mlp.evaluateLoss(x, 0, 1, new int[] {1}, 0, ws), 1e-3);
        assertEquals(0.0, mlp.evaluateLoss(x, 0, 1, new int[] {0}, 0, ws), 1e-6);
        Mlp bce = Mlp.builder().input(1).dense(1, Activation.SIGMOID).kernels(Kernels.scalar()).build();
        bce.parameters()[0] = 500f;
        bce.parameters()[1] = 0f;
        // ℓ = max(z,0) − z·y + log(1 + e^−|z|) = 500 for y = 0, z = 500.
        assertEquals(500.0, bce.evaluateLoss(new float[] {1}, 0, 1, new int[] {0}, 0, bce.newWorkspace(1)), 1e-3);
    }
}
