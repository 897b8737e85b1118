package vecmlp.spark;

import java.io.IOException;
import java.nio.file.Path;
import vecmlp.io.Checkpoint;
import vecmlp.io.ModelFormatException;
import vecmlp.nn.Mlp;
import vecmlp.optim.Optimizer;

/**
 * The driver state of a {@link SparkTrainer} run as core's {@link Checkpoint} (a safetensors file written
 * atomically): the network, the optimizer's rule, settings, step count and state, the seed and the next epoch.
 * That is everything a run needs to continue bit-identically: the batch order of an epoch depends only on the
 * seed, the partition sizes and the epoch. Stateless.
 */
final class TrainingCheckpoint {

    private TrainingCheckpoint() {
    }

    static void write(Path file, Mlp model, long seed, int nextEpoch, Optimizer optimizer) throws IOException {
        Checkpoint.of(model, optimizer, nextEpoch, seed, 0L).save(file);
    }

    /**
     * Restores {@code model}'s parameters, running statistics and {@code optimizer} from {@code file}; returns the
     * epoch to continue at.
     *
     * @throws ModelFormatException if the file is not a checkpoint of this architecture and seed
     * @throws IllegalArgumentException if the optimizer's rule or settings differ from the saved ones
     */
    static int restore(Path file, NetworkSpec spec, long seed, Mlp model, Optimizer optimizer) throws IOException {
        Checkpoint cp = Checkpoint.load(file, model.kernels());
        Mlp saved = cp.model();
        if (!NetworkSpec.of(saved).equals(spec)) {
            throw new ModelFormatException("architecture", spec.toString(), NetworkSpec.of(saved).toString());
        }
        if (cp.seed() != seed) {
            throw new ModelFormatException("seed", Long.toString(seed), Long.toString(cp.seed()));
        }
        cp.restoreOptimizer(optimizer);
        System.arraycopy(saved.parameters(), 0, model.parameters(), 0, model.parameterCount());
        System.arraycopy(saved.runningStatistics(), 0, model.runningStatistics(), 0,
                model.runningStatistics().length);
        return cp.epoch();
    }
}
