package vecmlp.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.nn.Normalization;
import vecmlp.nn.Rng;
import vecmlp.nn.Workspace;
import vecmlp.optim.Optimizer;

/**
 * Mini-batch training of an {@link Mlp} with an {@link Optimizer}: epochs over the training set in an order
 * shuffled by a seeded {@link Rng}, optional validation (a separate set, or a seeded split of the training
 * set), loss and accuracy per epoch, early stopping with patience that restores the best parameters, and
 * {@link TrainingListener}s. Build with {@link #builder(Mlp, Optimizer)}, run with {@link #fit(Dataset)}.
 *
 * <p><b>Determinism.</b> The order of epoch {@code e} is a function of the seed and {@code e} only
 * ({@link #epochOrderSeed(long, int)}), and every update is a fixed sequence of kernel calls, so the same seed,
 * data, model and optimizer give bit-identical parameters. Dropout masks are drawn from the seed, the step
 * {@code epoch · batchesPerEpoch + batch} and each row's index in the training set
 * ({@link Workspace#setTrainingPass}), never from the thread count or the timing. A run restored from a checkpoint (parameters and
 * optimizer state, taken at the end of batch {@code j} of epoch {@code e}) continues bit-identically with
 * {@link Builder#startAt(int, int) startAt(e, j + 1)} (or {@code startAt(e + 1, 0)} after an epoch's last batch);
 * only the resumed epoch's running loss and accuracy then cover fewer batches.
 *
 * <p><b>Accuracy</b> is reported for labelled data sets and for cross-entropy on target rows (argmax);
 * otherwise NaN. <b>Errors:</b> the data are checked against the model before anything changes; a non-finite
 * loss or gradient ends training with a {@link NonFiniteLossException} (unless a listener skips the batch),
 * with the parameters as before that batch. The workspace and batch buffers are allocated once per
 * {@code fit}; a step allocates nothing. Not thread-safe; {@code fit} runs on the calling thread. The
 * optimizer updates with its own kernels ({@link Optimizer#kernels}): give it {@code mlp.kernels()} for a run
 * that uses one implementation throughout (e.g. scalar only).
 */
public final class Trainer {

    private final Mlp mlp;
    private final Optimizer optimizer;
    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final float labelSmoothing;
    private final float[] classWeights;
    private final Dataset validation;
    private final double validationSplit;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private final int startEpoch;
    private final int startBatch;
    private final TrainingListener[] listeners;

    private Trainer(Builder b) {
        this.mlp = b.mlp;
        this.optimizer = b.optimizer;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.validation = b.validation;
        this.validationSplit = b.validationSplit;
        this.patience = b.patience;
        this.minDelta = b.minDelta;
        this.restoreBest = b.restoreBest;
        this.startEpoch = b.startEpoch;
        this.labelSmoothing = b.labelSmoothing;
        this.classWeights = b.classWeights;
        this.startBatch = b.startBatch;
        this.listeners = b.listeners.toArray(new TrainingListener[0]);
    }

    /** A builder for training {@code mlp} with {@code optimizer}. */
    public static Builder builder(Mlp mlp, Optimizer optimizer) {
        return new Builder(mlp, optimizer);
    }

    /** The seed of the shuffling {@link Rng} of epoch {@code epoch} for a run with seed {@code seed}. */
    public static long epochOrderSeed(long seed, int epoch) {
        return Rng.derive(seed, 1_000_003L + epoch);
    }

