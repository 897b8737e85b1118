package vecmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vecmlp.io.ModelFileTestSupport.bits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Mlp;
import vecmlp.nn.Rng;
import vecmlp.nn.Workspace;
import vecmlp.optim.Optimizer;
import vecmlp.train.Dataset;
import vecmlp.train.EpochEvent;
import vecmlp.train.Trainer;
import vecmlp.train.TrainingListener;

/** Training resumed from a checkpoint file ends with the same parameter bits as training that never stopped. */
class CheckpointTest {

    @TempDir
    Path dir;

    private static final long SEED = 99;
    private static final int EPOCHS = 4;

    @Test
    void resumingATrainerRunFromAFileIsBitIdentical() throws Exception {
        Dataset data = ModelFileTestSupport.blobs(230, 3);           // 230 rows: the last batch of 16 is partial
        List<Supplier<Optimizer>> optimizers = List.of(
                () -> Optimizer.adam(0.01f),
                () -> Optimizer.nesterov(0.05f, 0.9f).weightDecay(1e-4f),
                () -> Optimizer.adamW(0.02f, 0.01f).clipNorm(0.5f),
                () -> Optimizer.sgd(0.1f));
        for (Supplier<Optimizer> make : optimizers) {
            Path file = dir.resolve("run.ckpt.safetensors");
            Mlp uninterrupted = ModelFileTestSupport.classifier(11);
            Optimizer opt = make.get();
            TrainingListener saveAfterEpoch1 = new TrainingListener() {
                @Override
                public void onEpochEnd(EpochEvent e) {
                    if (e.epoch() == 1) {
                        try {
                            Checkpoint.of(uninterrupted, opt, e.epoch() + 1, SEED, 0L).save(file);
                        } catch (IOException ex) {
                            throw new UncheckedIOException(ex);
                        }
                    }
                }
            };
            Trainer.builder(uninterrupted, opt).epochs(EPOCHS).batchSize(16).seed(SEED).listener(saveAfterEpoch1)
                    .build().fit(data);

            Checkpoint c = Checkpoint.load(file);
            assertEquals(2, c.epoch());
            assertEquals(2L * 15, c.step(), "15 batches per epoch");
            assertEquals(opt.kind(), c.optimizerKind());
            Mlp resumed = c.model();
            assertFalse(java.util.Arrays.equals(bits(resumed.parameters()), bits(uninterrupted.parameters())),
                    "the checkpoint is from the middle of the run");
            Optimizer restored = make.get();
            c.restoreOptimizer(restored);
            Trainer.builder(resumed, restored).epochs(EPOCHS).batchSize(16).seed(c.seed()).startEpoch(c.epoch())
                    .build().fit(data);
            assertArrayEquals(bits(uninterrupted.parameters()), bits(resumed.parameters()), opt.toString());
            assertEquals(opt.stepCount(), restored.stepCount());

            Mlp again = c.model();                                     // and with the optimizer the file rebuilds
            Trainer.builder(again, c.optimizer()).epochs(EPOCHS).batchSize(16).seed(c.seed()).startEpoch(c.epoch())
                    .build().fit(data);
            assertArrayEquals(bits(uninterrupted.parameters()), bits(again.parameters()), opt + " via optimizer()");
        }
    }

    /**
     * A checkpoint taken inside an epoch (after batch 6 of epoch 1) resumes with startAt(epoch, batch), with
     * dropout on both hidden layers: the file carries it, and the resumed run draws the same masks.
     */
    @Test
    void resumingInsideAnEpochIsBitIdentical() throws Exception {
        Mlp plain = ModelFileTestSupport.classifier(12);
        resumeInsideAnEpoch(Mlp.of(plain.layerSizes(), plain.activations(), new float[] {0.25f, 0.1f, 0f},
                plain.loss(), plain.parameters(), plain.kernels()));
    }

    /** The same with batch normalization too: the checkpoint carries γ, β and the running statistics. */
    @Test
    void resumingInsideAnEpochWithBatchNormIsBitIdentical() throws Exception {
        resumeInsideAnEpoch(Mlp.builder().input(6).dense(16, vecmlp.kernel.Activation.RELU).batchNorm().dropout(0.25f)
                .dense(8, vecmlp.kernel.Activation.TANH).batchNorm()
                .dense(3, vecmlp.kernel.Activation.SOFTMAX).seed(12).build());
    }

