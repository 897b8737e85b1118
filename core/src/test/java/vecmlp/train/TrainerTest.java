package vecmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.optim.Optimizer;

class TrainerTest {

    private static Mlp net(long seed) {
        return Mlp.builder().input(8).dense(16, Activation.RELU).dense(3, Activation.SOFTMAX).seed(seed)
                .kernels(Kernels.scalar()).build();
    }

    private static Optimizer adam() {
        return Optimizer.adam(0.01f).kernels(Kernels.scalar());
    }

    @Test
    void learnsBlobsAndReportsEveryBatchAndEpoch() {
        Dataset train = Data.blobs(1, 250, 8, 3, 0.5);
        Dataset valid = Data.blobs(1, 100, 8, 3, 0.5).rows(0, 100);
        List<long[]> batches = new ArrayList<>();
        List<Double> epochLosses = new ArrayList<>();
        Mlp mlp = net(1);
        History h = Trainer.builder(mlp, adam()).epochs(5).batchSize(32).validation(valid).listener(new TrainingListener() {
            @Override
            public void onBatchEnd(BatchEvent e) {
                batches.add(new long[] {e.epoch(), e.batch(), e.batchesPerEpoch(), e.batchSize(), e.samplesSeenInEpoch(),
                    e.samplesPerEpoch(), e.totalSamplesSeen(), e.step(), e.epochs()});
                assertTrue(Float.isFinite(e.batchLoss()) && e.runningAccuracy() >= 0 && e.runningAccuracy() <= 1);
                assertTrue(e.elapsedNanos() >= e.epochElapsedNanos() && e.epochElapsedNanos() > 0);
                assertEquals(0.01f, e.learningRate());
            }

            @Override
            public void onEpochEnd(EpochEvent e) {
                epochLosses.add(e.trainLoss());
                assertTrue(e.validationLoss() > 0 && e.validationAccuracy() >= 0);
            }
        }).build().fit(train);
        assertEquals(5 * 8, batches.size());
        long[] lastOfFirstEpoch = batches.get(7);
        assertArrayEquals(new long[] {0, 7, 8, 250 - 7 * 32, 250, 250, 250, 8, 5}, lastOfFirstEpoch);
        assertArrayEquals(new long[] {4, 7, 8, 26, 250, 250, 1250, 40, 5}, batches.get(39));
        assertEquals(5, h.epochs().size());
        assertEquals(History.StopReason.COMPLETED, h.stopReason());
        assertEquals(epochLosses.get(4), h.last().trainLoss());
        assertTrue(h.last().trainLoss() < h.epochs().get(0).trainLoss());
        assertTrue(h.last().validationAccuracy() > 0.9, h.last()::toString);
        double[] eval = Trainer.evaluate(mlp, valid, 7);
        assertEquals(h.last().validationLoss(), eval[0], 1e-6);
        assertEquals(h.last().validationAccuracy(), eval[1], 1e-12);
    }

