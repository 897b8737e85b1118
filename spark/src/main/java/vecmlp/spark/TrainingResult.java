package vecmlp.spark;

import java.util.List;
import vecmlp.nn.Mlp;

/**
 * The outcome of {@link SparkTrainer#fit}: the trained network (on the driver), the mean training loss and
 * accuracy of every epoch run (as seen during training), the Spark rounds and optimizer steps taken, the
 * wall time and the executors' compute time. Immutable apart from the network.
 */
public final class TrainingResult {

    private final Mlp model;
    private final List<Double> losses;
    private final List<Double> accuracies;
    private final long rounds;
    private final int startEpoch;
    private final long nanos;
    private final long steps;
    private final long computeNanos;
    private final long criticalComputeNanos;
    private final long taskCpuNanos;

    TrainingResult(Mlp model, List<Double> losses, List<Double> accuracies, long rounds, int startEpoch, long nanos,
                   long steps, long computeNanos, long criticalComputeNanos, long taskCpuNanos) {
        this.model = model;
        this.losses = List.copyOf(losses);
        this.accuracies = List.copyOf(accuracies);
        this.rounds = rounds;
        this.startEpoch = startEpoch;
        this.nanos = nanos;
        this.steps = steps;
        this.computeNanos = computeNanos;
        this.criticalComputeNanos = criticalComputeNanos;
        this.taskCpuNanos = taskCpuNanos;
    }

    /** The trained network (its parameters are the final weights). */
    public Mlp model() {
        return model;
    }

    /** Mean training loss per epoch run, in order. */
    public List<Double> epochLosses() {
        return losses;
    }

    /** Training accuracy per epoch run, in order (NaN for real targets: regression has no accuracy). */
    public List<Double> epochAccuracies() {
        return accuracies;
    }

    /** Spark rounds (jobs) run for training. */
    public long rounds() {
        return rounds;
    }

    /** The first epoch run: 0, or the epoch a checkpoint resumed at. */
    public int startEpoch() {
        return startEpoch;
    }

    /** Optimizer steps in total, including those before a resumed checkpoint. */
    public long optimizerSteps() {
        return steps;
    }

    /** Wall time of training in nanoseconds (packing and listener time excluded). */
    public long nanos() {
        return nanos;
    }

    /**
     * Executor time spent in vecmlp's own work (gathering batches, gradients, local optimizer steps), summed
     * over all tasks of all rounds, in nanoseconds: the CPU work that more task slots can share.
     */
    public long taskComputeNanos() {
        return computeNanos;
    }

    /**
     * The sum over rounds of the slowest task's {@link #taskComputeNanos() compute time}, in nanoseconds: the
     * compute on the critical path if every task of a round ran at once. {@link #nanos()} minus this is the
     * time a round spends outside vecmlp's compute (scheduling, broadcast, results, driver work, waiting).
     */
    public long criticalComputeNanos() {
        return criticalComputeNanos;
    }

    /**
     * CPU time of the task threads over the spans counted in {@link #taskComputeNanos()}, in nanoseconds (0 where
     * the JVM does not measure thread CPU time). Well below {@code taskComputeNanos()}: the tasks
     * waited for a CPU (more task slots than free cores); about equal but longer per task than with fewer slots:
     * the cores slowed each other (shared caches, memory bandwidth, a shared physical core).
     */
    public long taskCpuNanos() {
        return taskCpuNanos;
    }
}
