package vecmlp.bench.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import org.junit.jupiter.api.Test;
import vecmlp.bench.Networks;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Mlp;

/** The BLAS peer computes vecmlp's network: its own check passes, and fails when it should. */
class BlasMlpTest {

    private static final BLAS BLAS_JAVA = JavaBLAS.getInstance();

    @Test
    void matchesVecmlpOnBothBenchmarkNetworksAndASmallOne() {
        for (String net : new String[] {"64-128-10", "784-256-128-10", "20-7-5-3"}) {
            Mlp reference = Networks.classifier(net, Kernels.scalar());
            int rows = 33;
            BlasMlp mlp = new BlasMlp(reference, BLAS_JAVA, rows);
            float[] x = Networks.inputs(rows, reference.inputSize(), 1);
            mlp.check(reference, x, rows, Networks.labels(rows, reference.outputSize(), 2));
        }
    }

    @Test
    void checkFailsWhenAWeightDiffers() {
        Mlp reference = Networks.classifier("20-7-5-3", Kernels.scalar());
        BlasMlp mlp = new BlasMlp(reference, BLAS_JAVA, 8);
        float[] x = Networks.inputs(8, 20, 1);
        int[] labels = Networks.labels(8, 3, 2);
        mlp.parameters()[reference.biasOffset(2) + 1] += 1e-3f; // the output layer: every probability moves
        assertThrows(IllegalStateException.class, () -> mlp.check(reference, x, 8, labels));
    }

    @Test
    void oneSampleThroughSgemvEqualsItsRowOfABatch() {
        Mlp reference = Networks.classifier("20-7-5-3", Kernels.scalar());
        BlasMlp mlp = new BlasMlp(reference, BLAS_JAVA, 4);
        float[] x = Networks.inputs(4, 20, 1);
        float[] batch = new float[4 * 3];
        mlp.predict(x, 0, 4, batch);
        float[] one = new float[3];
        mlp.predict(x, 2 * 20, 1, one);
        float[] row = java.util.Arrays.copyOfRange(batch, 6, 9);
        for (int j = 0; j < 3; j++) {
            assertEquals(row[j], one[j], 1e-6f, "class " + j);
        }
    }

    @Test
    void sgdStepSubtractsTheScaledGradient() {
        Mlp reference = Networks.classifier("20-7-5-3", Kernels.scalar());
        BlasMlp mlp = new BlasMlp(reference, BLAS_JAVA, 8);
        mlp.computeGradient(Networks.inputs(8, 20, 1), 0, 8, Networks.labels(8, 3, 2), 0);
        float[] before = mlp.parameters().clone();
        float[] expected = new float[before.length];
        for (int i = 0; i < before.length; i++) {
            expected[i] = before[i] - 0.5f * mlp.gradients()[i];
        }
        mlp.sgdStep(0.5f);
        assertArrayEquals(expected, mlp.parameters(), 1e-7f);
    }

    @Test
    void rejectsABatchLargerThanItsBuffers() {
        BlasMlp mlp = new BlasMlp(Networks.classifier("20-7-5-3", Kernels.scalar()), BLAS_JAVA, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mlp.predict(new float[5 * 20], 0, 5, new float[15]));
        assertEquals("rows must be in [1, 4]: 5", e.getMessage());
    }
}
