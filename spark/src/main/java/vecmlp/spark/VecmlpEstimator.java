package vecmlp.spark;

import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import vecmlp.kernel.Activation;
import vecmlp.nn.Loss;
import vecmlp.nn.Normalization;
import vecmlp.optim.Optimizer;

/**
 * What {@link VecmlpClassifier} and {@link VecmlpRegressor} share: the Spark ML params of a vecmlp network and
 * its training, and {@link #fit} with {@link SparkTrainer} (data-parallel, synchronous by default, parameter
 * averaging with {@code localSteps > 1}).
 *
 * <p>Params (Spark ML style, {@code setX}/{@code getX}): {@code layers} (input width, hidden widths, output
 * width, e.g. {@code [784, 256, 128, 10]}, required), {@code activations} (one per hidden layer, default relu;
 * the output layer and loss are fixed by the subclass), {@code dropout} (after each hidden layer, 0: none),
 * {@code normalization} ({@code none}, {@code batch} or {@code layer}, each hidden layer), {@code labelSmoothing}
 * (0), {@code optimizer} ({@code sgd, momentum, nesterov,
 * adam, adamw}, default adam), {@code learningRate} (1e-3), {@code momentum} (0.9, momentum rules),
 * {@code weightDecay} (0), {@code clipNorm} (0: off), {@code batchSize} (128, global), {@code epochs} (10),
 * {@code localSteps} (1: synchronous; K &gt; 1: average every K local steps), {@code seed} (0),
 * {@code featuresCol} ("features"), {@code labelCol} ("label"), {@code weightCol} ("": none; a numeric column of
 * row weights, finite and {@code >= 0}, weighting each step's loss), {@code predictionCol} ("prediction").
 * Not thread-safe while params are being set (as every Spark ML stage).
 *
 * @param <E> the concrete estimator (setters return it)
 * @param <M> the model it fits
 */
