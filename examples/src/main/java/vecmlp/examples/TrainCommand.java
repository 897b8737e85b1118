package vecmlp.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vecmlp.io.CsvLoader;
import vecmlp.io.IdxLoader;
import vecmlp.io.ModelFile;
import vecmlp.io.Normalizer;
import vecmlp.io.SafeTensors;
import vecmlp.io.Split;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.nn.Normalization;
import vecmlp.nn.Workspace;
import vecmlp.optim.LearningRateSchedule;
import vecmlp.optim.Optimizer;
import vecmlp.train.BatchEvent;
import vecmlp.train.Dataset;
import vecmlp.train.EpochEvent;
import vecmlp.train.History;
import vecmlp.train.Trainer;
import vecmlp.train.TrainingListener;

/**
 * The main job: train an MLP classifier on the bundled digits (or the user's CSV / IDX data), show the
 * progress, report the test accuracy, a confusion matrix and the kernels, write the learning curve as an
 * SVG chart and save the model ({@link ModelFile}) with its input standardization.
 */
final class TrainCommand {

    /** The bundled data set, a classpath resource of this module (see its README), as scikit-learn ships it. */
    static final String DIGITS = "/vecmlp/examples/data/digits.csv.gz";
    /**
     * The same data in IDX files (MNIST's format: pixel bytes, label bytes), which the main job reads: a fresh
     * JVM read them in 45–46 ms against 81–96 ms for parsing the CSV (three runs each of this class's loading
     * method, ad hoc), time the main thread spent waiting before training. {@code PartsTest} checks that both
     * hold the same samples.
     */
    static final String DIGITS_IMAGES = "/vecmlp/examples/data/digits-images-idx3-ubyte";
    static final String DIGITS_LABELS = "/vecmlp/examples/data/digits-labels-idx1-ubyte";

    /** What a run produced, for the caller (and the end-to-end test). */
    static final class Result {
        Mlp mlp;
        History history;
        Split split;
        double testLoss = Double.NaN;
        double testAccuracy = Double.NaN;
        ConfusionMatrix confusion;
        Path chart;
        Path model;
        Path normalizer;
        long trainNanos;
    }

    private TrainCommand() {
    }

    /**
     * Runs the job with the options, printing to {@code out}; {@code terminal} selects the in-place progress
     * bar.
     */
    static Result run(Options o, PrintStream out, boolean terminal) throws IOException {
        return run(o, out, terminal, Preload.NONE);
    }

