package vecmlp.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Mlp;
import vecmlp.optim.Optimizer;

/**
 * Data-parallel training of a vecmlp network on Apache Spark: the plain Java entry point (the Spark ML
 * estimator {@link VecmlpClassifier} uses it too).
 *
 * <p>The input rows are validated and packed once per partition into flat buffers ({@link InputPacker}), kept
 * in memory across epochs. Two modes:
 * <ul>
 *   <li>{@link Mode#SYNCHRONOUS} (default): one Spark round per optimizer step. The driver broadcasts the flat
 *   parameters; each partition computes, with core's kernels and a per-thread workspace, the gradient of its
 *   share of the global mini-batch ({@link BatchPlan}), weighted by its share of the batch's rows; the driver
 *   adds the partition results in partition order (deterministic, unlike {@code treeAggregate}) and applies the
 *   core {@link Optimizer} made by the {@link OptimizerFactory} — every rule, schedule and clipping option.
 *   With one partition this is exactly core's {@code Trainer} over the same batch order.</li>
 *   <li>{@link Mode#AVERAGING}: one Spark round per {@code K} steps. The driver broadcasts parameters and
 *   optimizer state; each partition runs {@code K} local steps on its local batches with its own copy of the
 *   optimizer, and the driver averages parameters and optimizer state, weighted by the rows each partition
 *   processed, in partition order.</li>
 * </ul>
 * Dropout masks are keyed by each row's index in the data and the global step, so one partition draws core's.
 * Batch normalization normalizes each partition's rows of a step with their own statistics (as PyTorch's
 * data-parallel training without synchronized batch norm); the driver keeps the running statistics, the
 * partitions' updates averaged by rows after each round.
 * Same seed, data and partitioning give bit-identical weights, whatever the scheduling; a retried task
 * recomputes the same result. With {@link Builder#checkpoint} the driver state is written every N epochs and a
 * new run with the same settings resumes from it.
 *
 * <p>Configure with {@link #builder}; {@link #fit} may be called from one thread at a time.
 */
public final class SparkTrainer {

    private static final System.Logger LOG = System.getLogger(SparkTrainer.class.getName());

    /** How partitions combine their work. */
    public enum Mode {
        /** One round per step: gradients summed on the driver, one optimizer. */
        SYNCHRONOUS,
        /** One round per K local steps: parameters and optimizer state averaged. */
        AVERAGING
    }

    private final NetworkSpec spec;
    private final OptimizerFactory optimizerFactory;
    private final int batchSize;
    private final int epochs;
    private final long seed;
    private final boolean shuffle;
    private final Mode mode;
    private final int localSteps;
    private final Path checkpointFile;
    private final int checkpointEvery;
    private final FaultInjector faults;
    private final float[] initialParameters;
    private final EpochListener listener;
    private final float labelSmoothing;

    private SparkTrainer(Builder b) {
        this.spec = b.spec;
        this.optimizerFactory = b.optimizerFactory;
        this.batchSize = b.batchSize;
        this.epochs = b.epochs;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.mode = b.mode;
        this.localSteps = b.localSteps;
        this.checkpointFile = b.checkpointFile;
        this.checkpointEvery = b.checkpointEvery;
        this.faults = b.faults;
        this.initialParameters = b.initialParameters;
        this.listener = b.listener;
        this.labelSmoothing = b.labelSmoothing;
    }

    /**
     * A builder for training networks of architecture {@code spec} with optimizers made by {@code optimizer}.
     */
    public static Builder builder(NetworkSpec spec, OptimizerFactory optimizer) {
        return new Builder(spec, optimizer);
    }