public abstract class VecmlpEstimator<E extends VecmlpEstimator<E, M>, M extends Model<M>> extends Estimator<M>
        implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;

    private final IntArrayParam layers;
    private final StringArrayParam activations;
    private final DoubleParam dropout;
    private final Param<String> normalization;
    private final DoubleParam labelSmoothing;
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
    private final Param<String> weightCol;
    private final Param<String> predictionCol;

    /** An estimator with the given uid and the defaults listed in the class comment. */
    protected VecmlpEstimator(String uid, String layersDoc) {
        this.uid = uid;
        layers = new IntArrayParam(this, "layers", layersDoc);
        activations = new StringArrayParam(this, "activations", "activation of each hidden layer");
        dropout = new DoubleParam(this, "dropout", "drop probability after each hidden layer in training, in [0, 1)");
        normalization = new Param<>(this, "normalization", "normalization of each hidden layer: none, batch or layer");
        labelSmoothing = new DoubleParam(this, "labelSmoothing", "label smoothing of the class labels, in [0, 1)");
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
        weightCol = new Param<>(this, "weightCol", "row weight column name (empty: every row weighs 1)");
        predictionCol = new Param<>(this, "predictionCol", "prediction column name");
        setDefault(activations, new String[0]);
        setDefault(dropout, 0.0);
        setDefault(normalization, "none");
        setDefault(labelSmoothing, 0.0);
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
        setDefault(weightCol, "");
        setDefault(predictionCol, "prediction");
    }

    @SuppressWarnings("unchecked")
    private E self() {
        return (E) this;
    }

    /** Param: network shape: input width, hidden widths, output width. */
    public IntArrayParam layers() {
        return layers;
    }

    /**
     * Param: activations of the hidden layers, by the names {@code Activation.of} takes (relu, leaky_relu, tanh,
     * sigmoid, identity, elu, silu, gelu, gelu_tanh, softplus).
     */
    public StringArrayParam activations() {
        return activations;
    }

    /**
     * Param: inverted dropout after each hidden layer in training (0: none); masks keyed by the seed, the step
     * and each row's index in the data, as in core's {@code Trainer}.
     */
    public DoubleParam dropout() {
        return dropout;
    }

    /** Param: normalization of each hidden layer before its activation: {@code none}, {@code batch} or {@code layer}. */
    public Param<String> normalization() {
        return normalization;
    }

    /** Param: label smoothing {@code ε} of the class labels (classifier; 0: none). */
    public DoubleParam labelSmoothing() {
        return labelSmoothing;
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

    /** Param: column of row weights (empty: none). */
    public Param<String> weightCol() {
        return weightCol;
    }

    /** Param: output column of the prediction. */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    @Override
    public String uid() {
        return uid;
    }

    // ------------------------------------------------------------------ setters and getters

    /** Sets {@code layers}. */
    public E setLayers(int... value) {
        set(layers, value);
        return self();
    }

    /** Sets {@code activations}. */
    public E setActivations(String... value) {
        set(activations, value);
        return self();
    }

    /** Sets {@code dropout}. */
    public E setDropout(double value) {
        set(dropout, value);
        return self();
    }

    /** Sets {@code normalization}. */
    public E setNormalization(String value) {
        set(normalization, value);
        return self();
    }

    /** Sets {@code labelSmoothing}. */
    public E setLabelSmoothing(double value) {
        set(labelSmoothing, value);
        return self();
    }

    /** Sets {@code optimizer}. */
    public E setOptimizer(String value) {
        set(optimizer, value);
        return self();
    }

    /** Sets {@code learningRate}. */
    public E setLearningRate(double value) {
        set(learningRate, value);
        return self();
    }

    /** Sets {@code momentum}. */
    public E setMomentum(double value) {
        set(momentum, value);
        return self();
    }

    /** Sets {@code weightDecay}. */
    public E setWeightDecay(double value) {
        set(weightDecay, value);
        return self();
    }

    /** Sets {@code clipNorm}. */
    public E setClipNorm(double value) {
        set(clipNorm, value);
        return self();
    }

    /** Sets {@code batchSize}. */
    public E setBatchSize(int value) {
        set(batchSize, value);
        return self();
    }

    /** Sets {@code epochs}. */
    public E setEpochs(int value) {
        set(epochs, value);
        return self();
    }

    /** Sets {@code localSteps}. */
    public E setLocalSteps(int value) {
        set(localSteps, value);
        return self();
    }

    /** Sets {@code seed}. */
    public E setSeed(long value) {
        set(seed, value);
        return self();
    }

    /** Sets {@code featuresCol}. */
    public E setFeaturesCol(String value) {
        set(featuresCol, value);
        return self();
    }

    /** Sets {@code labelCol}. */
    public E setLabelCol(String value) {
        set(labelCol, value);
        return self();
    }

    /** Sets {@code weightCol} (empty: none). */
    public E setWeightCol(String value) {
        set(weightCol, value);
        return self();
    }

    /** Sets {@code predictionCol}. */
    public E setPredictionCol(String value) {
        set(predictionCol, value);
        return self();
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

    // ------------------------------------------------------------------ what a subclass decides

    /** The output layer's activation. */
    abstract Activation outputActivation();

    /** The loss. */
    abstract Loss loss();

    /** The least output width the task allows (2 classes; 1 target). */
    abstract int minOutputs();

    /** Checks the label column's type (outputs = the output width). */
    abstract void checkLabelColumn(StructType schema, String labelCol, int outputs);

    /** The schema {@link #fit}'s model adds to {@code schema}. */
    abstract StructType modelSchema(StructType schema, int outputs);

    /** The model of a trained network, with this estimator's column params copied by {@link #fit}. */
    abstract M newModel(String uid, NetworkSpec spec, float[] parameters);

    // ------------------------------------------------------------------ Estimator

    /** The network these params describe. @throws IllegalArgumentException naming a bad param and its value */
    NetworkSpec networkSpec() {
        if (!isDefined(layers)) {
            throw new IllegalArgumentException("param layers must be set, e.g. [784, 128, 10]");
        }
        int[] l = $(layers);
        if (l.length < 2 || l[l.length - 1] < minOutputs()) {
            throw new IllegalArgumentException("param layers needs an input width and an output width >= "
                    + minOutputs() + ": " + Arrays.toString(l));
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
        acts[acts.length - 1] = outputActivation();
        double p = (Double) $(dropout);
        if (!(p >= 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("param dropout must be in [0, 1): " + p);
        }
        float[] drops = new float[acts.length];
        Arrays.fill(drops, 0, drops.length - 1, (float) p);
        String norm = $(normalization).trim().toLowerCase(Locale.ROOT);
        if (!norm.equals("none") && !norm.equals("batch") && !norm.equals("layer")) {
            throw new IllegalArgumentException("param normalization must be none, batch or layer: " + $(normalization));
        }
        Normalization[] norms = new Normalization[acts.length];
        Arrays.fill(norms, Normalization.NONE);
        Arrays.fill(norms, 0, norms.length - 1, Normalization.valueOf(norm.toUpperCase(Locale.ROOT)));
        return NetworkSpec.of(l, acts, drops, norms, loss());
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
                .batchSize((Integer) $(batchSize)).epochs((Integer) $(epochs)).seed((Long) $(seed))
                .labelSmoothing((Double) $(labelSmoothing));
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
    public M fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        SparkTrainer trainer = trainer();
        @SuppressWarnings("unchecked")
        Dataset<Row> rows = (Dataset<Row>) dataset.toDF();
        TrainingResult result = trainer.fit(rows, $(featuresCol), $(labelCol), $(weightCol));
        M model = newModel(uid, networkSpec(), result.model().parameters().clone());
        copyValues(model, ParamMap.empty());
        return model.setParent(this);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        InputPacker.checkFeaturesColumn(schema, $(featuresCol));
        NetworkSpec spec = networkSpec();
        checkLabelColumn(schema, $(labelCol), spec.outputSize());
        InputPacker.checkWeightColumn(schema, $(weightCol));
        return modelSchema(schema, spec.outputSize());
    }

    @Override
    public E copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