    private void resumeInsideAnEpoch(Mlp uninterrupted) throws Exception {
        Dataset data = ModelFileTestSupport.blobs(230, 4);
        Path file = dir.resolve("mid.safetensors");
        Optimizer opt = Optimizer.momentum(0.05f, 0.9f);
        TrainingListener saveMidEpoch = new TrainingListener() {
            @Override
            public void onBatchEnd(vecmlp.train.BatchEvent e) {
                if (e.epoch() == 1 && e.batch() == 6) {
                    try {
                        Checkpoint.of(uninterrupted, opt, e.epoch(), e.batch() + 1, SEED, 0L).save(file);
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                }
            }
        };
        Trainer.builder(uninterrupted, opt).epochs(3).batchSize(16).seed(SEED).listener(saveMidEpoch).build().fit(data);

        Checkpoint c = Checkpoint.load(file);
        assertEquals(1, c.epoch());
        assertEquals(7, c.batch());
        assertEquals(15 + 7, c.step());
        Mlp resumed = c.model();
        assertArrayEquals(uninterrupted.dropouts(), resumed.dropouts());
        assertArrayEquals(uninterrupted.normalizations(), resumed.normalizations());
        Trainer.builder(resumed, c.optimizer()).epochs(3).batchSize(16).seed(c.seed()).startAt(c.epoch(), c.batch())
                .build().fit(data);
        assertArrayEquals(bits(uninterrupted.parameters()), bits(resumed.parameters()));
        assertArrayEquals(bits(uninterrupted.runningStatistics()), bits(resumed.runningStatistics()));
    }

    /** A hand-written loop that samples batches with an Rng, checkpointed mid-way: the Rng state matters. */
    @Test
    void resumingALoopThatDrawsFromAnRngIsBitIdentical() throws Exception {
        Dataset data = ModelFileTestSupport.blobs(200, 8);
        int steps = 60;
        int stopAt = 23;
        Path file = dir.resolve("loop.safetensors");

        Mlp full = ModelFileTestSupport.classifier(8);
        Optimizer opt = Optimizer.adam(0.005f);
        Rng rng = new Rng(1234);
        for (int s = 0; s < steps; s++) {
            if (s == stopAt) {
                Checkpoint.of(full, opt, 0, 1234, rng.state()).save(file);
            }
            step(full, opt, rng, data);
        }

        Checkpoint c = Checkpoint.load(file);
        assertEquals(stopAt, c.step());
        Mlp resumed = c.model();
        Optimizer o = c.optimizer();
        Rng r = new Rng(0);
        r.setState(c.rngState());
        for (long s = c.step(); s < steps; s++) {
            step(resumed, o, r, data);
        }
        assertArrayEquals(bits(full.parameters()), bits(resumed.parameters()));
        assertEquals(rng.state(), r.state());
    }

    private static void step(Mlp mlp, Optimizer opt, Rng rng, Dataset data) {
        int b = 8;
        float[] x = new float[b * data.cols()];
        int[] y = new int[b];
        for (int i = 0; i < b; i++) {
            int row = rng.nextInt(data.rows());
            System.arraycopy(data.features(), row * data.cols(), x, i * data.cols(), data.cols());
            y[i] = data.labels()[row];
        }
        float[] g = mlp.newGradients();
        Workspace ws = mlp.newWorkspace(b);
        mlp.computeGradient(x, 0, b, y, 0, g, ws);
        opt.step(mlp.parameters(), g);
    }

    @Test
    void theModelOfACheckpointLoadsAsAModelAndAModelFileIsNotACheckpoint() throws Exception {
        Mlp mlp = ModelFileTestSupport.trained(6);
        Optimizer opt = Optimizer.adam(0.01f);
        opt.step(mlp.parameters(), mlp.newGradients());
        Path ckpt = dir.resolve("c.safetensors");
        Checkpoint.of(mlp, opt, 3, 6, 42).save(ckpt);
        ModelFileTestSupport.assertSameModel(mlp, ModelFile.load(ckpt));
        Path model = dir.resolve("m.safetensors");
        ModelFile.save(mlp, model);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Checkpoint.load(model));
        assertEquals("metadata 'vecmlp.format'", e.field());
    }

