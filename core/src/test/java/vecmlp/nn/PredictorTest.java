package vecmlp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;

/**
 * {@link Mlp#predictor()}: the outputs and classes of {@link Mlp#predict}, bit for bit, for one row, a few and
 * a batch (the SIMD kernels then read the weights' panels laid out once), with the network's parameters at the
 * time of the snapshot, and the same checks of its arguments.
 */
class PredictorTest {

    private static Mlp net(Kernels kernels) {
        return Mlp.builder().input(70).dense(100, Activation.RELU).dense(37, Activation.leakyRelu(0.05f))
                .dense(10, Activation.SOFTMAX).seed(4).kernels(kernels).build();
    }

    private static float[] inputs(int rows) {
        Random rnd = new Random(rows);
        float[] x = new float[rows * 70];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }

    @Test
    void predictsTheBitsOfTheNetworkWhenTaken() {
        for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.simd().withThreads(1),
            Kernels.simd().withThreads(2), Kernels.get()}) {
            Mlp mlp = net(kernels);
            Predictor predictor = mlp.predictor();
            assertEquals(70, predictor.inputSize());
            assertEquals(10, predictor.outputSize());
            for (int rows : new int[] {1, 4, 5, 50, 130}) {
                float[] x = inputs(rows);
                float[] expected = new float[rows * 10 + 2];
                Arrays.fill(expected, Float.NaN);
                float[] actual = expected.clone();
                Workspace ws = mlp.newWorkspace(rows);
                mlp.predict(x, 0, rows, expected, 1, ws);
                predictor.predict(x, 0, rows, actual, 1, predictor.newWorkspace(rows));
                assertArrayEquals(expected, actual, kernels.description() + ", " + rows + " rows");
                int[] classes = new int[rows];
                int[] predicted = new int[rows];
                mlp.predictClasses(x, 0, rows, classes, 0, ws);
                predictor.predictClasses(x, 0, rows, predicted, 0, ws);
                assertArrayEquals(classes, predicted, kernels.description() + ", classes of " + rows + " rows");
            }
        }
    }

    @Test
    void keepsTheParametersOfTheSnapshot() {
        Mlp mlp = net(Kernels.get());
        Predictor predictor = mlp.predictor();
        float[] x = inputs(64);
        float[] before = new float[64 * 10];
        predictor.predict(x, 0, 64, before, 0, predictor.newWorkspace(64));
        float[] expected = new float[64 * 10];
        mlp.predict(x, 0, 64, expected, 0, mlp.newWorkspace(64));
        Arrays.fill(mlp.parameters(), 0.5f); // training or a user changes the network afterwards
        float[] after = new float[64 * 10];
        predictor.predict(x, 0, 64, after, 0, predictor.newWorkspace(64));
        assertArrayEquals(expected, before);
        assertArrayEquals(before, after);
    }

    @Test
    void checksItsArgumentsAsTheNetworkDoes() {
        Predictor predictor = net(Kernels.get()).predictor();
        Workspace ws = predictor.newWorkspace(2);
        float[] out = new float[20];
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new float[210], 0, 3, out, 0, ws));
        assertEquals(true, rows.getMessage().contains("rows"), rows.getMessage());
        IllegalArgumentException shortX = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new float[139], 0, 2, out, 0, ws));
        assertEquals(true, shortX.getMessage().contains("x"), shortX.getMessage());
        float[] bad = inputs(2);
        bad[7] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> predictor.predict(bad, 0, 2, out, 0, ws));
    }
}
