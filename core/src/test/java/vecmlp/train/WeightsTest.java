package vecmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Class weights ({@link Trainer.Builder#classWeights}) and row weights ({@link Dataset#withWeights}) in
 * training and evaluation: weights of 1 change no bit of the trained parameters, integer row weights are
 * the rows repeated, class weights move an imbalanced classifier towards the rare class, and misuse is
 * refused with the argument named.
 */
class WeightsTest {

    private static final Dataset DATA = Data.blobs(4, 150, 8, 4, 1.0);

    private static Mlp net() {
        return Mlp.builder().input(8).dense(16, Activation.RELU).dense(4, Activation.SOFTMAX).seed(3)
                .kernels(Kernels.scalar()).build();
    }

    private static Trainer.Builder trainer(Mlp mlp) {
        return Trainer.builder(mlp, Optimizer.adam(0.01f).kernels(mlp.kernels())).epochs(2).batchSize(32).seed(8);
    }

    @Test
    void weightsOfOneTrainTheSameBits() {
        Mlp plain = net();
        trainer(plain).build().fit(DATA);
        Mlp classes = net();
        trainer(classes).classWeights(1f, 1f, 1f, 1f).build().fit(DATA);
        assertArrayEquals(plain.parameters(), classes.parameters());
        float[] ones = new float[DATA.rows()];
        Arrays.fill(ones, 1f);
        Mlp rows = net();
        trainer(rows).build().fit(DATA.withWeights(ones));
        assertArrayEquals(plain.parameters(), rows.parameters());
        Mlp weighted = net();
        trainer(weighted).classWeights(1f, 2f, 1f, 1f).build().fit(DATA);
        assertFalse(Arrays.equals(plain.parameters(), weighted.parameters()), "class weights changed the run");
    }

    /** Evaluation with integer row weights equals evaluation of the rows repeated that many times. */
    @Test
    void evaluationWeighsRows() {
        Mlp mlp = net();
        trainer(mlp).build().fit(DATA);
        int n = 40;
        float[] w = new float[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            w[i] = i % 4;
            total += i % 4;
        }
        int[] repeated = new int[total];
        for (int i = 0, r = 0; i < n; i++) {
            for (int c = 0; c < i % 4; c++) {
                repeated[r++] = i;
            }
        }
        Dataset first = DATA.rows(0, n);
        double[] weighted = Trainer.evaluate(mlp, first.withWeights(w), 16);
        double[] expected = Trainer.evaluate(mlp, first.subset(repeated), 16);
        assertEquals(expected[0], weighted[0], 1e-6 * expected[0]);
        assertEquals(Trainer.evaluate(mlp, first, 16)[1], weighted[1], "accuracy counts every row once");
        assertTrue(first.withWeights(w).subset(new int[] {3, 1}).hasWeights());
        assertEquals(3f, first.withWeights(w).subset(new int[] {3, 1}).weights()[0]);
    }

    /** An imbalanced two-class problem: weighting the rare class raises its recall. */
    @Test
    void classWeightsFavourTheRareClass() {
        Dataset blobs = Data.blobs(9, 2000, 4, 2, 2.5);
        int[] keep = new int[blobs.rows()];
        int kept = 0;
        for (int i = 0; i < blobs.rows(); i++) {
            if (blobs.labels()[i] == 0 || i % 10 == 0) { // about 1 in 10 of class 1
                keep[kept++] = i;
            }
        }
        Dataset data = blobs.subset(Arrays.copyOf(keep, kept));
        double[] recall = new double[2];
        for (int run = 0; run < 2; run++) {
            Mlp mlp = Mlp.builder().input(4).dense(8, Activation.RELU).dense(2, Activation.SOFTMAX).seed(5)
                    .kernels(Kernels.scalar()).build();
            Trainer.Builder b = Trainer.builder(mlp, Optimizer.adam(0.01f).kernels(mlp.kernels())).epochs(3)
                    .batchSize(64).seed(2);
            if (run == 1) {
                b.classWeights(1f, 9f);
            }
            b.build().fit(data);
            int rare = 0;
            int hit = 0;
            int[] predicted = new int[data.rows()];
            mlp.predictClasses(data.features(), 0, data.rows(), predicted, 0, mlp.newWorkspace(data.rows()));
            for (int i = 0; i < data.rows(); i++) {
                if (data.labels()[i] == 1) {
                    rare++;
                    hit += predicted[i] == 1 ? 1 : 0;
                }
            }
            recall[run] = (double) hit / rare;
        }
        assertTrue(recall[1] > recall[0], "recall of the rare class: unweighted " + recall[0] + ", weighted "
                + recall[1]);
    }

    @Test
    void misuseIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(net()).classWeights(1f, -1f, 1f, 1f));
        assertEquals("classWeights[1] must be finite and >= 0: -1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trainer(net()).classWeights(1f, Float.NaN));
        e = assertThrows(IllegalArgumentException.class, () -> trainer(net()).classWeights(0f, 0f));
        assertTrue(e.getMessage().contains("all be 0"), e.getMessage());
        Mlp mlp = net();
        float[] before = mlp.parameters().clone();
        e = assertThrows(IllegalArgumentException.class, () -> trainer(mlp).classWeights(1f, 2f).build().fit(DATA));
        assertTrue(e.getMessage().contains("2 values") && e.getMessage().contains("(4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> trainer(mlp).classWeights(1f, 2f, 1f, 1f).labelSmoothing(0.1).build().fit(DATA));
        assertTrue(e.getMessage().contains("labelSmoothing"), e.getMessage());
        Mlp reg = Mlp.builder().input(8).dense(4, Activation.IDENTITY).loss(Loss.MSE).kernels(Kernels.scalar()).build();
        Dataset targets = Dataset.ofTargets(DATA.features(), DATA.rows(), 8, new float[DATA.rows() * 4], 4);
        e = assertThrows(IllegalArgumentException.class,
                () -> trainer(reg).classWeights(1f, 2f, 1f, 1f).build().fit(targets));
        assertTrue(e.getMessage().contains("target rows"), e.getMessage());
        assertArrayEquals(before, mlp.parameters(), "nothing trained");
        e = assertThrows(IllegalArgumentException.class, () -> DATA.withWeights(new float[3]));
        assertEquals("weights.length must equal rows 150: 3", e.getMessage());
        float[] w = new float[DATA.rows()];
        w[7] = -2f;
        e = assertThrows(IllegalArgumentException.class, () -> DATA.withWeights(w));
        assertEquals("weight of row 7 must be finite and >= 0: -2.0", e.getMessage());
    }
}