    @Test
    void restoringIntoAnOptimizerWithOtherSettingsIsRefused() throws Exception {
        Mlp mlp = ModelFileTestSupport.classifier(1);
        Optimizer opt = Optimizer.adam(0.01f);
        opt.step(mlp.parameters(), mlp.newGradients());
        Checkpoint c = Checkpoint.fromTensors(SafeTensors.read(Checkpoint.of(mlp, opt, 1, 1, 1).toTensors().toBytes()),
                Kernels.get());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.restoreOptimizer(Optimizer.adam(0.02f)));
        assertTrue(e.getMessage().contains("learning_rate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.restoreOptimizer(Optimizer.sgd(0.01f)));
        assertThrows(IllegalArgumentException.class, () -> c.restoreOptimizer(Optimizer.adam(0.01f).betas(0.8f, 0.999f)));
        Optimizer ok = Optimizer.adam(0.01f);
        c.restoreOptimizer(ok);
        assertEquals(1, ok.stepCount());
        assertArrayEquals(bits(opt.stateBuffers()[1]), bits(ok.stateBuffers()[1]));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.of(mlp, opt, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.of(mlp, opt, 0, -1, 0, 0));
    }

    private static void rejects(Checkpoint c, Consumer<Map<String, String>> editMeta,
                                Consumer<List<SafeTensors.Tensor>> editTensors, String field, String found) throws Exception {
        SafeTensors st = c.toTensors();
        Map<String, String> meta = new LinkedHashMap<>(st.metadata());
        List<SafeTensors.Tensor> ts = new ArrayList<>(st.tensors());
        editMeta.accept(meta);
        editTensors.accept(ts);
        SafeTensors read = SafeTensors.read(SafeTensors.of(meta, ts).toBytes());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Checkpoint.fromTensors(read,
                Kernels.get()));
        assertTrue(e.field().contains(field), "field '" + field + "' in: " + e.getMessage());
        assertTrue(e.found().contains(found), "found '" + found + "' in: " + e.getMessage());
    }

    @Test
    void rejectsBadRunStateWithAMessageNamingTheKeyOrTensor() throws Exception {
        Mlp mlp = ModelFileTestSupport.classifier(2);
        Optimizer opt = Optimizer.momentum(0.1f, 0.9f);
        opt.step(mlp.parameters(), mlp.newGradients());
        Checkpoint c = Checkpoint.of(mlp, opt, 1, -5, Long.MIN_VALUE);
        Consumer<List<SafeTensors.Tensor>> same = t -> { };
        Consumer<Map<String, String>> keep = m -> { };
        rejects(c, m -> m.put("vecmlp.checkpoint.epoch", "-1"), same, "vecmlp.checkpoint.epoch", "-1");
        rejects(c, m -> m.put("vecmlp.checkpoint.epoch", "3000000000"), same, "vecmlp.checkpoint.epoch", "3000000000");
        rejects(c, m -> m.put("vecmlp.checkpoint.step", "1.0"), same, "vecmlp.checkpoint.step", "1.0");
        rejects(c, m -> m.put("vecmlp.checkpoint.batch", "-3"), same, "vecmlp.checkpoint.batch", "-3");
        rejects(c, m -> m.put("vecmlp.checkpoint.seed", "9223372036854775808"), same, "vecmlp.checkpoint.seed",
                "9223372036854775808");
        rejects(c, m -> m.remove("vecmlp.checkpoint.rng_state"), same, "vecmlp.checkpoint.rng_state", "no such key");
        rejects(c, m -> m.put("vecmlp.optimizer.kind", "rmsprop"), same, "vecmlp.optimizer.kind", "rmsprop");
        rejects(c, m -> m.put("vecmlp.optimizer.learning_rate", "NaN"), same, "vecmlp.optimizer.learning_rate", "NaN");
        rejects(c, m -> m.put("vecmlp.optimizer.momentum", "1.5"), same, "vecmlp.optimizer", "momentum");
        rejects(c, keep, t -> t.add(SafeTensors.Tensor.vector("optimizer.state.1", new float[mlp.parameterCount()])),
                "optimizer.state", "2 buffers");
        rejects(c, keep, t -> t.set(t.size() - 1, SafeTensors.Tensor.vector("optimizer.state.0", new float[3])),
                "tensor 'optimizer.state.0' shape", "[3]");
        rejects(c, keep, t -> t.add(SafeTensors.Tensor.vector("optimizer.extra", new float[1])),
                "tensor 'optimizer.extra'", "unexpected");
        float[] nan = new float[mlp.parameterCount()];
        nan[7] = Float.NaN;
        rejects(c, keep, t -> t.set(t.size() - 1, SafeTensors.Tensor.vector("optimizer.state.0", nan)),
                "tensor 'optimizer.state.0' element 7", "NaN");

        Checkpoint back = Checkpoint.fromTensors(SafeTensors.read(c.toTensors().toBytes()), Kernels.get());
        assertEquals(-5, back.seed());
        assertEquals(Long.MIN_VALUE, back.rngState());
        assertEquals(1, back.epoch());
    }
}