    /**
     * Trains the model in place and returns what happened.
     *
     * @throws IllegalArgumentException if the data do not fit the model (width, labels, target columns) or
     *                                  are empty; nothing is changed then
     * @throws NonFiniteLossException   if a loss or gradient became NaN or infinite
     */
    public History fit(Dataset train) {
        Objects.requireNonNull(train, "train");
        Dataset trainSet = train;
        Dataset validSet = validation;
        if (validationSplit > 0.0) {
            int[] order = identity(train.rows());
            new Rng(Rng.derive(seed, 7L)).shuffle(order, order.length);
            int nValid = (int) Math.round(train.rows() * validationSplit);
            if (nValid < 1 || nValid >= train.rows()) {
                throw new IllegalArgumentException("validationSplit " + validationSplit + " of " + train.rows()
                        + " rows leaves no training or no validation rows");
            }
            int[] trainIdx = java.util.Arrays.copyOfRange(order, 0, train.rows() - nValid);
            int[] validIdx = java.util.Arrays.copyOfRange(order, train.rows() - nValid, train.rows());
            java.util.Arrays.sort(trainIdx);
            java.util.Arrays.sort(validIdx);
            trainSet = train.subset(trainIdx);
            validSet = train.subset(validIdx);
        }
        checkData("train", trainSet);
        if (trainSet.rows() < 1) {
            throw new IllegalArgumentException("train has no rows: 0");
        }
        if (validSet != null) {
            checkData("validation", validSet);
        }

        int n0 = mlp.inputSize();
        int nL = mlp.outputSize();
        int rows = trainSet.rows();
        int batchesPerEpoch = (rows + batchSize - 1) / batchSize;
        if (startBatch >= batchesPerEpoch) {
            throw new IllegalArgumentException("startBatch must be < batches per epoch " + batchesPerEpoch + ": "
                    + startBatch);
        }
        if (rows % batchSize == 1 || rows == 1) {
            for (int l = 0; l < mlp.layerCount(); l++) {
                if (mlp.normalization(l) == Normalization.BATCH) {
                    throw new IllegalArgumentException("the last batch of an epoch would have 1 row (" + rows
                            + " training rows, batch size " + batchSize + "), which batch normalization (layer " + l
                            + ") cannot normalize with its own statistics: choose another batch size");
                }
            }
        }
        boolean smooth = labelSmoothing > 0f && trainSet.hasLabels();
        if (labelSmoothing > 0f && (mlp.loss() != Loss.CROSS_ENTROPY || !trainSet.hasLabels())) {
            throw new IllegalArgumentException("labelSmoothing " + labelSmoothing + " needs a cross-entropy network "
                    + "trained on class labels: loss " + mlp.loss() + ", " + (trainSet.hasLabels() ? "labels"
                    : "target rows"));
        }
        if (classWeights != null) {
            if (!trainSet.hasLabels() || classWeights.length != mlp.numClasses()) {
                throw new IllegalArgumentException("classWeights has " + classWeights.length + " values: it needs "
                        + "training data with class labels and one weight per class of the model ("
                        + mlp.numClasses() + "); train has " + (trainSet.hasLabels() ? "labels" : "target rows"));
            }
            if (smooth) {
                throw new IllegalArgumentException("classWeights together with labelSmoothing " + labelSmoothing
                        + " is not supported: PyTorch weights each smoothed class term separately, which per-row "
                        + "weights cannot express");
            }
        }
        int maxBatch = Math.min(batchSize, Math.max(rows, validSet == null ? 1 : validSet.rows()));
        Workspace ws = mlp.newWorkspace(Math.max(1, maxBatch));
        float[] grad = mlp.newGradients();
        float[] xBatch = new float[maxBatch * n0];
        int[] lBatch = trainSet.hasLabels() ? new int[maxBatch] : null;
        float[] tBatch = trainSet.hasLabels() && !smooth ? null : new float[maxBatch * nL];
        boolean weighted = trainSet.hasWeights() || classWeights != null
                || (validSet != null && validSet.hasWeights());
        float[] wBatch = weighted ? new float[maxBatch] : null;
        int[] order = identity(rows);
        float[] params = mlp.parameters();
        float[] best = patience > 0 && restoreBest ? new float[params.length] : null;
        boolean accuracyApplies = trainSet.hasLabels() || mlp.loss() == Loss.CROSS_ENTROPY;

        BatchEvent be = new BatchEvent();
        be.epochs = epochs;
        EpochEvent ee = new EpochEvent();
        List<History.Epoch> records = new ArrayList<>();
        long start = System.nanoTime();
        long total = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        int sinceBest = 0;
        History.StopReason reason = History.StopReason.COMPLETED;

        epochLoop:
        for (int epoch = startEpoch; epoch < epochs; epoch++) {
            long epochStart = System.nanoTime();
            identityInPlace(order);
            if (shuffle) {
                new Rng(epochOrderSeed(seed, epoch)).shuffle(order, rows);
            }
            double lossSum = 0.0;
            double weightSeen = 0.0;
            long correct = 0;
            long seen = 0;
            for (int batch = epoch == startEpoch ? startBatch : 0; batch < batchesPerEpoch; batch++) {
                int from = batch * batchSize;
                int b = Math.min(batchSize, rows - from);
                gather(trainSet, order, from, b, xBatch, lBatch, tBatch);
                float lr = optimizer.learningRate();
                ws.setTrainingPass(seed, (long) epoch * batchesPerEpoch + batch, order, from);
                if (wBatch != null) {
                    rowWeights(trainSet, classWeights, order, from, b, wBatch);
                    ws.setRowWeights(wBatch, 0);
                }
                if (smooth) {
                    Loss.smoothedTargets(lBatch, 0, b, nL, labelSmoothing, tBatch);
                }
                float loss = lBatch != null && !smooth
                        ? mlp.computeGradient(xBatch, 0, b, lBatch, 0, grad, ws)
                        : mlp.computeGradient(xBatch, 0, b, tBatch, 0, grad, ws);
                fillBatchEvent(be, epoch, batch, batchesPerEpoch, b, from + b, seen + b, rows, total + b, loss, lossSum,
                        weightSeen, correct, accuracyApplies, ws, lr, start, epochStart);
                if (!Float.isFinite(loss)) {
                    if (skip(be)) {
                        continue;
                    }
                    throw new NonFiniteLossException(epoch, batch, "loss", loss);
                }
                try {
                    optimizer.step(params, grad);
                } catch (ArithmeticException e) {
                    if (skip(be)) {
                        continue;
                    }
                    NonFiniteLossException ex = new NonFiniteLossException(epoch, batch, "gradient norm",
                            optimizer.lastGradientNorm());
                    ex.initCause(e);
                    throw ex;
                }
                seen += b;
                total += b;
                lossSum += loss * ws.lastWeight(); // the batch's weight: b rows if unweighted
                weightSeen += ws.lastWeight();
                correct += ws.lastCorrect();
                be.runningLoss = lossSum / weightSeen;
                be.runningAccuracy = accuracyApplies ? (double) correct / seen : Double.NaN;
                be.step = optimizer.stepCount();
                long now = System.nanoTime(); // one reading, so elapsed ≥ epoch elapsed
                be.elapsedNanos = now - start;
                be.epochElapsedNanos = now - epochStart;
                for (TrainingListener l : listeners) {
                    l.onBatchEnd(be);
                }
                if (be.stopRequested) {
                    reason = History.StopReason.LISTENER;
                    records.add(new History.Epoch(epoch, lossSum / weightSeen, accuracyApplies ? (double) correct / seen
                            : Double.NaN, Double.NaN, Double.NaN, System.nanoTime() - epochStart));
                    break epochLoop;
                }
            }
            double trainLoss = seen > 0 ? lossSum / weightSeen : Double.NaN;
            double trainAcc = accuracyApplies && seen > 0 ? (double) correct / seen : Double.NaN;
            double validLoss = Double.NaN;
            double validAcc = Double.NaN;
            if (validSet != null) {
                double[] result = evaluate(mlp, validSet, ws, xBatch, lBatch, tBatch, classWeights, wBatch);
                validLoss = result[0];
                validAcc = validSet.hasLabels() || mlp.loss() == Loss.CROSS_ENTROPY ? result[1] : Double.NaN;
            }
            History.Epoch record = new History.Epoch(epoch, trainLoss, trainAcc, validLoss, validAcc,
                    System.nanoTime() - epochStart);
            records.add(record);
            double monitored = validSet != null ? validLoss : trainLoss;
            if (monitored < bestLoss - minDelta) {
                bestLoss = monitored;
                bestEpoch = epoch;
                sinceBest = 0;
                if (best != null) {
                    System.arraycopy(params, 0, best, 0, params.length);
                }
            } else {
                sinceBest++;
            }
            ee.epoch = epoch;
            ee.epochs = epochs;
            ee.record = record;
            ee.bestEpoch = bestEpoch;
            ee.elapsedNanos = System.nanoTime() - start;
            for (TrainingListener l : listeners) {
                l.onEpochEnd(ee);
            }
            if (ee.stopRequested) {
                reason = History.StopReason.LISTENER;
                break;
            }
            if (patience > 0 && sinceBest >= patience) {
                reason = History.StopReason.EARLY_STOPPING;
                break;
            }
        }
        boolean restored = false;
        if (best != null && bestEpoch >= 0) {
            System.arraycopy(best, 0, params, 0, params.length);
            restored = true;
        }
        return new History(records, reason, bestEpoch, restored);
    }

