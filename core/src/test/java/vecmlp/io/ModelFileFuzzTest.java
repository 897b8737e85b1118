package vecmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Mlp;
import vecmlp.optim.Optimizer;

/**
 * Fuzzing the model and checkpoint loaders with the strict oracle of the issue: every damaged file either
 * loads a model (checkpoint) equal to the original, bit for bit, or throws {@link ModelFormatException}.
 * Any other exception or error (including OutOfMemoryError) fails the test; the timeout catches a hang.
 * Cases: every single-bit flip and every truncation of a model file, then seeded random damage of every
 * kind in {@link SafeTensorsCorruptor} to model and checkpoint files.
 */
class ModelFileFuzzTest {

    static final int RANDOM_MODEL_CASES = 30_000;
    static final int RANDOM_CHECKPOINT_CASES = 8_000;
    static final long SEED = 0xF022L;

    private static final class Tally {
        int rejected;
        int loadedEqual;

        int cases() {
            return rejected + loadedEqual;
        }
    }

    private static void checkModel(Mlp original, byte[] file, String what, Tally tally) {
        Mlp loaded;
        try {
            loaded = ModelFile.fromTensors(SafeTensors.read(file), Kernels.get());
        } catch (ModelFormatException expected) {
            tally.rejected++;
            return;
        } catch (Throwable t) {
            fail(what + ": " + t, t);
            return;
        }
        if (!ModelFileTestSupport.sameModel(original, loaded)) {
            fail(what + ": loaded a model that differs from the original");
        }
        tally.loadedEqual++;
    }

    private static void checkCheckpoint(Checkpoint original, byte[] file, String what, Tally tally) {
        Checkpoint loaded;
        try {
            loaded = Checkpoint.fromTensors(SafeTensors.read(file), Kernels.get());
        } catch (ModelFormatException expected) {
            tally.rejected++;
            return;
        } catch (Throwable t) {
            fail(what + ": " + t, t);
            return;
        }
        boolean same = ModelFileTestSupport.sameModel(original.model(), loaded.model())
                && original.epoch() == loaded.epoch() && original.step() == loaded.step()
                && original.seed() == loaded.seed() && original.rngState() == loaded.rngState()
                && original.optimizerKind() == loaded.optimizerKind()
                && original.optimizerState().length == loaded.optimizerState().length;
        for (int i = 0; same && i < original.optimizerState().length; i++) {
            same = Arrays.equals(ModelFileTestSupport.bits(original.optimizerState()[i]),
                    ModelFileTestSupport.bits(loaded.optimizerState()[i]));
        }
        if (!same) {
            fail(what + ": loaded a checkpoint that differs from the original");
        }
        tally.loadedEqual++;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyDamagedFileLoadsTheOriginalOrIsRejected() throws Exception {
        Mlp original = ModelFileTestSupport.trained(21);
        byte[] file = ModelFile.toTensors(original).toBytes();
        Tally model = new Tally();
        checkModel(original, file, "the undamaged file", model);
        assertEquals(1, model.loadedEqual);

        for (int bit = 0; bit < 8 * file.length; bit++) {
            byte[] b = file.clone();
            b[bit >>> 3] ^= (byte) (1 << (bit & 7));
            checkModel(original, b, "flip of bit " + bit, model);
        }
        int exhaustiveFlips = 8 * file.length;
        for (int n = 0; n < file.length; n++) {
            checkModel(original, Arrays.copyOf(file, n), "truncation to " + n + " bytes", model);
        }
        Random rnd = new Random(SEED);
        SafeTensorsCorruptor.Kind[] kinds = SafeTensorsCorruptor.Kind.values();
        for (int i = 0; i < RANDOM_MODEL_CASES; i++) {
            SafeTensorsCorruptor.Kind kind = kinds[i % kinds.length];
            checkModel(original, SafeTensorsCorruptor.corrupt(file, kind, rnd), "model case " + i + " (" + kind + ")",
                    model);
        }

        Optimizer adam = Optimizer.adam(0.01f);
        adam.step(original.parameters().clone(), original.parameters().clone());  // some non-zero state
        Checkpoint ckpt = Checkpoint.of(original, adam, 3, 21, 0x123456789abcdefL);
        byte[] cfile = ckpt.toTensors().toBytes();
        Tally checkpoint = new Tally();
        checkCheckpoint(ckpt, cfile, "the undamaged checkpoint", checkpoint);
        assertEquals(1, checkpoint.loadedEqual);
        for (int i = 0; i < RANDOM_CHECKPOINT_CASES; i++) {
            SafeTensorsCorruptor.Kind kind = kinds[i % kinds.length];
            checkCheckpoint(ckpt, SafeTensorsCorruptor.corrupt(cfile, kind, rnd),
                    "checkpoint case " + i + " (" + kind + ")", checkpoint);
        }

        int total = model.cases() + checkpoint.cases();
        assertEquals(2 + exhaustiveFlips + file.length + RANDOM_MODEL_CASES + RANDOM_CHECKPOINT_CASES, total);
        assertTrue(model.rejected > model.cases() * 9 / 10, "damage is detected: " + model.rejected);
        System.getLogger(ModelFileFuzzTest.class.getName()).log(System.Logger.Level.INFO,
                "ModelFile fuzz: " + total + " cases: model file of " + file.length + " bytes: " + exhaustiveFlips
                        + " single-bit flips + " + file.length + " truncations + " + RANDOM_MODEL_CASES
                        + " random (" + model.rejected + " rejected, " + model.loadedEqual + " loaded equal); checkpoint of "
                        + cfile.length + " bytes: " + RANDOM_CHECKPOINT_CASES + " random (" + checkpoint.rejected
                        + " rejected, " + checkpoint.loadedEqual + " loaded equal); no other outcome");
        assertArrayEquals(file, ModelFile.toTensors(original).toBytes(), "the original was not modified");
    }
}
