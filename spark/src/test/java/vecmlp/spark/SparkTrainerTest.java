package vecmlp.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import vecmlp.io.Split;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.optim.LearningRateSchedule;
import vecmlp.optim.Optimizer;
import vecmlp.train.Dataset;
import vecmlp.train.Trainer;

class SparkTrainerTest {

    static final NetworkSpec DIGITS_NET = NetworkSpec.of(new int[] {64, 32, 10},
            new Activation[] {Activation.RELU, Activation.SOFTMAX}, Loss.CROSS_ENTROPY);

    /** Adam with clipping and a schedule: the driver must apply every option of core's optimizer. */
    static final OptimizerFactory ADAM = () -> Optimizer.adam(3e-3f).clipNorm(2f)
            .schedule(LearningRateSchedule.exponential(0.999));

    static Split digitsSplit() {
        return Split.of(TestData.digits(), 0.0, 0.3, 11L, true);
    }

    private static float[] fit(SparkTrainer.Builder b, org.apache.spark.sql.Dataset<Row> frame) {
        return b.build().fit(frame, "features", "label").model().parameters();
    }

    /**
     * Layer normalization and dropout after the hidden layer: the masks are keyed by the row's index in the data,
     * as in core.
     */
    static final NetworkSpec DIGITS_DROPOUT = NetworkSpec.of(new int[] {64, 32, 10},
            new Activation[] {Activation.RELU, Activation.SOFTMAX}, new float[] {0.3f, 0f},
            new vecmlp.nn.Normalization[] {vecmlp.nn.Normalization.LAYER, vecmlp.nn.Normalization.NONE},
            Loss.CROSS_ENTROPY);

    /** Core's single-machine trainer over the same batch order (executors compute single-threaded too). */
    private static float[] coreTrainer(Dataset train, OptimizerFactory opt, int batch, int epochs, long seed) {
        return coreTrainer(DIGITS_NET, train, opt, batch, epochs, seed);
    }

    private static float[] coreTrainer(NetworkSpec net, Dataset train, OptimizerFactory opt, int batch, int epochs,
                                       long seed) {
        Mlp mlp = net.initial(seed, Kernels.get().withThreads(1));
        Trainer.builder(mlp, opt.create()).batchSize(batch).epochs(epochs).seed(seed).build().fit(train);
        return mlp.parameters();
    }

    @Test
    void onePartitionEqualsCoreTrainerBitForBit() {
        Dataset train = digitsSplit().train();
        org.apache.spark.sql.Dataset<Row> one = TestData.frame(train, 1);
        float[] expected = coreTrainer(train, ADAM, 50, 2, 5L);
        float[] sync = fit(SparkTrainer.builder(DIGITS_NET, ADAM).batchSize(50).epochs(2).seed(5L), one);
        assertArrayEquals(expected, sync);
        // Averaging with one partition: the same steps, the optimizer state carried through each round.
        float[] avg = fit(SparkTrainer.builder(DIGITS_NET, ADAM).batchSize(50).epochs(2).seed(5L).averaging(7), one);
        assertArrayEquals(expected, avg);
        float[] init = DIGITS_NET.initial(5L, Kernels.scalar()).parameters();
        assertFalse(Arrays.equals(init, expected), "training changed nothing");
    }

    @Test
    void onePartitionWithDropoutEqualsCoreTrainerBitForBit() {
        Dataset train = digitsSplit().train();
        org.apache.spark.sql.Dataset<Row> one = TestData.frame(train, 1);
        float[] expected = coreTrainer(DIGITS_DROPOUT, train, ADAM, 50, 2, 5L);
        assertArrayEquals(expected, fit(SparkTrainer.builder(DIGITS_DROPOUT, ADAM).batchSize(50).epochs(2).seed(5L),
                one));
        assertArrayEquals(expected, fit(SparkTrainer.builder(DIGITS_DROPOUT, ADAM).batchSize(50).epochs(2).seed(5L)
                .averaging(7), one));
        assertFalse(Arrays.equals(coreTrainer(train, ADAM, 50, 2, 5L), expected), "dropout changed the run");
        assertEquals(DIGITS_NET.parameterCount() + 2 * 32, DIGITS_DROPOUT.parameterCount());
    }

