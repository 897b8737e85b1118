package vecmlp.spark;

import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;

/**
 * A trained vecmlp regression network as a Spark ML {@link org.apache.spark.ml.Model}: {@link #transform}
 * appends the network's outputs in {@code predictionCol}, a double for one target and a vector for several,
 * computed with core's batched inference per partition (see {@link VecmlpModel}). Persisted with
 * {@link #write()} and {@link #load} (the network as a vecmlp safetensors file). Immutable apart from its params;
 * thread-safe for transforms.
 */
public final class VecmlpRegressionModel extends VecmlpModel<VecmlpRegressionModel> {

    private static final long serialVersionUID = 1L;

    VecmlpRegressionModel(String uid, NetworkSpec spec, float[] parameters) {
        super(uid, spec, parameters);
    }

    /** A model of an existing network trained with mean squared error (copied), e.g. from {@link SparkTrainer}. */
    public static VecmlpRegressionModel of(Mlp network) {
        return of(Identifiable.randomUID("vecmlpRegressionModel"), network);
    }

    private static VecmlpRegressionModel of(String uid, Mlp network) {
        if (network.loss() != Loss.MSE) {
            throw new IllegalArgumentException("network must be trained with mse: " + network);
        }
        return new VecmlpRegressionModel(uid, NetworkSpec.of(network), network.parameters().clone());
    }

    /** The number of targets (outputs per row). */
    public int numTargets() {
        return spec.outputSize();
    }

    static StructType outputSchema(StructType schema, String predictionCol, int outputs) {
        if (predictionCol.isEmpty()) {
            return schema;
        }
        if (Arrays.asList(schema.fieldNames()).contains(predictionCol)) {
            throw new IllegalArgumentException("output column '" + predictionCol + "' already exists in "
                    + Arrays.toString(schema.fieldNames()));
        }
        return schema.add(predictionCol, outputs == 1 ? DataTypes.DoubleType : SQLDataTypes.VectorType(), false);
    }

    @Override
    StructType outputSchema(StructType schema) {
        return outputSchema(schema, $(predictionCol()), spec.outputSize());
    }

    @Override
    OutputWriter outputWriter() {
        return new TargetOutputs(!$(predictionCol()).isEmpty());
    }

    /** The outputs: a double for one target, a vector for several. */
    private static final class TargetOutputs implements OutputWriter {
        private static final long serialVersionUID = 1L;
        private final boolean prediction;

        TargetOutputs(boolean prediction) {
            this.prediction = prediction;
        }

        @Override
        public int columns() {
            return prediction ? 1 : 0;
        }

        @Override
        public void write(float[] y, int off, int n, Object[] values, int at) {
            if (!prediction) {
                return;
            }
            if (n == 1) {
                values[at] = (double) y[off];
            } else {
                double[] v = new double[n];
                for (int j = 0; j < n; j++) {
                    v[j] = y[off + j];
                }
                values[at] = Vectors.dense(v);
            }
        }
    }

    @Override
    VecmlpRegressionModel newModel(String uid, NetworkSpec spec, float[] parameters) {
        return new VecmlpRegressionModel(uid, spec, parameters);
    }

    /** Reads a model saved with {@link #write()}. */
    public static MLReader<VecmlpRegressionModel> read() {
        return new Reader<>(VecmlpRegressionModel.class, VecmlpRegressionModel::of);
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static VecmlpRegressionModel load(String path) {
        return read().load(path);
    }
}