    @Test
    void earlyStoppingRestoresTheBestEpochsWeights() {
        // Train on noise with a far-off validation set: validation loss rises soon, so patience triggers.
        Dataset train = Data.blobs(2, 64, 8, 3, 3.0);
        Dataset valid = Data.blobs(99, 64, 8, 3, 3.0);
        Mlp mlp = net(2);
        List<float[]> snapshots = new ArrayList<>();
        History h = Trainer.builder(mlp, Optimizer.adam(0.05f).kernels(Kernels.scalar())).epochs(200).batchSize(16)
                .validation(valid).earlyStopping(3).listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochEvent e) {
                        snapshots.add(mlp.parameters().clone());
                    }
                }).build().fit(train);
        assertEquals(History.StopReason.EARLY_STOPPING, h.stopReason());
        assertTrue(h.restoredBest());
        int best = h.bestEpoch();
        assertEquals(best + 4, h.epochs().size(), "stopped after patience 3 epochs without improvement");
        for (History.Epoch e : h.epochs()) {
            assertTrue(e.validationLoss() >= h.epochs().get(best).validationLoss());
        }
        assertArrayEquals(snapshots.get(best), mlp.parameters());
        assertTrue(!java.util.Arrays.equals(snapshots.get(snapshots.size() - 1), mlp.parameters()));
    }

    @Test
    void listenerCanStopAfterABatchOrAnEpoch() {
        Dataset train = Data.blobs(3, 100, 8, 3, 0.5);
        History h = Trainer.builder(net(3), adam()).epochs(10).batchSize(10).listener(new TrainingListener() {
            @Override
            public void onBatchEnd(BatchEvent e) {
                if (e.epoch() == 1 && e.batch() == 4) {
                    e.requestStop();
                }
            }
        }).build().fit(train);
        assertEquals(History.StopReason.LISTENER, h.stopReason());
        assertEquals(2, h.epochs().size());
        h = Trainer.builder(net(3), adam()).epochs(10).batchSize(10).listener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochEvent e) {
                if (e.epoch() == 2) {
                    e.requestStop();
                }
            }
        }).build().fit(train);
        assertEquals(3, h.epochs().size());
        assertEquals(History.StopReason.LISTENER, h.stopReason());
    }

    @Test
    void nonFiniteLossStopsWithEpochAndBatchAndPoisonsNothing() {
        // A regression target of 1e30 makes the squared error overflow float to ∞ in the first batches.
        float[] x = new float[40 * 2];
        float[] y = new float[40];
        for (int i = 0; i < 40; i++) {
            x[2 * i] = i / 40f;
            x[2 * i + 1] = 1f;
            y[i] = i < 25 ? 0.5f : 3e38f;
        }
        Dataset data = Dataset.ofTargets(x, 40, 2, y, 1);
        Mlp mlp = Mlp.builder().input(2).dense(4, Activation.TANH).dense(1, Activation.IDENTITY).seed(5)
                .kernels(Kernels.scalar()).build();
        float[][] lastGood = {mlp.parameters().clone()};
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                () -> Trainer.builder(mlp, Optimizer.sgd(0.01f).kernels(Kernels.scalar())).epochs(3).batchSize(5)
                        .shuffle(false).listener(new TrainingListener() {
                            @Override
                            public void onBatchEnd(BatchEvent ev) {
                                lastGood[0] = mlp.parameters().clone();
                            }
                        }).build().fit(data));
        assertEquals(0, e.epoch());
        assertEquals(5, e.batch(), e.getMessage()); // rows 25..29, the first with the huge target
        assertTrue(e.getMessage().contains("epoch 0") && e.getMessage().contains("batch 5"), e.getMessage());
        assertArrayEquals(lastGood[0], mlp.parameters());
        for (float p : mlp.parameters()) {
            assertTrue(Float.isFinite(p));
        }
        // A listener may decide to skip such batches instead.
        Mlp other = Mlp.builder().input(2).dense(4, Activation.TANH).dense(1, Activation.IDENTITY).seed(5)
                .kernels(Kernels.scalar()).build();
        int[] skipped = {0};
        History h = Trainer.builder(other, Optimizer.sgd(0.01f).kernels(Kernels.scalar())).epochs(2).batchSize(5)
                .shuffle(false).listener(new TrainingListener() {
                    @Override
                    public boolean skipNonFiniteBatch(BatchEvent ev) {
                        skipped[0]++;
                        return true;
                    }
                }).build().fit(data);
        assertEquals(2 * 3, skipped[0]);
        assertEquals(2, h.epochs().size());
        assertTrue(Double.isFinite(h.last().trainLoss()));
    }

    @Test
    void dataThatDoesNotFitTheModelIsRejectedBeforeAnyChange() {
        Mlp mlp = net(4);
        float[] before = mlp.parameters().clone();
        Trainer t = Trainer.builder(mlp, adam()).epochs(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(Data.blobs(1, 10, 7, 3, 1)));
        assertTrue(e.getMessage().contains("7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(Data.blobs(1, 50, 8, 5, 1)));
        assertTrue(e.getMessage().contains("must be in [0, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(Dataset.ofTargets(new float[16], 2, 8, new float[4], 2)));
        assertTrue(e.getMessage().contains("target columns"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(Dataset.ofClasses(new float[0], 0, 8, new int[0], 3)));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        assertArrayEquals(before, mlp.parameters());
    }

    @Test
    void resumingAtAnEpochBoundaryIsBitIdentical() {
        Dataset train = Data.blobs(5, 90, 8, 3, 0.7);
        Mlp full = net(6);
        Optimizer fullOpt = Optimizer.momentum(0.05f, 0.9f).kernels(Kernels.scalar());
        Trainer.builder(full, fullOpt).epochs(4).batchSize(16).seed(11).build().fit(train);

        Mlp part = net(6);
        Optimizer partOpt = Optimizer.momentum(0.05f, 0.9f).kernels(Kernels.scalar());
        Trainer.builder(part, partOpt).epochs(2).batchSize(16).seed(11).build().fit(train);
        // "Checkpoint": architecture + parameters + optimizer state, restored into new objects.
        Mlp resumed = Mlp.of(part.layerSizes(), part.activations(), part.loss(), part.parameters(), Kernels.scalar());
        Optimizer resumedOpt = Optimizer.momentum(0.05f, 0.9f).kernels(Kernels.scalar());
        resumedOpt.restoreState(partOpt.stepCount(), partOpt.stateBuffers());
        Trainer.builder(resumed, resumedOpt).epochs(4).startEpoch(2).batchSize(16).seed(11).build().fit(train);
        assertArrayEquals(full.parameters(), resumed.parameters());
        assertEquals(fullOpt.stepCount(), resumedOpt.stepCount());
    }

    @Test
    void resumingInsideAnEpochIsBitIdentical() {
        Dataset train = Data.blobs(5, 90, 8, 3, 0.7);
        Mlp full = net(6);
        Optimizer fullOpt = Optimizer.adam(0.01f).kernels(Kernels.scalar());
        Trainer.builder(full, fullOpt).epochs(3).batchSize(16).seed(12).build().fit(train);

        // Checkpoint after batch 2 of epoch 1, taken by a listener that then stops training.
        Mlp part = net(6);
        Optimizer partOpt = Optimizer.adam(0.01f).kernels(Kernels.scalar());
        float[][] saved = new float[3][];
        long[] step = new long[1];
        Trainer.builder(part, partOpt).epochs(3).batchSize(16).seed(12).listener(new TrainingListener() {
            @Override
            public void onBatchEnd(BatchEvent e) {
                if (e.epoch() == 1 && e.batch() == 2) {
                    saved[0] = part.parameters().clone();
                    saved[1] = partOpt.stateBuffers()[0].clone();
                    saved[2] = partOpt.stateBuffers()[1].clone();
                    step[0] = partOpt.stepCount();
                    e.requestStop();
                }
            }
        }).build().fit(train);
        Mlp resumed = Mlp.of(part.layerSizes(), part.activations(), part.loss(), saved[0], Kernels.scalar());
        Optimizer resumedOpt = Optimizer.adam(0.01f).kernels(Kernels.scalar());
        resumedOpt.restoreState(step[0], new float[][] {saved[1], saved[2]});
        long[] firstPosition = {-1};
        Trainer.builder(resumed, resumedOpt).epochs(3).startAt(1, 3).batchSize(16).seed(12).listener(new TrainingListener() {
            @Override
            public void onBatchEnd(BatchEvent e) {
                if (firstPosition[0] < 0) {
                    firstPosition[0] = e.samplesSeenInEpoch();
                    assertEquals(3, e.batch());
                }
            }
        }).build().fit(train);
        assertEquals(4 * 16, firstPosition[0]);
        assertArrayEquals(full.parameters(), resumed.parameters());
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(net(6), adam()).epochs(3).startAt(1, 6)
                .batchSize(16).build().fit(train));
    }

    @Test
    void validationSplitIsSeededAndDisjoint() {
        Dataset train = Data.blobs(7, 100, 8, 3, 0.5);
        int[] rows = new int[2];
        TrainingListener l = new TrainingListener() {
            @Override
            public void onBatchEnd(BatchEvent e) {
                rows[0] = (int) e.samplesPerEpoch();
            }
        };
        History a = Trainer.builder(net(1), adam()).epochs(1).validationSplit(0.25).seed(3).listener(l).build().fit(train);
        assertEquals(75, rows[0]);
        History b = Trainer.builder(net(1), adam()).epochs(1).validationSplit(0.25).seed(3).build().fit(train);
        assertEquals(a.last().validationLoss(), b.last().validationLoss());
        History c = Trainer.builder(net(1), adam()).epochs(1).validationSplit(0.25).seed(4).build().fit(train);
        assertTrue(a.last().validationLoss() != c.last().validationLoss());
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(net(1), adam()).validationSplit(1.0));
    }

    @Test
    void softTargetsWithCrossEntropyReportAccuracy() {
        Dataset labelled = Data.blobs(8, 60, 8, 3, 0.5);
        float[] t = new float[60 * 3];
        for (int i = 0; i < 60; i++) {
            t[i * 3 + labelled.labels()[i]] = 1f;
        }
        Dataset targets = Dataset.ofTargets(labelled.features(), 60, 8, t, 3);
        History h1 = Trainer.builder(net(9), adam()).epochs(3).batchSize(12).seed(1).build().fit(labelled);
        History h2 = Trainer.builder(net(9), adam()).epochs(3).batchSize(12).seed(1).build().fit(targets);
        // One-hot targets are the labels: identical training.
        assertEquals(h1.last().trainLoss(), h2.last().trainLoss(), 1e-6);
        assertEquals(h1.last().trainAccuracy(), h2.last().trainAccuracy());
        assertTrue(h2.last().trainAccuracy() > 0.5);
    }
}
