package vecmlp.spark;

import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;
import vecmlp.kernel.Activation;
import vecmlp.nn.Loss;

/**
 * A Spark ML {@link org.apache.spark.ml.Estimator} that trains a vecmlp regression network with
 * {@link SparkTrainer}: an identity output layer with mean squared error, {@code layers} ending with the number
 * of targets. The label column holds one finite number per row (any numeric type) when there is one target, or
 * a Spark ML Vector, {@code array<float>} or {@code array<double>} of that many finite targets (one target may
 * come as a vector too). The params are those of {@link VecmlpEstimator}. Usable as a
 * {@link org.apache.spark.ml.Pipeline} stage; persisted with {@link #write()} and {@link #load}.
 */
public final class VecmlpRegressor extends VecmlpEstimator<VecmlpRegressor, VecmlpRegressionModel> {

    private static final long serialVersionUID = 1L;

    /** An estimator with a random uid. */
    public VecmlpRegressor() {
        this(Identifiable.randomUID("vecmlpRegressor"));
    }

    /** An estimator with the given uid (used by persistence). */
    public VecmlpRegressor(String uid) {
        super(uid, "input width, hidden widths, number of targets");
    }

    @Override
    Activation outputActivation() {
        return Activation.IDENTITY;
    }

    @Override
    Loss loss() {
        return Loss.MSE;
    }

    @Override
    int minOutputs() {
        return 1;
    }

    @Override
    void checkLabelColumn(StructType schema, String labelCol, int outputs) {
        InputPacker.checkTargetColumn(schema, labelCol, outputs);
    }

    @Override
    StructType modelSchema(StructType schema, int outputs) {
        return VecmlpRegressionModel.outputSchema(schema, $(predictionCol()), outputs);
    }

    @Override
    VecmlpRegressionModel newModel(String uid, NetworkSpec spec, float[] parameters) {
        return new VecmlpRegressionModel(uid, spec, parameters);
    }

    /** Reads an estimator saved with {@link #write()}. */
    public static MLReader<VecmlpRegressor> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads an estimator saved with {@code write().save(path)}. */
    public static VecmlpRegressor load(String path) {
        return read().load(path);
    }
}
