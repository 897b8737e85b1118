package vecmlp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;

/**
 * Row weights ({@link Workspace#setRowWeights}): the weighted mean loss and its gradient, against the same
 * rows repeated (integer weights), against unweighted passes (weights 1), and their argument checks. The
 * gradient checks against float64 differences are in {@code GradientCheckTest.weightedRows}.
 */
class RowWeightsTest {

    private static final int IN = 5;
    private static final int OUT = 4;

    private static Mlp net(Kernels k) {
        return Mlp.builder().input(IN).dense(7, Activation.RELU).dense(OUT, Activation.SOFTMAX)
                .loss(Loss.CROSS_ENTROPY).seed(3).kernels(k).build();
    }

    private static float[] inputs(int rows, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[rows * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    private static Kernels[] kernels() {
        return Kernels.isSimdAvailable() ? new Kernels[] {Kernels.scalar(), Kernels.simd()}
                : new Kernels[] {Kernels.scalar()};
    }

    @Test
    void weightsOfOneGiveTheUnweightedGradientBitForBit() {
        for (Kernels k : kernels()) {
            Mlp mlp = net(k);
            float[] x = inputs(6, 1);
            int[] labels = {0, 1, 2, 3, 2, 1};
            Workspace ws = mlp.newWorkspace(6);
            float[] plain = mlp.newGradients();
            float lossPlain = mlp.computeGradient(x, 0, 6, labels, 0, plain, ws);
            float[] ones = new float[6];
            Arrays.fill(ones, 1f);
            ws.setRowWeights(ones, 0);
            float[] weighted = mlp.newGradients();
            float lossWeighted = mlp.computeGradient(x, 0, 6, labels, 0, weighted, ws);
            assertArrayEquals(plain, weighted, k.description());
            // The loss is summed row by row when weighted: a few ulps at most apart.
            assertEquals(lossPlain, lossWeighted, 4 * Math.ulp(lossPlain), k.description());
            assertEquals(6.0, ws.lastWeight());
        }
    }

    /** Integer weights are the rows repeated: {1, 3, 0, 2} on rows a, b, c, d is the batch a, b, b, b, d, d. */
    @Test
    void integerWeightsEqualRepeatedRows() {
        for (Kernels k : kernels()) {
            Mlp mlp = net(k);
            float[] x = inputs(4, 2);
            int[] labels = {3, 0, 1, 2};
            int[] repeat = {0, 1, 1, 1, 3, 3};
            float[] xr = new float[repeat.length * IN];
            int[] lr = new int[repeat.length];
            for (int r = 0; r < repeat.length; r++) {
                System.arraycopy(x, repeat[r] * IN, xr, r * IN, IN);
                lr[r] = labels[repeat[r]];
            }
            Workspace ws = mlp.newWorkspace(6);
            float[] expected = mlp.newGradients();
            float lossExpected = mlp.computeGradient(xr, 0, repeat.length, lr, 0, expected, ws);
            ws.setRowWeights(new float[] {9f, 1f, 3f, 0f, 2f}, 1); // from offset 1
            float[] actual = mlp.newGradients();
            float loss = mlp.computeGradient(x, 0, 4, labels, 0, actual, ws);
            assertEquals(6.0, ws.lastWeight());
            // Both are sums of the same six rows' terms in float, in different groupings: each gradient entry
            // within 8·ε of the sum of the magnitudes of its terms, bounded here by 8·ε·6·max|g|.
            double max = 0;
            for (float g : expected) {
                max = Math.max(max, Math.abs(g));
            }
            double bound = 8 * Math.ulp(1f) * 6 * max;
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], bound, k.description() + " gradient " + i);
            }
            assertEquals(lossExpected, loss, 8 * Math.ulp(lossExpected), k.description());
        }
    }

    @Test
    void evaluateLossIsTheWeightedMeanOfTheRowLosses() {
        Mlp mlp = net(Kernels.scalar());
        float[] x = inputs(5, 3);
        int[] labels = {1, 1, 0, 3, 2};
        float[] w = {0.5f, 2f, 0f, 1.25f, 3f};
        Workspace ws = mlp.newWorkspace(5);
        double sum = 0;
        double wSum = 0;
        for (int i = 0; i < 5; i++) {
            sum += w[i] * (double) mlp.evaluateLoss(x, i * IN, 1, labels, i, ws);
            wSum += w[i];
        }
        ws.setRowWeights(w, 0);
        float loss = mlp.evaluateLoss(x, 0, 5, labels, 0, ws);
        assertEquals(sum / wSum, loss, 1e-6 * Math.abs(sum / wSum));
        assertEquals(wSum, ws.lastWeight(), 1e-12);
        // The weights applied to that evaluation only: the next one is unweighted again.
        double plain = 0;
        for (int i = 0; i < 5; i++) {
            plain += mlp.evaluateLoss(x, i * IN, 1, labels, i, ws);
        }
        assertEquals(plain / 5, mlp.evaluateLoss(x, 0, 5, labels, 0, ws), 1e-6 * plain / 5);
        assertEquals(5.0, ws.lastWeight());
    }

    @Test
    void allZeroWeightsGiveLossZeroAndAZeroGradient() {
        Mlp mlp = net(Kernels.scalar());
        Workspace ws = mlp.newWorkspace(3);
        float[] grad = mlp.newGradients();
        Arrays.fill(grad, 7f);
        ws.setRowWeights(new float[3], 0);
        assertEquals(0f, mlp.computeGradient(inputs(3, 4), 0, 3, new int[] {0, 1, 2}, 0, grad, ws));
        for (float g : grad) {
            assertEquals(0f, Math.abs(g));
        }
    }

    @Test
    void badWeightsAreRefusedBeforeAnythingIsWritten() {
        Mlp mlp = net(Kernels.scalar());
        Workspace ws = mlp.newWorkspace(3);
        float[] x = inputs(3, 5);
        int[] labels = {0, 1, 2};
        float[][] bad = {{1f, -0.5f, 1f}, {1f, 1f, Float.NaN}, {Float.POSITIVE_INFINITY, 1f, 1f}, {1f, 1f}};
        String[] message = {"row weights[1] must be finite and >= 0: -0.5", "row weights[2] must be finite and >= 0: NaN",
            "row weights[0] must be finite and >= 0: Infinity", "row weights: 3 values from offset 0 exceed length 2"};
        for (int c = 0; c < bad.length; c++) {
            float[] grad = mlp.newGradients();
            Arrays.fill(grad, 7f);
            ws.setRowWeights(bad[c], 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> mlp.computeGradient(x, 0, 3, labels, 0, grad, ws));
            assertEquals(message[c], e.getMessage());
            for (float g : grad) {
                assertEquals(7f, g);
            }
            ws.setRowWeights(bad[c], 0);
            assertThrows(IllegalArgumentException.class, () -> mlp.evaluateLoss(x, 0, 3, labels, 0, ws));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ws.setRowWeights(null, -1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }
}