    /**
     * Batch normalization: one partition equals core's Trainer bit for bit (parameters and running statistics),
     * synchronous and averaging; a plan with a one-row partition batch is refused before any round.
     */
    @Test
    void onePartitionWithBatchNormEqualsCoreTrainerBitForBit() {
        NetworkSpec bnNet = NetworkSpec.of(new int[] {64, 32, 10},
                new Activation[] {Activation.RELU, Activation.SOFTMAX}, new float[] {0.2f, 0f},
                new vecmlp.nn.Normalization[] {vecmlp.nn.Normalization.BATCH, vecmlp.nn.Normalization.NONE},
                Loss.CROSS_ENTROPY);
        Dataset train = digitsSplit().train();
        org.apache.spark.sql.Dataset<Row> one = TestData.frame(train, 1);
        Mlp core = bnNet.initial(5L, Kernels.get().withThreads(1));
        Trainer.builder(core, ADAM.create()).batchSize(50).epochs(2).seed(5L).build().fit(train);
        for (SparkTrainer.Builder b : new SparkTrainer.Builder[] {
            SparkTrainer.builder(bnNet, ADAM).batchSize(50).epochs(2).seed(5L),
            SparkTrainer.builder(bnNet, ADAM).batchSize(50).epochs(2).seed(5L).averaging(7)}) {
            Mlp spark = b.build().fit(one, "features", "label").model();
            assertArrayEquals(core.parameters(), spark.parameters());
            assertArrayEquals(core.runningStatistics(), spark.runningStatistics());
        }
        assertFalse(Arrays.equals(new float[64], Arrays.copyOf(core.runningStatistics(), 64)), "statistics moved");
        org.apache.spark.sql.Dataset<Row> three = TestData.frame(train, 3);
        SparkTrainer.Builder b3 = SparkTrainer.builder(bnNet, ADAM).batchSize(50).epochs(1).seed(9L);
        Mlp first = b3.build().fit(three, "features", "label").model();
        Mlp second = b3.build().fit(three, "features", "label").model();
        assertArrayEquals(first.parameters(), second.parameters());
        assertArrayEquals(first.runningStatistics(), second.runningStatistics());
        int rows = train.rows();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SparkTrainer.builder(bnNet, ADAM).batchSize(rows - 1).epochs(1).build().fit(one, "features",
                        "label"));
        assertTrue(e.getMessage().contains("partition 0") && e.getMessage().contains("has 1 at step 1"),
                e.getMessage());
    }

    /** A residual block and label smoothing: one partition equals core's Trainer bit for bit, sync and averaging. */
    @Test
    void onePartitionWithAResidualBlockAndLabelSmoothingEqualsCoreTrainerBitForBit() {
        Mlp shape = Mlp.builder().input(64).dense(32, Activation.RELU).dense(48, Activation.ELU).dropout(0.1f)
                .dense(32, Activation.SILU).residual(2).dense(10, Activation.SOFTMAX).kernels(Kernels.scalar()).build();
        NetworkSpec net = NetworkSpec.of(shape);
        assertEquals(0, net.initial(1L, Kernels.scalar()).residualSource(2));
        Dataset train = digitsSplit().train();
        org.apache.spark.sql.Dataset<Row> one = TestData.frame(train, 1);
        Mlp core = net.initial(5L, Kernels.get().withThreads(1));
        Trainer.builder(core, ADAM.create()).batchSize(50).epochs(2).seed(5L).labelSmoothing(0.1).build().fit(train);
        for (SparkTrainer.Builder b : new SparkTrainer.Builder[] {
            SparkTrainer.builder(net, ADAM).batchSize(50).epochs(2).seed(5L).labelSmoothing(0.1),
            SparkTrainer.builder(net, ADAM).batchSize(50).epochs(2).seed(5L).labelSmoothing(0.1).averaging(7)}) {
            assertArrayEquals(core.parameters(), b.build().fit(one, "features", "label").model().parameters());
        }
        float[] plain = SparkTrainer.builder(net, ADAM).batchSize(50).epochs(2).seed(5L).build()
                .fit(one, "features", "label").model().parameters();
        assertFalse(Arrays.equals(core.parameters(), plain), "label smoothing changed the run");
    }

    /**
     * Row weights (a weight column): one partition equals core's Trainer on {@code Dataset.withWeights} bit for
     * bit, synchronous and averaging; on three partitions, weights of 2 everywhere give the bits of weights of 1
     * (each partition's share W_p/W is the same), and unequal weights change the run.
     */
    @Test
    void rowWeightsOnePartitionEqualsCoreAndSharesFollowTheWeights() {
        Dataset plain = digitsSplit().train();
        float[] w = new float[plain.rows()];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.5f + i % 4;
        }
        Dataset train = plain.withWeights(w);
        Mlp core = DIGITS_NET.initial(5L, Kernels.get().withThreads(1));
        Trainer.builder(core, ADAM.create()).batchSize(50).epochs(2).seed(5L).build().fit(train);
        org.apache.spark.sql.Dataset<Row> one = TestData.weightedFrame(train, 1);
        for (SparkTrainer.Builder b : new SparkTrainer.Builder[] {
            SparkTrainer.builder(DIGITS_NET, ADAM).batchSize(50).epochs(2).seed(5L),
            SparkTrainer.builder(DIGITS_NET, ADAM).batchSize(50).epochs(2).seed(5L).averaging(7)}) {
            assertArrayEquals(core.parameters(), b.build().fit(one, "features", "label", "weight").model().parameters());
        }
        float[] ones = new float[w.length];
        float[] twos = new float[w.length];
        Arrays.fill(ones, 1f);
        Arrays.fill(twos, 2f);
        SparkTrainer sync = SparkTrainer.builder(DIGITS_NET, ADAM).batchSize(50).epochs(2).seed(5L).build();
        float[] byOnes = sync.fit(TestData.weightedFrame(plain.withWeights(ones), 3), "features", "label", "weight")
                .model().parameters();
        float[] byTwos = sync.fit(TestData.weightedFrame(plain.withWeights(twos), 3), "features", "label", "weight")
                .model().parameters();
        assertArrayEquals(byOnes, byTwos);
        float[] weighted = sync.fit(TestData.weightedFrame(train, 3), "features", "label", "weight").model()
                .parameters();
        assertFalse(Arrays.equals(byOnes, weighted), "the weights changed the run");
    }

    @Test
    void sameSeedDataAndPartitioningGiveIdenticalWeights() {
        org.apache.spark.sql.Dataset<Row> three = TestData.frame(digitsSplit().train(), 3);
        SparkTrainer.Builder sync = SparkTrainer.builder(DIGITS_NET, ADAM).batchSize(64).epochs(2).seed(9L);
        float[] a = fit(sync, three);
        float[] b = fit(sync, three);
        assertArrayEquals(a, b);
        SparkTrainer.Builder avg = SparkTrainer.builder(DIGITS_NET, () -> Optimizer.momentum(0.05f, 0.9f))
                .batchSize(64).epochs(2).seed(9L).averaging(4);
        assertArrayEquals(fit(avg, three), fit(avg, three));
        float[] other = fit(SparkTrainer.builder(DIGITS_NET, ADAM).batchSize(64).epochs(2).seed(10L), three);
        assertFalse(Arrays.equals(a, other), "the seed must matter");
    }

    @Test
    void averagingEveryStepWithSgdIsTheSynchronousStepUpToRounding() {
        // θ − η Σ w_p g_p = Σ w_p (θ − η g_p): one local SGD step then averaging is the synchronous step.
        org.apache.spark.sql.Dataset<Row> two = TestData.frame(digitsSplit().train(), 2);
        OptimizerFactory sgd = () -> Optimizer.sgd(0.1f);
        float[] sync = fit(SparkTrainer.builder(DIGITS_NET, sgd).batchSize(40).epochs(1).seed(3L), two);
        float[] avg = fit(SparkTrainer.builder(DIGITS_NET, sgd).batchSize(40).epochs(1).seed(3L).averaging(1), two);
        float[] init = DIGITS_NET.initial(3L, Kernels.scalar()).parameters();
        double maxMove = 0;
        double maxDiff = 0;
        for (int i = 0; i < sync.length; i++) {
            maxMove = Math.max(maxMove, Math.abs(sync[i] - init[i]));
            maxDiff = Math.max(maxDiff, Math.abs(sync[i] - avg[i]));
        }
        assertTrue(maxMove > 0.05, "training moved the weights: " + maxMove);
        // Rounding only: each of ~32 steps differs by a few ulps of values of order 1.
        assertTrue(maxDiff < 1e-4, "max |sync - averaged| = " + maxDiff);
    }

    @Test
    void reachesSingleMachineTestAccuracyOnDigits() {
        Split split = digitsSplit();
        OptimizerFactory opt = () -> Optimizer.adam(3e-3f);
        Mlp single = DIGITS_NET.initial(1L, Kernels.get());
        Trainer.builder(single, opt.create()).batchSize(64).epochs(20).seed(1L).build().fit(split.train());
        double singleAcc = Trainer.evaluate(single, split.test(), 256)[1];
        TrainingResult r = SparkTrainer.builder(DIGITS_NET, opt).batchSize(64).epochs(20).seed(1L).build()
                .fit(TestData.frame(split.train(), 2), "features", "label");
        double sparkAcc = Trainer.evaluate(r.model(), split.test(), 256)[1];
        assertEquals(20, r.epochLosses().size());
        assertTrue(r.epochLosses().get(19) < r.epochLosses().get(0), "loss fell: " + r.epochLosses());
        assertTrue(singleAcc > 0.94, "single-machine accuracy " + singleAcc);
        // Same accuracy: not more than 0.5 points below single-machine training (a different batch order may
        // land a little higher; 540 test digits put about ±0.8 points of noise on either number).
        assertTrue(sparkAcc >= singleAcc - 0.005, "Spark " + sparkAcc + " vs single machine " + singleAcc);
    }
}
