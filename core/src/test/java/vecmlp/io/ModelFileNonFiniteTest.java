package vecmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vecmlp.io.ModelFileTestSupport.bits;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecmlp.nn.Mlp;
import vecmlp.optim.Optimizer;
import vecmlp.train.NonFiniteLossException;
import vecmlp.train.Trainer;

/** A model with NaN or infinite parameters is neither saved nor loaded unless the caller opts in. */
class ModelFileNonFiniteTest {

    @TempDir
    Path dir;

    @Test
    void saveRefusesNonFiniteParametersUnlessAllowed() throws Exception {
        Path file = dir.resolve("m.safetensors");
        Mlp good = ModelFileTestSupport.trained(2);
        ModelFile.save(good, file);
        byte[] before = Files.readAllBytes(file);

        for (float poison : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Mlp bad = good.copy();
            int at = bad.weightOffset(1) + 2 * 8 + 5;              // layers.1.weight[2, 5]
            bad.parameters()[at] = poison;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(bad, file));
            assertTrue(e.getMessage().contains("layers.1.weight[2, 5]") && e.getMessage().contains(Float.toString(poison)),
                    e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file), "the previous file is untouched");
            assertEquals(1, Files.list(dir).count(), "and nothing else was written");

            Path allowed = dir.resolve("nan.safetensors");
            ModelFile.save(bad, allowed, ModelFile.Option.ALLOW_NON_FINITE);
            ModelFormatException le = assertThrows(ModelFormatException.class, () -> ModelFile.load(allowed));
            assertEquals("tensor 'layers.1.weight' element 21", le.field());
            assertEquals(Float.toString(poison), le.found());
            Mlp back = ModelFile.load(allowed, ModelFile.Option.ALLOW_NON_FINITE);
            assertArrayEquals(bits(bad.parameters()), bits(back.parameters()));
            Files.delete(allowed);
        }
    }

    @Test
    void aCheckpointOfANonFiniteRunIsSavedAndLoadedOnlyWhenAllowed() throws Exception {
        Mlp mlp = ModelFileTestSupport.classifier(3);
        Optimizer opt = Optimizer.momentum(0.1f, 0.9f);
        opt.step(mlp.parameters(), mlp.newGradients());
        mlp.parameters()[5] = Float.POSITIVE_INFINITY;
        Checkpoint c = Checkpoint.of(mlp, opt, 2, 7, 0);            // a snapshot of a diverged run is allowed
        Path file = dir.resolve("c.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.save(file));
        assertTrue(e.getMessage().contains("layers.0.weight[0, 5]"), e.getMessage());
        assertFalse(Files.exists(file));
        c.save(file, ModelFile.Option.ALLOW_NON_FINITE);
        assertThrows(ModelFormatException.class, () -> Checkpoint.load(file));
        Checkpoint back = Checkpoint.load(file, ModelFile.Option.ALLOW_NON_FINITE);
        assertArrayEquals(bits(mlp.parameters()), bits(back.model().parameters()));

        Mlp finite = ModelFileTestSupport.classifier(3);
        opt.stateBuffers()[0][3] = Float.NaN;                        // a non-finite optimizer state, too
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.of(finite, opt, 2, 7, 0).save(file));
        assertTrue(s.getMessage().contains("optimizer.state.0[3]"), s.getMessage());
    }

    @Test
    void aDivergingRunIsStoppedAndItsModelStaysSavable() throws Exception {
        Mlp mlp = ModelFileTestSupport.classifier(4);
        Trainer t = Trainer.builder(mlp, Optimizer.sgd(1e30f)).epochs(5).batchSize(8).seed(4).build();
        assertThrows(NonFiniteLossException.class, () -> t.fit(ModelFileTestSupport.blobs(100, 4)));
        for (float p : mlp.parameters()) {
            assertTrue(Float.isFinite(p), "the trainer keeps the parameters from before the bad batch");
        }
        Path file = dir.resolve("d.safetensors");
        ModelFile.save(mlp, file);
        ModelFileTestSupport.assertSameModel(mlp, ModelFile.load(file));

        float[] x = new float[mlp.inputSize()];
        x[2] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> mlp.predict(x, 1, new float[mlp.outputSize()]),
                "a NaN input is refused");
    }
}
