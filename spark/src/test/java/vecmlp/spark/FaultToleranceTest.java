package vecmlp.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecmlp.io.Checkpoint;

class FaultToleranceTest {

    /** Failures injected so far (tasks run in this JVM in local mode). */
    private static final AtomicInteger INJECTED = new AtomicInteger();

    private static SparkTrainer.Builder builder() {
        return SparkTrainer.builder(SparkTrainerTest.DIGITS_NET, SparkTrainerTest.ADAM).batchSize(64).epochs(3)
                .seed(21L);
    }

    @Test
    void aRetriedTaskDoesNotChangeTheResult() {
        org.apache.spark.sql.Dataset<Row> frame = TestData.frame(SparkTrainerTest.digitsSplit().train(), 2);
        float[] undisturbed = builder().build().fit(frame, "features", "label").model().parameters();
        for (boolean averaging : new boolean[] {false, true}) {
            INJECTED.set(0);
            SparkTrainer.Builder b = averaging ? builder().averaging(3) : builder();
            float[] expected = averaging ? builder().averaging(3).build().fit(frame, "features", "label").model()
                    .parameters() : undisturbed;
            // The first attempt of partition 1's task in round 5 fails; Spark (local[2,2]) runs it again.
            TrainingResult r = b.faults((partition, attempt, round) -> {
                if (partition == 1 && attempt == 0 && round == 5) {
                    INJECTED.incrementAndGet();
                    throw new IllegalStateException("injected failure of partition 1, round 5");
                }
            }).build().fit(frame, "features", "label");
            assertEquals(1, INJECTED.get(), "the failure was injected once");
            assertArrayEquals(expected, r.model().parameters(), "averaging " + averaging);
        }
    }

    @Test
    void aKilledRunResumesFromItsCheckpointToTheSameWeights(@TempDir Path dir) throws Exception {
        org.apache.spark.sql.Dataset<Row> frame = TestData.frame(SparkTrainerTest.digitsSplit().train(), 2);
        TrainingResult full = builder().build().fit(frame, "features", "label");
        long roundsPerEpoch = full.rounds() / 3;
        Path file = dir.resolve("run.ckpt.safetensors");

        // Every attempt of a task in the middle of epoch 2 fails: the job dies after the checkpoint of epoch 1.
        long killAt = 2 * roundsPerEpoch + 2;
        Exception killed = assertThrows(Exception.class, () -> builder().checkpoint(file, 1)
                .faults((partition, attempt, round) -> {
                    if (round == killAt) {
                        throw new IllegalStateException("killed in round " + round);
                    }
                }).build().fit(frame, "features", "label"));
        assertTrue(String.valueOf(killed.getMessage()).contains("killed in round " + killAt), killed.toString());
        assertTrue(Files.exists(file));
        assertEquals(2, Checkpoint.load(file).epoch(), "epochs 0 and 1 were checkpointed");

        TrainingResult resumed = builder().checkpoint(file, 1).build().fit(frame, "features", "label");
        assertEquals(2, resumed.startEpoch());
        assertEquals(1, resumed.epochLosses().size());
        assertEquals(full.optimizerSteps(), resumed.optimizerSteps());
        assertArrayEquals(full.model().parameters(), resumed.model().parameters());
        assertEquals(3, Checkpoint.load(file).epoch());
    }
}