    /** {@link #run(Options, PrintStream, boolean)}, with the bundled digits taken from {@code preload} if it has them. */
    static Result run(Options o, PrintStream out, boolean terminal, Preload preload) throws IOException {
        Kernels kernels = kernels(o.kernels).withThreads(o.threads);
        String source;
        Dataset data;
        if (o.csv != null) {
            data = csvLoader(o).load(o.csv);
            source = o.csv.toString();
        } else if (o.idxImages != null) {
            data = IdxLoader.load(o.idxImages, o.idxLabels);
            source = o.idxImages + " + " + o.idxLabels;
        } else {
            data = preload.digits();
            source = "the bundled digits (scikit-learn, 8x8 pixels 0..16)";
        }
        if (data.numClasses() < 2) {
            throw new IllegalArgumentException("the data must have at least 2 classes: " + data);
        }
        // A separate test set (MNIST's official 10,000 test images): the files' rows give training and validation only.
        Dataset testFiles = o.idxTestImages != null ? IdxLoader.load(o.idxTestImages, o.idxTestLabels) : null;
        if (testFiles != null && testFiles.cols() != data.cols()) {
            throw new IllegalArgumentException("--idx-test-images has " + testFiles.cols() + " features per sample, "
                    + "the training files " + data.cols());
        }
        int samples = data.rows() + (testFiles != null ? testFiles.rows() : 0);
        int features = data.cols();
        int classes = Math.max(data.numClasses(), testFiles != null ? testFiles.numClasses() : 0);
        Split split = Split.of(data, o.validation, testFiles != null ? 0.0 : o.test, o.seed, true);
        // The split holds copies: dropping the whole set now lets the collector give its memory to the
        // normalized copies below. A large array in fresh memory costs its page faults (MNIST's 188 MB of
        // features: about 0.5 s on the development machine; reused memory: 0.1 s).
        data = null;
        // Statistics from the training split only: the test rows must not leak into the preprocessing.
        Normalizer norm = normalizer(o.normalize, split.train());
        Dataset train = norm.apply(split.train());
        float[] classWeights = o.classWeights == null ? null : classWeights(o.classWeights, train, classes);
        Dataset validation = split.validation().rows() > 0 ? norm.apply(split.validation()) : null;
        Dataset test = testFiles != null ? norm.apply(testFiles) : split.test().rows() > 0 ? norm.apply(split.test())
                : null;

        Mlp.Builder b = Mlp.builder().input(features);
        for (int i = 0; i < o.hidden.length; i++) {
            int h = o.hidden[i];
            boolean blockEnd = o.residual && i > 0 && i % 2 == 0;
            b.dense(h, blockEnd ? Activation.IDENTITY : Activation.of(o.activation));
            if (o.norm.equals("batch")) {
                b.batchNorm();
            } else if (o.norm.equals("layer")) {
                b.layerNorm();
            }
            b.dropout(o.dropout);
            if (blockEnd) {
                b.residual(2);
            }
        }
        Mlp mlp = b.dense(classes, Activation.SOFTMAX).loss(Loss.CROSS_ENTROPY).seed(o.seed)
                .kernels(kernels).build();
        Optimizer optimizer = optimizer(o.optimizer, o.lr).kernels(kernels);
        if (o.schedule.equals("cosine")) {
            long steps = (long) o.epochs * ((train.rows() + o.batch - 1) / o.batch);
            optimizer.schedule(LearningRateSchedule.cosine(steps, 0.0));
        }

        out.printf(Locale.ROOT, "data:      %s: %d samples, %d features, %d classes%n", source, samples,
                features, classes);
        out.printf(Locale.ROOT, "split:     train %d / validation %d / test %d (%s, seed %d), %s%n",
                split.train().rows(), split.validation().rows(), test != null ? test.rows() : 0,
                testFiles != null ? "test: " + o.idxTestImages.getFileName() : "stratified", o.seed,
                o.normalize.equals("pixels") ? "values / 255" : (o.normalize.equals("minmax") ? "scaled to [0, 1]"
                        : "standardized") + " with training statistics");
        out.printf(Locale.ROOT, "model:     %s, %,d parameters, cross-entropy%n", shape(mlp), mlp.parameterCount());
        out.printf(Locale.ROOT, "training:  %s lr %s%s, %d epochs, batch %d%s%s%n", o.optimizer, o.lr,
                o.schedule.equals("cosine") ? " (cosine schedule)" : "", o.epochs, o.batch,
                classWeights == null ? "" : ", class weights " + weights(classWeights),
                train.hasWeights() ? ", row weights from column " + o.weightColumn : "");
        out.printf(Locale.ROOT, "kernels:   %s%n", kernels.description());
        out.flush();

        Trainer.Builder tb = Trainer.builder(mlp, optimizer).epochs(o.epochs).batchSize(o.batch).seed(o.seed)
                .labelSmoothing(o.labelSmoothing);
        if (classWeights != null) {
            tb.classWeights(classWeights);
        }
        if (validation != null) {
            tb.validation(validation);
        }
        if (!o.quiet) {
            int batches = (train.rows() + o.batch - 1) / o.batch;
            tb.listener(new ProgressListener(new ProgressBar(out, terminal, o.epochs, batches, System::nanoTime)));
        }
        Result r = new Result();
        r.mlp = mlp;
        r.split = split;
        long t0 = System.nanoTime();
        r.history = tb.build().fit(train);
        r.trainNanos = System.nanoTime() - t0;
        out.printf(Locale.ROOT, "trained in %.1f s (%s samples/s)%n", r.trainNanos / 1e9,
                ProgressBar.human((double) train.rows() * r.history.epochs().size() / (r.trainNanos / 1e9)));

        if (test != null) {
            double[] lossAcc = Trainer.evaluate(mlp, test, 256);
            r.testLoss = lossAcc[0];
            r.confusion = confusion(mlp, test);
            r.testAccuracy = r.confusion.accuracy();
            out.printf(Locale.ROOT, "%ntest accuracy: %.2f%% (%d of %d), test loss %.4f%n", 100 * r.testAccuracy,
                    r.confusion.correct(), r.confusion.total(), r.testLoss);
            out.println("confusion matrix (rows: true class, columns: predicted):");
            out.print(r.confusion.format());
        }
        out.printf(Locale.ROOT, "kernels used: %s%n", kernels.description());

        r.chart = o.out.resolve("learning-curve.svg");
        chart(r.history, "vecmlp: " + shape(mlp) + " on " + (o.csv != null ? o.csv.getFileName()
                : o.idxImages != null ? o.idxImages.getFileName() : "digits") + ", learning curve").write(r.chart);
        out.println("learning curve: " + r.chart);
        if (o.save) {
            r.model = o.out.resolve("model.safetensors");
            r.normalizer = o.out.resolve("normalizer.safetensors");
            ModelFile.save(mlp, r.model);
            saveNormalizer(norm, r.normalizer);
            out.println("model: " + r.model + " (load with vecmlp.io.ModelFile.load; inputs are standardized with "
                    + r.normalizer + ")");
        }
        out.flush();
        return r;
    }

