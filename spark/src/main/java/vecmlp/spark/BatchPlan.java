package vecmlp.spark;

import java.io.Serializable;
import vecmlp.nn.Rng;
import vecmlp.train.Trainer;

/**
 * Which rows each partition contributes to each step: a pure function of the partition sizes, the global
 * batch size and the seed, known to the driver and every executor, so every run (and every retried task)
 * uses the same rows.
 *
 * <p>Partition {@code p} of {@code n_p} rows takes a local batch of {@code b_p = ⌈B·n_p/N⌉} rows per step
 * ({@code N = Σ n_p}); an epoch has {@code S = max_p ⌈n_p/b_p⌉} steps. In epoch {@code e} partition {@code p}
 * visits its rows in the order of a Fisher–Yates shuffle by {@code Rng(Trainer.epochOrderSeed(seed_p, e))},
 * where {@code seed_0 = seed} (so one partition visits rows exactly as core's {@link Trainer} does) and
 * {@code seed_p = Rng.derive(seed, p)} otherwise; step {@code s} takes positions {@code [s·b_p, (s+1)·b_p)}
 * of that order (fewer or none at the end). Immutable.
 */
final class BatchPlan implements Serializable {

    private static final long serialVersionUID = 1L;

    final int[] counts;
    final int[] local;
    final int stepsPerEpoch;
    final long seed;
    final boolean shuffle;

    BatchPlan(int[] counts, int batchSize, long seed, boolean shuffle) {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        if (total == 0) {
            throw new InvalidInputException("the training data has no rows");
        }
        this.counts = counts.clone();
        this.local = new int[counts.length];
        int steps = 0;
        for (int p = 0; p < counts.length; p++) {
            if (counts[p] > 0) {
                local[p] = (int) Math.max(1, ((long) batchSize * counts[p] + total - 1) / total);
                steps = Math.max(steps, (counts[p] + local[p] - 1) / local[p]);
            }
        }
        this.stepsPerEpoch = steps;
        this.seed = seed;
        this.shuffle = shuffle;
    }

    int partitions() {
        return counts.length;
    }

    long totalRows() {
        long t = 0;
        for (int c : counts) {
            t += c;
        }
        return t;
    }

    /** The largest local batch. */
    int maxLocalBatch() {
        int m = 1;
        for (int b : local) {
            m = Math.max(m, b);
        }
        return m;
    }

    /** First position in partition {@code p}'s epoch order of step {@code step}. */
    int from(int p, int step) {
        return Math.min(counts[p], step * local[p]);
    }

    /** Rows partition {@code p} contributes to step {@code step} of an epoch (0 when it has run out). */
    int rows(int p, int step) {
        return Math.max(0, Math.min(local[p], counts[p] - step * local[p]));
    }

    /** Rows of step {@code step} over all partitions (the global batch, {@code ≤ B + partitions}). */
    int rows(int step) {
        int r = 0;
        for (int p = 0; p < counts.length; p++) {
            r += rows(p, step);
        }
        return r;
    }

    /**
     * The id of partition {@code p}'s first row: the rows before it in partition order. Row {@code i} of the
     * partition has id {@code rowOffset(p) + i}, its index in the whole data set, which keys its dropout masks
     * (so one partition draws core's masks).
     */
    int rowOffset(int p) {
        int offset = 0;
        for (int q = 0; q < p; q++) {
            offset += counts[q];
        }
        return offset;
    }

    /** The step number of step {@code step} of epoch {@code epoch}, counted from the run's first: dropout's key. */
    long globalStep(int epoch, int step) {
        return (long) epoch * stepsPerEpoch + step;
    }

    /** The seed of partition {@code p}'s shuffling stream. */
    long partitionSeed(int p) {
        return p == 0 ? seed : Rng.derive(seed, p);
    }

    /** Fills {@code order[0, counts[p])} with partition {@code p}'s row order of epoch {@code epoch}. */
    void order(int p, int epoch, int[] order) {
        int n = counts[p];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            new Rng(Trainer.epochOrderSeed(partitionSeed(p), epoch)).shuffle(order, n);
        }
    }
}
