package vecmlp.spark;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;
import vecmlp.kernel.Activation;
import vecmlp.nn.Loss;

/**
 * A Spark ML {@link org.apache.spark.ml.Estimator} that trains a vecmlp softmax classifier with
 * {@link SparkTrainer}: the output layer is softmax with cross-entropy, {@code layers} ends with the number of
 * classes (≥ 2) and the label column holds integer class indices in {@code [0, classes)} (any numeric type).
 * The params are those of {@link VecmlpEstimator}, plus {@code probabilityCol} ("probability") for the model.
 * Usable as a {@link org.apache.spark.ml.Pipeline} stage; persisted with {@link #write()} and {@link #load}.
 */
public final class VecmlpClassifier extends VecmlpEstimator<VecmlpClassifier, VecmlpClassificationModel> {

    private static final long serialVersionUID = 1L;

    private final Param<String> probabilityCol;

    /** An estimator with a random uid. */
    public VecmlpClassifier() {
        this(Identifiable.randomUID("vecmlpClassifier"));
    }

    /** An estimator with the given uid (used by persistence). */
    public VecmlpClassifier(String uid) {
        super(uid, "input width, hidden widths, number of classes");
        probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column name");
        setDefault(probabilityCol, "probability");
    }

    /** Param: output column of the class probabilities (vector). */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** Sets {@code probabilityCol}. */
    public VecmlpClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    @Override
    Activation outputActivation() {
        return Activation.SOFTMAX;
    }

    @Override
    Loss loss() {
        return Loss.CROSS_ENTROPY;
    }

    @Override
    int minOutputs() {
        return 2;
    }

    @Override
    void checkLabelColumn(StructType schema, String labelCol, int outputs) {
        InputPacker.checkLabelColumn(schema, labelCol);
    }

    @Override
    StructType modelSchema(StructType schema, int outputs) {
        return VecmlpClassificationModel.outputSchema(schema, $(predictionCol()), $(probabilityCol));
    }

    @Override
    VecmlpClassificationModel newModel(String uid, NetworkSpec spec, float[] parameters) {
        return new VecmlpClassificationModel(uid, spec, parameters);
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
