package vecmlp.spark;

import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import vecmlp.kernel.Activation;
import vecmlp.nn.Loss;
import vecmlp.optim.Optimizer;

/**
 * A Spark ML {@link Estimator} that trains a vecmlp softmax classifier with {@link SparkTrainer}
 * (data-parallel, synchronous by default, parameter averaging with {@code localSteps > 1}).
 *
 * <p>Params (Spark ML style, {@code setX}/{@code getX}): {@code layers} (input width, hidden widths, number of
 * classes, e.g. {@code [784, 256, 128, 10]}, required), {@code activations} (one per hidden layer, default
 * relu; the output is softmax with cross-entropy), {@code optimizer} ({@code sgd, momentum, nesterov, adam,
 * adamw}, default adam), {@code learningRate} (1e-3), {@code momentum} (0.9, momentum rules), {@code weightDecay}
 * (0), {@code clipNorm} (0: off), {@code batchSize} (128, global), {@code epochs} (10), {@code localSteps} (1:
 * synchronous; K &gt; 1: average every K local steps), {@code seed} (0), {@code featuresCol} ("features"),
 * {@code labelCol} ("label"), {@code predictionCol} ("prediction"), {@code probabilityCol} ("probability").
 * Usable as a {@link org.apache.spark.ml.Pipeline} stage; persisted with {@link #write()} and {@link #load}.
 */