    private boolean skip(BatchEvent be) {
        boolean skip = false;
        for (TrainingListener l : listeners) {
            skip |= l.skipNonFiniteBatch(be);
        }
        return skip;
    }

    private static void fillBatchEvent(BatchEvent be, int epoch, int batch, int batches, int b, long position,
                                       long seenInEpoch, int rows, long total, float loss, double lossSum,
                                       double weightSeen, long correct, boolean accuracyApplies, Workspace ws, float lr,
                                       long start, long epochStart) {
        be.epoch = epoch;
        be.batch = batch;
        be.batchesPerEpoch = batches;
        be.batchSize = b;
        be.samplesSeenInEpoch = position;
        be.samplesPerEpoch = rows;
        be.totalSamplesSeen = total;
        be.batchLoss = loss;
        be.runningLoss = (lossSum + loss * ws.lastWeight()) / (weightSeen + ws.lastWeight());
        be.runningAccuracy = accuracyApplies ? (double) (correct + ws.lastCorrect()) / seenInEpoch : Double.NaN;
        be.learningRate = lr;
        long now = System.nanoTime();
        be.elapsedNanos = now - start;
        be.epochElapsedNanos = now - epochStart;
        be.stopRequested = false;
    }

    /**
     * The mean loss and accuracy of {@code mlp} on {@code data} (forward passes in batches of up to
     * {@code batchSize} rows): {@code {loss, accuracy}}, accuracy NaN where it does not apply. With row weights
     * ({@link Dataset#withWeights}) the loss is their weighted mean; the accuracy counts every row once.
     */
    public static double[] evaluate(Mlp mlp, Dataset data, int batchSize) {
        Objects.requireNonNull(mlp, "mlp");
        Objects.requireNonNull(data, "data");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
        }
        checkData(mlp, "data", data);
        if (data.rows() < 1) {
            throw new IllegalArgumentException("data has no rows: 0");
        }
        int b = Math.min(batchSize, data.rows());
        Workspace ws = mlp.newWorkspace(b);
        double[] r = evaluate(mlp, data, ws, new float[b * mlp.inputSize()], data.hasLabels() ? new int[b] : null,
                data.hasLabels() ? null : new float[b * mlp.outputSize()], null,
                data.hasWeights() ? new float[b] : null);
        if (!data.hasLabels() && mlp.loss() != Loss.CROSS_ENTROPY) {
            r[1] = Double.NaN;
        }
        return r;
    }

    private static double[] evaluate(Mlp mlp, Dataset data, Workspace ws, float[] xBatch, int[] lBatch, float[] tBatch,
                                     float[] classWeights, float[] wBatch) {
        int rows = data.rows();
        int maxB = ws.maxBatch();
        double lossSum = 0.0;
        double weightSum = 0.0;
        long correct = 0;
        int n0 = mlp.inputSize();
        int nL = mlp.outputSize();
        boolean weighted = data.hasWeights() || (classWeights != null && data.hasLabels());
        for (int from = 0; from < rows; from += maxB) {
            int b = Math.min(maxB, rows - from);
            if (weighted) {
                rowWeights(data, data.hasLabels() ? classWeights : null, null, from, b, wBatch);
                ws.setRowWeights(wBatch, 0);
            }
            float loss;
            // Contiguous rows: read the data set's arrays in place, no copy.
            if (data.hasLabels()) {
                loss = mlp.evaluateLoss(data.features(), from * n0, b, data.labels(), from, ws);
            } else {
                loss = mlp.evaluateLoss(data.features(), from * n0, b, data.targets(), from * nL, ws);
            }
            lossSum += loss * ws.lastWeight(); // b if unweighted
            weightSum += ws.lastWeight();
            correct += ws.lastCorrect();
        }
        return new double[] {lossSum / weightSum, (double) correct / rows};
    }

    /**
     * The weights of rows {@code order[from .. from+b)} ({@code from ..} in order if {@code order} is null) into
     * {@code w[0 .. b)}: the data set's row weight (1 if none) times the class weight of the row's label (1 if
     * none).
     */
    private static void rowWeights(Dataset d, float[] classWeights, int[] order, int from, int b, float[] w) {
        float[] dw = d.weights();
        int[] labels = d.labels();
        for (int r = 0; r < b; r++) {
            int i = order == null ? from + r : order[from + r];
            float v = dw == null ? 1f : dw[i];
            w[r] = classWeights == null ? v : v * classWeights[labels[i]];
        }
    }

    private void checkData(String name, Dataset d) {
        checkData(mlp, name, d);
    }

    private static void checkData(Mlp mlp, String name, Dataset d) {
        if (d.cols() != mlp.inputSize()) {
            throw new IllegalArgumentException(name + " has " + d.cols() + " columns; the model's input size is "
                    + mlp.inputSize());
        }
        if (d.hasLabels()) {
            int[] labels = d.labels();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= mlp.numClasses()) {
                    throw new IllegalArgumentException(name + " label of row " + i + " must be in [0, "
                            + mlp.numClasses() + "): " + labels[i]);
                }
            }
        } else if (d.targetCols() != mlp.outputSize()) {
            throw new IllegalArgumentException(name + " has " + d.targetCols()
                    + " target columns; the model's output size is " + mlp.outputSize());
        }
    }

    private static void gather(Dataset d, int[] order, int from, int b, float[] x, int[] labels, float[] targets) {
        int cols = d.cols();
        float[] f = d.features();
        for (int r = 0; r < b; r++) {
            int i = order[from + r];
            System.arraycopy(f, i * cols, x, r * cols, cols);
            if (labels != null) {
                labels[r] = d.labels()[i];
            } else {
                int tc = d.targetCols();
                System.arraycopy(d.targets(), i * tc, targets, r * tc, tc);
            }
        }
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        identityInPlace(a);
        return a;
    }

    private static void identityInPlace(int[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
    }

    /** Settings of a {@link Trainer}. Defaults: 10 epochs, batch 32, seed 0, shuffling on, no validation, no early stopping. */
    public static final class Builder {
        private final Mlp mlp;
        private final Optimizer optimizer;
        private int epochs = 10;
        private int batchSize = 32;
        private long seed;
        private boolean shuffle = true;
        private Dataset validation;
        private double validationSplit;
        private int patience;
        private double minDelta;
        private boolean restoreBest = true;
        private float labelSmoothing;
        private float[] classWeights;
        private int startEpoch;
        private int startBatch;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder(Mlp mlp, Optimizer optimizer) {
            this.mlp = Objects.requireNonNull(mlp, "mlp");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        /** Epochs to run, ≥ 1 (counted from 0, so with {@link #startEpoch} {@code s} the run covers {@code s .. epochs−1}). */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1: " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Rows per mini-batch, ≥ 1 (the last batch of an epoch may be smaller). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** The seed of the shuffling and of the validation split. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Label smoothing {@code ε ∈ [0, 1)} for a cross-entropy network trained on class labels (PyTorch's
         * {@code CrossEntropyLoss(label_smoothing=ε)}): each label {@code c} of {@code K} classes becomes the target
         * row {@code (1 − ε)·onehot(c) + ε/K}. Default 0. Validation and {@link #evaluate} use the plain labels.
         */
        public Builder labelSmoothing(double epsilon) {
            if (!(epsilon >= 0.0 && epsilon < 1.0)) {
                throw new IllegalArgumentException("labelSmoothing epsilon must be in [0, 1): " + epsilon);
            }
            this.labelSmoothing = (float) epsilon;
            return this;
        }

        /**
         * Class weights for a classifier trained on labels: each row's loss counts with the weight of its label
         * (times its {@link Dataset#withWeights row weight}, if any), and each batch's loss is the weighted mean,
         * as PyTorch's {@code CrossEntropyLoss(weight=…)}; the validation loss is weighted the same way. For
         * imbalanced classes, e.g. weights inversely proportional to the class frequencies. One weight per class
         * of the model (checked by {@code fit}); not with {@link #labelSmoothing}. Copied.
         *
         * @throws IllegalArgumentException if a weight is negative or not finite, or all are 0
         */
        public Builder classWeights(float... weights) {
            Objects.requireNonNull(weights, "weights");
            boolean positive = false;
            for (int c = 0; c < weights.length; c++) {
                if (!(weights[c] >= 0f) || weights[c] == Float.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("classWeights[" + c + "] must be finite and >= 0: "
                            + weights[c]);
                }
                positive |= weights[c] > 0f;
            }
            if (!positive) {
                throw new IllegalArgumentException("classWeights must not all be 0: " + Arrays.toString(weights));
            }
            this.classWeights = weights.clone();
            return this;
        }

        /** Whether to shuffle the rows every epoch (default true). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** A separate validation set, evaluated after every epoch. */
        public Builder validation(Dataset validation) {
            this.validation = Objects.requireNonNull(validation, "validation");
            this.validationSplit = 0.0;
            return this;
        }

        /** Hold out this fraction (in (0, 1)) of the training rows, chosen by the seed, for validation. */
        public Builder validationSplit(double fraction) {
            if (!(fraction > 0.0 && fraction < 1.0)) {
                throw new IllegalArgumentException("fraction must be in (0, 1): " + fraction);
            }
            this.validationSplit = fraction;
            this.validation = null;
            return this;
        }

        /**
         * Stop when the monitored loss (validation if any, else training) has not improved by more than
         * {@code minDelta} for {@code patience ≥ 1} epochs; when {@code fit} returns (however training ended,
         * except by an exception) the parameters of the best epoch are restored (see {@link #restoreBestWeights}).
         */
        public Builder earlyStopping(int patience, double minDelta) {
            if (patience < 1) {
                throw new IllegalArgumentException("patience must be >= 1: " + patience);
            }
            if (!(minDelta >= 0.0)) {
                throw new IllegalArgumentException("minDelta must be >= 0: " + minDelta);
            }
            this.patience = patience;
            this.minDelta = minDelta;
            return this;
        }

        /** {@link #earlyStopping(int, double)} with {@code minDelta = 0}. */
        public Builder earlyStopping(int patience) {
            return earlyStopping(patience, 0.0);
        }

        /** Whether early stopping restores the best epoch's parameters at the end (default true). */
        public Builder restoreBestWeights(boolean restore) {
            this.restoreBest = restore;
            return this;
        }

        /** The first epoch to run (0-based; default 0), to resume from a checkpoint taken after epoch {@code start − 1}. */
        public Builder startEpoch(int start) {
            return startAt(start, 0);
        }

        /**
         * Resume at batch {@code batch} of epoch {@code epoch} (both 0-based), from a checkpoint taken after the
         * previous batch: that epoch's shuffled order is recomputed from the seed and its first {@code batch}
         * batches are skipped. {@code batch} must be below the number of batches per epoch.
         */
        public Builder startAt(int epoch, int batch) {
            if (epoch < 0) {
                throw new IllegalArgumentException("startEpoch must be >= 0: " + epoch);
            }
            if (batch < 0) {
                throw new IllegalArgumentException("startBatch must be >= 0: " + batch);
            }
            this.startEpoch = epoch;
            this.startBatch = batch;
            return this;
        }

        /** Adds a listener (called in the order added). */
        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The trainer. */
        public Trainer build() {
            if (startEpoch >= epochs) {
                throw new IllegalArgumentException("startEpoch " + startEpoch + " must be < epochs " + epochs);
            }
            return new Trainer(this);
        }
    }
}