    /**
     * Writes the input standardization as a safetensors file with two float tensors of the input width,
     * {@code shift} and {@code factor}: a raw input {@code x} goes to the network as {@code (x − shift) · factor}.
     */
    private static Normalizer normalizer(String how, Dataset train) {
        switch (how) {
            case "minmax":
                return Normalizer.minMax(train);
            case "pixels":
                return Normalizer.scale(train.cols(), 1f / 255f);
            default:
                return Normalizer.standardize(train);
        }
    }

    static void saveNormalizer(Normalizer norm, Path file) throws IOException {
        float[] shift = new float[norm.cols()];
        float[] factor = new float[norm.cols()];
        for (int j = 0; j < norm.cols(); j++) {
            shift[j] = norm.shift(j);
            factor[j] = norm.factor(j);
        }
        SafeTensors.of(Map.of("vecmlp.examples.normalizer", "standardize: x' = (x - shift) * factor"),
                List.of(SafeTensors.Tensor.vector("shift", shift), SafeTensors.Tensor.vector("factor", factor)))
                .write(file);
    }

    /** The bundled digits, from their IDX files. */
    static Dataset loadDigits() throws IOException {
        try (InputStream images = resource(DIGITS_IMAGES); InputStream labels = resource(DIGITS_LABELS)) {
            return IdxLoader.load(images, "digits-images-idx3-ubyte", labels, "digits-labels-idx1-ubyte");
        }
    }

    /** The bundled digits, from scikit-learn's CSV file. */
    static Dataset loadDigitsCsv() throws IOException {
        try (InputStream in = resource(DIGITS)) {
            return CsvLoader.create().load(in, "digits.csv.gz");
        }
    }