public final class VecmlpClassifier extends Estimator<VecmlpClassificationModel> implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;

    private final IntArrayParam layers;
    private final StringArrayParam activations;
    private final Param<String> optimizer;
    private final DoubleParam learningRate;
    private final DoubleParam momentum;
    private final DoubleParam weightDecay;
    private final DoubleParam clipNorm;
    private final IntParam batchSize;
    private final IntParam epochs;
    private final IntParam localSteps;
    private final LongParam seed;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;

    /** An estimator with a random uid. */
    public VecmlpClassifier() {
        this(Identifiable.randomUID("vecmlpClassifier"));
    }

    /** An estimator with the given uid (used by persistence). */
    public VecmlpClassifier(String uid) {
        this.uid = uid;
        layers = new IntArrayParam(this, "layers", "input width, hidden widths, number of classes");
        activations = new StringArrayParam(this, "activations", "activation of each hidden layer");
        optimizer = new Param<>(this, "optimizer", "sgd, momentum, nesterov, adam or adamw");
        learningRate = new DoubleParam(this, "learningRate", "base learning rate (> 0)");
        momentum = new DoubleParam(this, "momentum", "momentum of the momentum and nesterov rules, in [0, 1)");
        weightDecay = new DoubleParam(this, "weightDecay", "weight decay (>= 0)");
        clipNorm = new DoubleParam(this, "clipNorm", "clip the gradient to this global norm (0: off)");
        batchSize = new IntParam(this, "batchSize", "global mini-batch size (>= 1)");
        epochs = new IntParam(this, "epochs", "passes over the data (>= 1)");
        localSteps = new IntParam(this, "localSteps", "1: synchronous; K > 1: average parameters every K steps");
        seed = new LongParam(this, "seed", "seed of the initial weights and the batch order");
        featuresCol = new Param<>(this, "featuresCol", "features column name");
        labelCol = new Param<>(this, "labelCol", "label column name");
        predictionCol = new Param<>(this, "predictionCol", "prediction column name");
        probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column name");
        setDefault(activations, new String[0]);
        setDefault(optimizer, "adam");
        setDefault(learningRate, 1e-3);
        setDefault(momentum, 0.9);
        setDefault(weightDecay, 0.0);
        setDefault(clipNorm, 0.0);
        setDefault(batchSize, 128);
        setDefault(epochs, 10);
        setDefault(localSteps, 1);
        setDefault(seed, 0L);
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
    }

    /** Param: network shape: input width, hidden widths, number of classes. */
    public IntArrayParam layers() {
        return layers;
    }

    /** Param: activations of the hidden layers (relu, leaky_relu, tanh, sigmoid, identity). */
    public StringArrayParam activations() {
        return activations;
    }

    /** Param: the update rule. */
    public Param<String> optimizer() {
        return optimizer;
    }

    /** Param: base learning rate. */
    public DoubleParam learningRate() {
        return learningRate;
    }

    /** Param: momentum of the momentum and nesterov rules. */
    public DoubleParam momentum() {
        return momentum;
    }

    /** Param: weight decay λ. */
    public DoubleParam weightDecay() {
        return weightDecay;
    }

    /** Param: global gradient-norm clipping (0: off). */
    public DoubleParam clipNorm() {
        return clipNorm;
    }

    /** Param: global mini-batch size. */
    public IntParam batchSize() {
        return batchSize;
    }

    /** Param: passes over the data. */
    public IntParam epochs() {
        return epochs;
    }

    /** Param: 1: synchronous steps; K &gt; 1: parameter averaging every K local steps. */
    public IntParam localSteps() {
        return localSteps;
    }

    /** Param: seed of the initial weights and of the batch order. */
    public LongParam seed() {
        return seed;
    }

    /** Param: features column. */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** Param: label column. */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** Param: output column of the predicted class (double). */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** Param: output column of the class probabilities (vector). */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    @Override
    public String uid() {
        return uid;
    }

    // ------------------------------------------------------------------ setters and getters

    /** Sets {@code layers}. */
    public VecmlpClassifier setLayers(int... value) {
        set(layers, value);
        return this;
    }

    /** Sets {@code activations}. */
    public VecmlpClassifier setActivations(String... value) {
        set(activations, value);
        return this;
    }

    /** Sets {@code optimizer}. */
    public VecmlpClassifier setOptimizer(String value) {
        set(optimizer, value);
        return this;
    }

    /** Sets {@code learningRate}. */
    public VecmlpClassifier setLearningRate(double value) {
        set(learningRate, value);
        return this;
    }

    /** Sets {@code momentum}. */
    public VecmlpClassifier setMomentum(double value) {
        set(momentum, value);
        return this;
    }

    /** Sets {@code weightDecay}. */
    public VecmlpClassifier setWeightDecay(double value) {
        set(weightDecay, value);
        return this;
    }

    /** Sets {@code clipNorm}. */
    public VecmlpClassifier setClipNorm(double value) {
        set(clipNorm, value);
        return this;
    }

    /** Sets {@code batchSize}. */
    public VecmlpClassifier setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /** Sets {@code epochs}. */
    public VecmlpClassifier setEpochs(int value) {
        set(epochs, value);
        return this;
    }

    /** Sets {@code localSteps}. */
    public VecmlpClassifier setLocalSteps(int value) {
        set(localSteps, value);
        return this;
    }

    /** Sets {@code seed}. */
    public VecmlpClassifier setSeed(long value) {
        set(seed, value);
        return this;
    }

    /** Sets {@code featuresCol}. */
    public VecmlpClassifier setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    /** Sets {@code labelCol}. */
    public VecmlpClassifier setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    /** Sets {@code predictionCol}. */
    public VecmlpClassifier setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    /** Sets {@code probabilityCol}. */
    public VecmlpClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    /** {@code layers} (a copy). */
    public int[] getLayers() {
        return ((int[]) $(layers)).clone();
    }

    /** {@code epochs}. */
    public int getEpochs() {
        return (Integer) $(epochs);
    }

    /** {@code batchSize}. */
    public int getBatchSize() {
        return (Integer) $(batchSize);
    }

    // ------------------------------------------------------------------ Estimator

    /** The network these params describe. @throws IllegalArgumentException naming a bad param and its value */
    NetworkSpec networkSpec() {
        if (!isDefined(layers)) {
            throw new IllegalArgumentException("param layers must be set, e.g. [784, 128, 10]");
        }
        int[] l = $(layers);
        if (l.length < 2 || l[l.length - 1] < 2) {
            throw new IllegalArgumentException("param layers needs an input width and >= 2 classes: "
                    + Arrays.toString(l));
        }
        String[] names = $(activations);
        if (names.length != 0 && names.length != l.length - 2) {
            throw new IllegalArgumentException("param activations needs one name per hidden layer ("
                    + (l.length - 2) + "): " + Arrays.toString(names));
        }
        Activation[] acts = new Activation[l.length - 1];
        for (int i = 0; i < acts.length - 1; i++) {
            acts[i] = names.length == 0 ? Activation.RELU : Activation.of(names[i]);
        }
        acts[acts.length - 1] = Activation.SOFTMAX;
        return NetworkSpec.of(l, acts, Loss.CROSS_ENTROPY);
    }

    /** A serializable factory of the optimizer these params describe (checked by building one now). */
    OptimizerFactory optimizerFactory() {
        String rule = $(optimizer).trim().toLowerCase(Locale.ROOT);
        float lr = (float) (double) $(learningRate);
        float mu = (float) (double) $(momentum);
        float decay = (float) (double) $(weightDecay);
        float clip = (float) (double) $(clipNorm);
        if (!(clip >= 0f)) {
            throw new IllegalArgumentException("param clipNorm must be >= 0: " + clip);
        }
        OptimizerFactory f = () -> {
            Optimizer o;
            switch (rule) {
                case "sgd": o = Optimizer.sgd(lr); break;
                case "momentum": o = Optimizer.momentum(lr, mu); break;
                case "nesterov": o = Optimizer.nesterov(lr, mu); break;
                case "adam": o = Optimizer.adam(lr); break;
                case "adamw": o = Optimizer.adamW(lr, decay); break;
                default: throw new IllegalArgumentException("param optimizer must be sgd, momentum, nesterov, adam "
                        + "or adamw: '" + rule + "'");
            }
            if (!rule.equals("adamw")) {
                o.weightDecay(decay);
            }
            return clip > 0f ? o.clipNorm(clip) : o;
        };
        f.create();
        return f;
    }

    /** The trainer these params describe. */
    SparkTrainer trainer() {
        SparkTrainer.Builder b = SparkTrainer.builder(networkSpec(), optimizerFactory())
                .batchSize((Integer) $(batchSize)).epochs((Integer) $(epochs)).seed((Long) $(seed));
        int k = (Integer) $(localSteps);
        if (k > 1) {
            b.averaging(k);
        } else if (k < 1) {
            throw new IllegalArgumentException("param localSteps must be >= 1: " + k);
        }
        return b.build();
    }

    /**
     * Trains on {@code dataset} (see {@link SparkTrainer#fit}) and returns the model with this estimator's
     * column params.
     *
     * @throws InvalidInputException naming column, partition, index and value of the first bad input
     */
    @Override
    public VecmlpClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        SparkTrainer trainer = trainer();
        @SuppressWarnings("unchecked")
        Dataset<Row> rows = (Dataset<Row>) dataset.toDF();
        TrainingResult result = trainer.fit(rows, $(featuresCol), $(labelCol));
        VecmlpClassificationModel model = new VecmlpClassificationModel(uid, networkSpec(),
                result.model().parameters().clone());
        copyValues(model, ParamMap.empty());
        return model.setParent(this);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        InputPacker.checkFeaturesColumn(schema, $(featuresCol));
        InputPacker.checkLabelColumn(schema, $(labelCol));
        networkSpec();
        return VecmlpClassificationModel.outputSchema(schema, $(predictionCol), $(probabilityCol));
    }

    @Override
    public VecmlpClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Reads an estimator saved with {@link #write()}. */
    public static MLReader<VecmlpClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads an estimator saved with {@code write().save(path)}. */
    public static VecmlpClassifier load(String path) {
        return read().load(path);
    }
}
