package vecmlp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;

/**
 * Dropout in an {@link Mlp}: inference passes never drop; a training pass's masks are a function of the seed,
 * the step, the layer and each row's id alone (not of the thread count, the batch order or the kernels); the
 * step advances by itself; bad arguments are refused before anything changes.
 */
class DropoutTest {

    private static final int ROWS = 24;

    private static Mlp net(Kernels k, float p) {
        Mlp plain = Mlp.builder().input(20).dense(40, Activation.RELU).dense(36, Activation.TANH)
                .dense(5, Activation.SOFTMAX).seed(3).kernels(k).build();
        return Mlp.of(plain.layerSizes(), plain.activations(), new float[] {p, p, 0f}, plain.loss(),
                plain.parameters(), k);
    }

    private static float[] inputs(int rows) {
        Rng rng = new Rng(5);
        float[] x = new float[rows * 20];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    private static int[] labels(int rows) {
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % 5;
        }
        return y;
    }

    private static float[] gradient(Mlp mlp, float[] x, int[] y, long seed, long step, int[] ids) {
        Workspace ws = mlp.newWorkspace(y.length);
        ws.setTrainingPass(seed, step, ids, 0);
        float[] g = mlp.newGradients();
        mlp.computeGradient(x, 0, y.length, y, 0, g, ws);
        return g;
    }

    @Test
    void theBuilderAndAccessorsDescribeIt() {
        Mlp mlp = Mlp.builder().input(3).dense(4, Activation.RELU).dropout(0.25f).dense(2, Activation.SOFTMAX)
                .kernels(Kernels.scalar()).build();
        assertArrayEquals(new float[] {0.25f, 0f}, mlp.dropouts());
        assertEquals(0.25f, mlp.dropout(0));
        assertEquals(0.25f, mlp.layer(0).dropout());
        assertTrue(mlp.toString().contains("dropout 0.25"), mlp.toString());
        assertArrayEquals(mlp.dropouts(), mlp.copy().dropouts());
    }

    @Test
    void inferencePassesNeverDrop() {
        for (Kernels k : new Kernels[] {Kernels.scalar(), Kernels.simd()}) {
            Mlp plain = net(k, 0f);
            Mlp dropped = net(k, 0.5f);
            float[] x = inputs(ROWS);
            float[] a = new float[ROWS * 5];
            float[] b = new float[ROWS * 5];
            Workspace ws = plain.newWorkspace(ROWS);
            plain.predict(x, ROWS, a, ws);
            dropped.predict(x, ROWS, b, ws);
            assertArrayEquals(a, b);
            assertEquals(plain.evaluateLoss(x, 0, ROWS, labels(ROWS), 0, ws),
                    dropped.evaluateLoss(x, 0, ROWS, labels(ROWS), 0, ws));
            assertFalse(Arrays.equals(gradient(plain, x, labels(ROWS), 0, 0, null),
                    gradient(dropped, x, labels(ROWS), 0, 0, null)), "a training pass drops");
        }
    }