    private static InputStream resource(String name) {
        InputStream in = TrainCommand.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("resource " + name + " is missing from the class path");
        }
        return in;
    }

    private static CsvLoader csvLoader(Options o) {
        CsvLoader l = CsvLoader.create().withHeader(o.csvHeader);
        try {
            l = l.withLabelColumn(Integer.parseInt(o.labelColumn.strip()));
        } catch (NumberFormatException e) {
            l = l.withLabelColumn(o.labelColumn);
        }
        if (o.weightColumn == null) {
            return l;
        }
        try {
            return l.withWeightColumn(Integer.parseInt(o.weightColumn.strip()));
        } catch (NumberFormatException e) {
            return l.withWeightColumn(o.weightColumn);
        }
    }

    private static String weights(float[] w) {
        StringBuilder sb = new StringBuilder();
        for (float v : w) {
            sb.append(sb.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3g", v));
        }
        return sb.toString();
    }

    /**
     * {@code --class-weights}: the numbers given (one per class), or {@code balanced}: {@code n / (k · n_c)} for
     * the {@code n} rows of the training split, {@code k} classes and {@code n_c} rows of class c (0 for a class
     * absent from the split).
     */
    static float[] classWeights(String spec, Dataset train, int classes) {
        float[] w = new float[classes];
        if (spec.strip().equals("balanced")) {
            long[] count = new long[classes];
            for (int label : train.labels()) {
                count[label]++;
            }
            for (int c = 0; c < classes; c++) {
                w[c] = count[c] == 0 ? 0f : (float) ((double) train.rows() / ((double) classes * count[c]));
            }
            return w;
        }
        String[] parts = spec.split(",", -1);
        if (parts.length != classes) {
            throw new IllegalArgumentException("--class-weights has " + parts.length + " weights, the data "
                    + classes + " classes: '" + spec + "'");
        }
        for (int c = 0; c < classes; c++) {
            w[c] = Float.parseFloat(parts[c].strip());
        }
        return w;
    }

    static Kernels kernels(String name) {
        switch (name) {
            case "scalar":
                return Kernels.scalar();
            case "simd":
                if (!Kernels.isSimdAvailable()) {
                    throw new IllegalArgumentException("--kernels simd needs the Vector API: start java with "
                            + "--add-modules jdk.incubator.vector");
                }
                return Kernels.simd();
            default:
                return Kernels.get();
        }
    }

    static Optimizer optimizer(String name, float lr) {
        switch (name) {
            case "sgd":
                return Optimizer.sgd(lr);
            case "momentum":
                return Optimizer.momentum(lr, 0.9f);
            case "adamw":
                return Optimizer.adamW(lr, 0.01f);
            default:
                return Optimizer.adam(lr);
        }
    }

    static String shape(Mlp mlp) {
        StringBuilder s = new StringBuilder();
        for (int n : mlp.layerSizes()) {
            s.append(s.length() == 0 ? "" : "-").append(n);
        }
        s.append(" MLP");
        Activation hidden = mlp.activation(0);
        if (mlp.layerCount() >= 2 && !hidden.equals(Activation.RELU)) {
            s.append(", ").append(hidden);
        }
        if (mlp.normalization(0) != Normalization.NONE) {
            s.append(mlp.normalization(0) == Normalization.BATCH ? ", batch norm" : ", layer norm");
        }
        if (mlp.layerCount() >= 2 && mlp.residualSource(mlp.layerCount() - 2) != Mlp.NO_RESIDUAL) {
            s.append(", residual blocks");
        }
        float p = mlp.dropout(0);
        return p > 0f ? s.append(", dropout ").append(p).append(" after each hidden layer").toString() : s.toString();
    }

    static ConfusionMatrix confusion(Mlp mlp, Dataset data) {
        int batch = Math.min(256, data.rows());
        Workspace ws = mlp.newWorkspace(batch);
        int[] predicted = new int[data.rows()];
        for (int from = 0; from < data.rows(); from += batch) {
            int rows = Math.min(batch, data.rows() - from);
            mlp.predictClasses(data.features(), from * data.cols(), rows, predicted, from, ws);
        }
        ConfusionMatrix m = new ConfusionMatrix(data.numClasses());
        m.add(data.labels(), predicted);
        return m;
    }

    /** The learning curve: loss and accuracy per epoch, training and validation. */
    static SvgChart chart(History h, String title) {
        List<History.Epoch> epochs = h.epochs();
        int n = epochs.size();
        double[] x = new double[n];
        double[] trainLoss = new double[n];
        double[] valLoss = new double[n];
        double[] trainAcc = new double[n];
        double[] valAcc = new double[n];
        for (int i = 0; i < n; i++) {
            History.Epoch e = epochs.get(i);
            x[i] = e.epoch() + 1;
            trainLoss[i] = e.trainLoss();
            valLoss[i] = e.validationLoss();
            trainAcc[i] = 100 * e.trainAccuracy();
            valAcc[i] = 100 * e.validationAccuracy();
        }
        SvgChart c = new SvgChart(title);
        SvgChart.Panel loss = c.panel("Loss", "epoch", "cross-entropy loss").series("training", x, trainLoss);
        SvgChart.Panel acc = c.panel("Accuracy", "epoch", "accuracy (%)").series("training", x, trainAcc);
        if (n > 0 && !Double.isNaN(valLoss[0])) {
            loss.series("validation", x, valLoss);
            acc.series("validation", x, valAcc);
        }
        return c;
    }

    /** Feeds the trainer's events to the progress bar. */
    private static final class ProgressListener implements TrainingListener {
        private final ProgressBar bar;

        ProgressListener(ProgressBar bar) {
            this.bar = bar;
        }

        @Override
        public void onBatchEnd(BatchEvent e) {
            bar.batch(e.epoch(), e.batch(), e.batchSize(), e.runningLoss(), e.runningAccuracy());
        }

        @Override
        public void onEpochEnd(EpochEvent e) {
            bar.epoch(e.epoch(), e.trainLoss(), e.trainAccuracy(), e.validationLoss(), e.validationAccuracy());
        }
    }
}