    /**
     * Trains on {@code data}: a features column (Spark ML vector, {@code array<float>} or {@code array<double>}
     * of {@code spec.inputSize()} finite values) and a label column: integer classes in
     * {@code [0, spec.outputSize())} for the cross-entropy loss; for any other loss, {@code spec.outputSize()}
     * finite real targets per row (a number when that is 1, or a vector or array). Validates and packs the data first (one Spark job); the packed
     * partitions are cached for the run and unpersisted at its end.
     *
     * @throws InvalidInputException naming column, partition, index and value of the first bad input
     * @throws ArithmeticException if the gradient became NaN or infinite (naming epoch and step)
     */
    public TrainingResult fit(Dataset<Row> data, String featuresCol, String labelCol) {
        return fit(data, featuresCol, labelCol, null);
    }

    /**
     * As {@link #fit(Dataset, String, String)}, with a weight per row from {@code weightCol} (numeric, finite,
     * {@code >= 0}; none if null or empty): each step's loss is the weighted mean over the step's rows, as core's
     * {@code Trainer} on a {@code Dataset.withWeights} (one partition gives its bits). Synchronous: partition p's
     * gradient (the weighted mean of its rows) counts {@code W_p / W}, its weight over the step's; averaging:
     * each partition's local steps are weighted, and the models are averaged by rows as without weights.
     */
    public TrainingResult fit(Dataset<Row> data, String featuresCol, String labelCol, String weightCol) {
        Objects.requireNonNull(data, "data");
        JavaRDD<PackedPartition> packed = (classes()
                ? InputPacker.pack(data, featuresCol, labelCol, weightCol, spec.inputSize(), spec.outputSize())
                : InputPacker.packTargets(data, featuresCol, labelCol, weightCol, spec.inputSize(), spec.outputSize()))
                .persist(StorageLevel.MEMORY_ONLY());
        try {
            List<int[]> sizes;
            try {
                sizes = packed.map(pp -> new int[] {pp.partition, pp.rows}).collect();
            } catch (Exception e) {
                throw InvalidInputException.unwrap(e);
            }
            int[] counts = new int[sizes.size()];
            for (int[] s : sizes) {
                counts[s[0]] = s[1];
            }
            return train(packed, new BatchPlan(counts, batchSize, seed, shuffle));
        } finally {
            packed.unpersist(false);
        }
    }

    /**
     * With batch normalization, each partition normalizes with its own rows of a step (as PyTorch's data-parallel
     * training without synchronized batch norm), which must be 2 or more.
     */
    private void checkBatchNormRows(BatchPlan plan) {
        boolean bn = false;
        for (vecmlp.nn.Normalization n : spec.normalizations()) {
            bn |= n == vecmlp.nn.Normalization.BATCH;
        }
        for (int p = 0; bn && p < plan.partitions(); p++) {
            for (int s = 0; s < plan.stepsPerEpoch; s++) {
                if (plan.rows(p, s) == 1) {
                    throw new IllegalArgumentException("batch normalization needs at least 2 rows per partition and "
                            + "step, but partition " + p + " (" + plan.counts[p] + " rows) has 1 at step " + s
                            + " with batch size " + batchSize + ": choose another batch size or partitioning");
                }
            }
        }
    }

    /** Class labels (cross-entropy) or real targets (every other loss). */
    private boolean classes() {
        return spec.loss() == vecmlp.nn.Loss.CROSS_ENTROPY;
    }