    @Test
    void masksDependOnSeedStepAndRowIdsOnly() {
        float[] x = inputs(ROWS);
        int[] y = labels(ROWS);
        Mlp scalar = net(Kernels.scalar(), 0.3f);
        float[] g = gradient(scalar, x, y, 7, 11, null);
        assertArrayEquals(g, gradient(scalar, x, y, 7, 11, null), "the same pass twice");
        for (Kernels k : new Kernels[] {Kernels.simd().withThreads(1), Kernels.simd().withThreads(2),
            Kernels.simd().withThreads(3)}) {
            // the scalar and SIMD kernels agree to rounding; every SIMD thread count gives the same bits
            assertArrayEquals(gradient(net(Kernels.simd().withThreads(1), 0.3f), x, y, 7, 11, null),
                    gradient(net(k, 0.3f), x, y, 7, 11, null), k.description());
        }
        assertFalse(Arrays.equals(g, gradient(scalar, x, y, 8, 11, null)), "another seed");
        assertFalse(Arrays.equals(g, gradient(scalar, x, y, 7, 12, null)), "another step");
        int[] ids = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            ids[i] = i;
        }
        assertArrayEquals(g, gradient(scalar, x, y, 7, 11, ids), "ids equal to positions");
        ids[3] = 1000;
        assertFalse(Arrays.equals(g, gradient(scalar, x, y, 7, 11, ids)), "another id for one row");
    }

    /** A row's mask follows its id: the loss of rows {a, b} with ids {5, 9} is the mean of each row's alone. */
    @Test
    void aRowsMaskFollowsItsIdNotItsPosition() {
        Mlp mlp = net(Kernels.scalar(), 0.5f);
        float[] x = inputs(2);
        float[] a = Arrays.copyOfRange(x, 0, 20);
        float[] b = Arrays.copyOfRange(x, 20, 40);
        Workspace ws = mlp.newWorkspace(2);
        float[] g = mlp.newGradients();
        ws.setTrainingPass(1, 4, new int[] {5, 9}, 0);
        float both = mlp.computeGradient(x, 0, 2, new int[] {1, 3}, 0, g, ws);
        ws.setTrainingPass(1, 4, new int[] {5}, 0);
        float first = mlp.computeGradient(a, 0, 1, new int[] {1}, 0, g, ws);
        ws.setTrainingPass(1, 4, new int[] {0, 9}, 1);
        float second = mlp.computeGradient(b, 0, 1, new int[] {3}, 0, g, ws);
        assertEquals((first + second) / 2, both, 1e-6 * (first + second));
        ws.setTrainingPass(1, 4, new int[] {9}, 0);
        float swapped = mlp.computeGradient(a, 0, 1, new int[] {1}, 0, g, ws);
        assertTrue(Math.abs(swapped - first) > 1e-4, "row a with b's id draws b's mask: " + swapped + " " + first);
    }

    @Test
    void theStepAdvancesAfterEachTrainingPass() {
        Mlp mlp = net(Kernels.scalar(), 0.3f);
        float[] x = inputs(ROWS);
        int[] y = labels(ROWS);
        Workspace ws = mlp.newWorkspace(ROWS);
        float[] g = mlp.newGradients();
        assertEquals(0, ws.trainingStep());
        mlp.computeGradient(x, 0, ROWS, y, 0, g, ws);
        assertArrayEquals(gradient(mlp, x, y, 0, 0, null), g, "a new workspace: seed 0, step 0, positions");
        mlp.computeGradient(x, 0, ROWS, y, 0, g, ws);
        assertEquals(2, ws.trainingStep());
        assertArrayEquals(gradient(mlp, x, y, 0, 1, null), g, "then step 1");
        mlp.evaluateLoss(x, 0, ROWS, y, 0, ws);
        assertEquals(2, ws.trainingStep(), "an inference pass does not advance it");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingChanges() {
        Mlp.Builder empty = Mlp.builder().input(3);
        IllegalStateException e0 = assertThrows(IllegalStateException.class, () -> empty.dropout(0.5f));
        assertTrue(e0.getMessage().contains("dense layer"), e0.getMessage());
        for (float p : new float[] {-0.1f, 1f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Mlp.builder().input(3).dense(4, Activation.RELU).dropout(p));
            assertTrue(e.getMessage().contains("layer 0") && e.getMessage().contains(Float.toString(p)), e.getMessage());
        }
        IllegalArgumentException last = assertThrows(IllegalArgumentException.class,
                () -> Mlp.builder().input(3).dense(4, Activation.RELU).dense(2, Activation.SOFTMAX).dropout(0.5f).build());
        assertTrue(last.getMessage().contains("output layer 1") && last.getMessage().contains("0.5"), last.getMessage());
        Mlp plain = net(Kernels.scalar(), 0f);
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class, () -> Mlp.of(plain.layerSizes(),
                plain.activations(), new float[2], plain.loss(), plain.parameters(), Kernels.scalar()));
        assertTrue(len.getMessage().contains("dropout.length") && len.getMessage().contains("2"), len.getMessage());

        Mlp mlp = net(Kernels.scalar(), 0.3f);
        Workspace ws = mlp.newWorkspace(ROWS);
        float[] g = mlp.newGradients();
        Arrays.fill(g, 7f);
        ws.setTrainingPass(0, 3, new int[ROWS - 1], 0);
        IllegalArgumentException ids = assertThrows(IllegalArgumentException.class,
                () -> mlp.computeGradient(inputs(ROWS), 0, ROWS, labels(ROWS), 0, g, ws));
        assertTrue(ids.getMessage().contains("row ids") && ids.getMessage().contains(Integer.toString(ROWS - 1)),
                ids.getMessage());
        assertEquals(3, ws.trainingStep(), "nothing changed");
        for (float v : g) {
            assertEquals(7f, v);
        }
        assertThrows(IllegalArgumentException.class, () -> ws.setTrainingPass(0, -1, null, 0));
        assertThrows(IllegalArgumentException.class, () -> ws.setTrainingPass(0, 0, null, -1));
    }
}