    private TrainingResult train(JavaRDD<PackedPartition> packed, BatchPlan plan) {
        checkBatchNormRows(plan);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(packed.context());
        Mlp model = initialParameters != null ? spec.withParameters(initialParameters, Kernels.get())
                : spec.initial(seed, Kernels.get());
        Optimizer optimizer = optimizerFactory.create();
        float[] params = model.parameters();
        int startEpoch = 0;
        if (checkpointFile != null && java.nio.file.Files.exists(checkpointFile)) {
            try {
                startEpoch = TrainingCheckpoint.restore(checkpointFile, spec, seed, model, optimizer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LOG.log(Level.INFO, "resuming from " + checkpointFile + " at epoch " + startEpoch);
        }
        String runId = UUID.randomUUID().toString();
        List<Double> losses = new ArrayList<>();
        List<Double> accuracies = new ArrayList<>();
        long rounds = 0;
        long computeNanos = 0;
        long criticalNanos = 0;
        long cpuNanos = 0;
        long start = System.nanoTime();
        long listenerNanos = 0;
        float[] sum = new float[params.length];
        for (int epoch = startEpoch; epoch < epochs; epoch++) {
            double lossSum = 0;
            double weightSeen = 0;
            long correct = 0;
            long seen = 0;
            int steps = plan.stepsPerEpoch;
            int perRound = mode == Mode.SYNCHRONOUS ? 1 : localSteps;
            for (int step = 0; step < steps; step += perRound) {
                int k = Math.min(perRound, steps - step);
                List<RoundResult> results = round(jsc, packed, plan, runId, epoch, step, k, params,
                        model.runningStatistics(), optimizer, rounds);
                combineRunningStatistics(results, model.runningStatistics());
                rounds++;
                long slowest = 0;
                for (RoundResult r : results) {
                    computeNanos += r.computeNanos;
                    cpuNanos += r.cpuNanos;
                    slowest = Math.max(slowest, r.computeNanos);
                }
                criticalNanos += slowest;
                if (mode == Mode.SYNCHRONOUS) {
                    combineGradients(results, sum);
                    try {
                        optimizer.step(params, sum);
                    } catch (ArithmeticException e) {
                        throw new ArithmeticException("gradient norm not finite at epoch " + epoch + ", step " + step
                                + ": " + optimizer.lastGradientNorm() + "; parameters unchanged");
                    }
                } else {
                    average(results, params, optimizer, k);
                }
                for (RoundResult r : results) {
                    lossSum += r.lossSum;
                    weightSeen += r.weight;
                    correct += r.correct;
                    seen += r.rows;
                }
            }
            losses.add(lossSum / weightSeen);
            accuracies.add(classes() ? (double) correct / seen : Double.NaN);
            if (checkpointFile != null && checkpointEvery > 0 && ((epoch + 1) % checkpointEvery == 0
                    || epoch + 1 == epochs)) {
                try {
                    TrainingCheckpoint.write(checkpointFile, model, seed, epoch + 1, optimizer);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (listener != null) {
                long t0 = System.nanoTime();
                listener.onEpochEnd(epoch, model, losses.get(losses.size() - 1),
                        accuracies.get(accuracies.size() - 1), t0 - start - listenerNanos);
                listenerNanos += System.nanoTime() - t0;
            }
        }
        return new TrainingResult(model, losses, accuracies, rounds, startEpoch,
                System.nanoTime() - start - listenerNanos, optimizer.stepCount(), computeNanos, criticalNanos,
                cpuNanos);
    }

    /** One Spark round: broadcast the driver state, run {@code k} steps on every partition, collect in order. */
    private List<RoundResult> round(JavaSparkContext jsc, JavaRDD<PackedPartition> packed, BatchPlan plan,
                                    String runId, int epoch, int step, int k, float[] params, float[] running,
                                    Optimizer optimizer, long round) {
        boolean sync = mode == Mode.SYNCHRONOUS;
        float[][] state = sync ? new float[0][] : optimizer.stateBuffers();
        DriverState ds = new DriverState(params.clone(), state.length == 0 ? state : copy(state),
                optimizer.stepCount(), running.clone());
        Broadcast<DriverState> bc = jsc.broadcast(ds);
        NetworkSpec spec = this.spec;
        OptimizerFactory factory = this.optimizerFactory;
        FaultInjector faults = this.faults;
        float smoothing = labelSmoothing;
        int maxBatch = plan.maxLocalBatch();
        try {
            List<RoundResult> results = packed.mapPartitions(it -> {
                PackedPartition data = it.next();
                if (faults != null) {
                    TaskContext tc = TaskContext.get();
                    faults.beforeTask(data.partition, tc == null ? 0 : tc.attemptNumber(), round);
                }
                DriverState sent = bc.value();
                java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                boolean cpu = mx.isCurrentThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled();
                long c0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
                long t0 = System.nanoTime();
                Worker w = Worker.get(runId, spec, maxBatch);
                RoundResult r = sync ? syncStep(w, plan, data, epoch, step, sent, smoothing)
                        : localSteps(w, plan, data, epoch, step, k, sent, factory, smoothing);
                r.computeNanos = System.nanoTime() - t0;
                r.cpuNanos = cpu ? mx.getCurrentThreadCpuTime() - c0 : 0;
                return Collections.singletonList(r).iterator();
            }, true).collect();
            for (int p = 0; p < results.size(); p++) {
                if (results.get(p).partition != p) {
                    throw new IllegalStateException("partition results out of order at " + p + ": "
                            + results.get(p).partition);
                }
            }
            return results;
        } catch (Exception e) {
            throw InvalidInputException.unwrap(e);
        } finally {
            bc.destroy();
        }
    }

    private static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /** Executor side, synchronous: this partition's mean gradient and its weight (the driver combines them). */
    static RoundResult syncStep(Worker w, BatchPlan plan, PackedPartition data, int epoch, int step,
                                DriverState ds, float smoothing) {
        int rows = plan.rows(data.partition, step);
        if (rows == 0) {
            return new RoundResult(data.partition, 0, 0.0, 0, null, null);
        }
        int[] order = w.order(plan, data, epoch);
        w.gather(data, order, plan.from(data.partition, step), rows, plan.rowOffset(data.partition));
        w.load(ds.params, ds.running);
        float loss = w.gradient(rows, plan.seed, plan.globalStep(epoch, step), smoothing);
        double weight = w.ws.lastWeight();
        RoundResult r = new RoundResult(data.partition, rows, loss * weight, w.ws.lastCorrect(), w.grad.clone(), null);
        r.weight = weight;
        r.running = w.running();
        return r;
    }

    /** Executor side, averaging: {@code k} local steps from the broadcast state with a local optimizer. */
    static RoundResult localSteps(Worker w, BatchPlan plan, PackedPartition data, int epoch, int step, int k,
                                  DriverState ds, OptimizerFactory factory, float smoothing) {
        int p = data.partition;
        if (plan.rows(p, step) == 0) {
            return new RoundResult(p, 0, 0.0, 0, null, null);
        }
        Optimizer opt = factory.create().kernels(Worker.KERNELS);
        opt.restoreState(ds.stepCount, ds.state);
        w.load(ds.params, ds.running);
        float[] params = w.mlp.parameters();
        int[] order = w.order(plan, data, epoch);
        int total = 0;
        double weight = 0;
        double lossSum = 0;
        long correct = 0;
        for (int s = step; s < step + k; s++) {
            int rows = plan.rows(p, s);
            if (rows == 0) {
                break;
            }
            w.gather(data, order, plan.from(p, s), rows, plan.rowOffset(p));
            float loss = w.gradient(rows, plan.seed, plan.globalStep(epoch, s), smoothing);
            opt.step(params, w.grad);
            total += rows;
            lossSum += loss * w.ws.lastWeight(); // rows if unweighted
            weight += w.ws.lastWeight();
            correct += w.ws.lastCorrect();
        }
        RoundResult r = new RoundResult(p, total, lossSum, correct, params.clone(), copy(opt.stateBuffers()));
        r.weight = weight;
        r.running = w.running();
        return r;
    }

    /**
     * Batch normalization's running statistics after a round: each partition updated the broadcast ones with its
     * own batches' statistics; the driver keeps {@code Σ_p w_p r_p}, {@code w_p} = rows of p / rows of the round,
     * in partition order (one contributing partition's copied, so one partition gives core's bits).
     */
    private static void combineRunningStatistics(List<RoundResult> results, float[] running) {
        if (running.length == 0) {
            return;
        }
        long total = 0;
        int contributing = 0;
        for (RoundResult r : results) {
            if (r.running != null) {
                total += r.rows;
                contributing++;
            }
        }
        if (contributing == 0) {
            return;
        }
        boolean first = true;
        for (RoundResult r : results) {
            if (r.running == null) {
                continue;
            }
            if (contributing == 1) {
                System.arraycopy(r.running, 0, running, 0, running.length);
            } else {
                if (first) {
                    java.util.Arrays.fill(running, 0f);
                    first = false;
                }
                Kernels.get().axpy(running.length, (float) ((double) r.rows / total), r.running, 0, running, 0);
            }
        }
    }

    /**
     * The step's mean gradient {@code sum = Σ_p (W_p/W)·g_p} in partition order, {@code g_p} partition p's mean
     * gradient, {@code W_p} the weight of its rows in the step (its row count without row weights) and {@code W}
     * the step's; one contributing partition's gradient is copied unscaled (so it gives core's bits).
     */
    private static void combineGradients(List<RoundResult> results, float[] sum) {
        double total = 0;
        int contributing = 0;
        for (RoundResult r : results) {
            if (r.values != null) {
                total += r.weight;
                contributing++;
            }
        }
        boolean first = true;
        for (RoundResult r : results) {
            if (r.values == null) {
                continue;
            }
            float share = contributing == 1 ? 1f : total == 0 ? 0f : (float) (r.weight / total);
            if (first) {
                System.arraycopy(r.values, 0, sum, 0, sum.length);
                if (share != 1f) {
                    Kernels.get().scale(sum.length, share, sum, 0);
                }
                first = false;
            } else {
                Kernels.get().axpy(sum.length, share, r.values, 0, sum, 0);
            }
        }
    }

    /** θ = Σ_p w_p θ_p and the same for each optimizer state buffer, {@code w_p} = rows of p / rows of the round. */
    private static void average(List<RoundResult> results, float[] params, Optimizer optimizer, int k) {
        long total = 0;
        for (RoundResult r : results) {
            total += r.rows;
        }
        int buffers = -1;
        for (RoundResult r : results) {
            if (r.values != null) {
                buffers = r.state.length;
                break;
            }
        }
        float[][] state = new float[Math.max(buffers, 0)][];
        for (int i = 0; i < state.length; i++) {
            state[i] = new float[params.length];
        }
        java.util.Arrays.fill(params, 0f);
        Kernels kernels = Kernels.get();
        for (RoundResult r : results) {
            if (r.values == null) {
                continue;
            }
            float w = (float) ((double) r.rows / total);
            kernels.axpy(params.length, w, r.values, 0, params, 0);
            for (int i = 0; i < state.length; i++) {
                kernels.axpy(params.length, w, r.state[i], 0, state[i], 0);
            }
        }
        optimizer.restoreState(optimizer.stepCount() + k, state);
    }

    /**
     * What the driver broadcasts each round: the parameters, batch normalization's running statistics, and in
     * averaging mode the optimizer state.
     */
    static final class DriverState implements java.io.Serializable {
        private static final long serialVersionUID = 2L;
        final float[] params;
        final float[][] state;
        final long stepCount;
        final float[] running;

        DriverState(float[] params, float[][] state, long stepCount, float[] running) {
            this.params = params;
            this.state = state;
            this.stepCount = stepCount;
            this.running = running;
        }
    }

    /** What one partition returns from a round: a weighted gradient, or its parameters and optimizer state. */
    static final class RoundResult implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final int partition;
        final int rows;
        final double lossSum;
        final long correct;
        final float[] values;
        final float[][] state;
        /** The weight of this partition's rows in the round (its rows if unweighted). */
        double weight;
        /** Batch normalization's running statistics after this partition's steps (null without, or no rows). */
        float[] running;
        /** Executor time of this partition's work in the round (gather, gradients, local steps), ns. */
        long computeNanos;
        /** CPU time of the task's thread over the same span (less than computeNanos: it was descheduled), ns. */
        long cpuNanos;

        RoundResult(int partition, int rows, double lossSum, long correct, float[] values, float[][] state) {
            this.partition = partition;
            this.rows = rows;
            this.lossSum = lossSum;
            this.correct = correct;
            this.values = values;
            this.state = state;
        }
    }

    /** Settings of a {@link SparkTrainer}. Not thread-safe. */
    public static final class Builder {
        private final NetworkSpec spec;
        private final OptimizerFactory optimizerFactory;
        private int batchSize = 128;
        private int epochs = 10;
        private long seed;
        private boolean shuffle = true;
        private Mode mode = Mode.SYNCHRONOUS;
        private int localSteps = 1;
        private Path checkpointFile;
        private int checkpointEvery;
        private FaultInjector faults;
        private float[] initialParameters;
        private EpochListener listener;
        private float labelSmoothing;

        private Builder(NetworkSpec spec, OptimizerFactory optimizerFactory) {
            this.spec = Objects.requireNonNull(spec, "spec");
            this.optimizerFactory = Objects.requireNonNull(optimizerFactory, "optimizer");
        }

        /** The global mini-batch size {@code B ≥ 1}, split over partitions by their sizes (default 128). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Epochs {@code ≥ 1} (default 10). */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1: " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** The seed of the initial weights and of every partition's shuffling (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Label smoothing {@code ε ∈ [0, 1)} of a cross-entropy network's class labels, as core's
         * {@code Trainer.Builder.labelSmoothing} (default 0).
         */
        public Builder labelSmoothing(double epsilon) {
            if (!(epsilon >= 0.0 && epsilon < 1.0)) {
                throw new IllegalArgumentException("labelSmoothing epsilon must be in [0, 1): " + epsilon);
            }
            if (epsilon > 0 && spec.loss() != vecmlp.nn.Loss.CROSS_ENTROPY) {
                throw new IllegalArgumentException("labelSmoothing " + epsilon + " needs a cross-entropy network: "
                        + spec.loss());
            }
            this.labelSmoothing = (float) epsilon;
            return this;
        }

        /** Whether each partition shuffles its rows every epoch (default true). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Synchronous steps (default). */
        public Builder synchronous() {
            this.mode = Mode.SYNCHRONOUS;
            this.localSteps = 1;
            return this;
        }

        /** Parameter averaging every {@code localSteps ≥ 1} local steps. */
        public Builder averaging(int localSteps) {
            if (localSteps < 1) {
                throw new IllegalArgumentException("localSteps must be >= 1: " + localSteps);
            }
            this.mode = Mode.AVERAGING;
            this.localSteps = localSteps;
            return this;
        }

        /** Starts from these parameters (copied; the layout of {@link Mlp#parameters()}) instead of {@code seed}. */
        public Builder initialParameters(float[] parameters) {
            Objects.requireNonNull(parameters, "parameters");
            spec.withParameters(parameters, Kernels.scalar());
            this.initialParameters = parameters.clone();
            return this;
        }

        /**
         * Writes the driver state (parameters, optimizer step and state, next epoch) to {@code file} every
         * {@code everyEpochs ≥ 1} epochs and after the last; a run that finds the file resumes from it (same
         * architecture and seed required) and gives the weights the uninterrupted run would have.
         */
        public Builder checkpoint(Path file, int everyEpochs) {
            Objects.requireNonNull(file, "file");
            if (everyEpochs < 1) {
                throw new IllegalArgumentException("everyEpochs must be >= 1: " + everyEpochs);
            }
            this.checkpointFile = file;
            this.checkpointEvery = everyEpochs;
            return this;
        }

        /** Called on the driver after every epoch (null: none). */
        public Builder listener(EpochListener listener) {
            this.listener = listener;
            return this;
        }

        /** Test hook: called before every training task. */
        Builder faults(FaultInjector faults) {
            this.faults = faults;
            return this;
        }

        /** The trainer. */
        public SparkTrainer build() {
            return new SparkTrainer(this);
        }
    }
}
