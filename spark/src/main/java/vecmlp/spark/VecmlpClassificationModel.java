package vecmlp.spark;

import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import vecmlp.kernel.Activation;
import vecmlp.nn.Mlp;

/**
 * A trained vecmlp classifier as a Spark ML {@link org.apache.spark.ml.Model}: {@link #transform} appends the
 * predicted class ({@code predictionCol}, double) and the class probabilities ({@code probabilityCol}, vector),
 * computed with core's batched inference per partition (see {@link VecmlpModel}). Either output is skipped when
 * its column name is empty. Persisted with {@link #write()} and {@link #load} (the network as a vecmlp
 * safetensors file). Immutable apart from its params; thread-safe for transforms.
 */
public final class VecmlpClassificationModel extends VecmlpModel<VecmlpClassificationModel> {

    private static final long serialVersionUID = 1L;

    private final Param<String> probabilityCol;

    VecmlpClassificationModel(String uid, NetworkSpec spec, float[] parameters) {
        super(uid, spec, parameters);
        probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column name (empty: none)");
        setDefault(probabilityCol, "probability");
    }

    /** A model of an existing network (copied), e.g. trained with {@link SparkTrainer} or loaded from a file. */
    public static VecmlpClassificationModel of(Mlp network) {
        return of(Identifiable.randomUID("vecmlpClassificationModel"), network);
    }

    private static VecmlpClassificationModel of(String uid, Mlp network) {
        if (network.activation(network.layerCount() - 1).kind() != Activation.Kind.SOFTMAX) {
            throw new IllegalArgumentException("network must end in softmax: " + network);
        }
        return new VecmlpClassificationModel(uid, NetworkSpec.of(network), network.parameters().clone());
    }

    /** Param: output column of the class probabilities. */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** The number of classes. */
    public int numClasses() {
        return spec.outputSize();
    }

    /** Sets {@code probabilityCol}. */
    public VecmlpClassificationModel setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    static StructType outputSchema(StructType schema, String predictionCol, String probabilityCol) {
        StructType out = schema;
        for (String c : new String[] {predictionCol, probabilityCol}) {
            if (!c.isEmpty() && Arrays.asList(schema.fieldNames()).contains(c)) {
                throw new IllegalArgumentException("output column '" + c + "' already exists in "
                        + Arrays.toString(schema.fieldNames()));
            }
        }
        if (!predictionCol.isEmpty()) {
            out = out.add(predictionCol, DataTypes.DoubleType, false);
        }
        if (!probabilityCol.isEmpty()) {
            out = out.add(probabilityCol, SQLDataTypes.VectorType(), false);
        }
        return out;
    }

    @Override
    StructType outputSchema(StructType schema) {
        return outputSchema(schema, $(predictionCol()), $(probabilityCol));
    }

    @Override
    OutputWriter outputWriter() {
        return new ClassOutputs(!$(predictionCol()).isEmpty(), !$(probabilityCol).isEmpty());
    }

    /** The arg-max class (double) and the probabilities (vector), each when asked for. */
    private static final class ClassOutputs implements OutputWriter {
        private static final long serialVersionUID = 1L;
        private final boolean prediction;
        private final boolean probability;

        ClassOutputs(boolean prediction, boolean probability) {
            this.prediction = prediction;
            this.probability = probability;
        }

        @Override
        public int columns() {
            return (prediction ? 1 : 0) + (probability ? 1 : 0);
        }

        @Override
        public void write(float[] y, int off, int n, Object[] values, int at) {
            int best = 0;
            double[] p = new double[n];
            for (int j = 0; j < n; j++) {
                p[j] = y[off + j];
                if (y[off + j] > y[off + best]) {
                    best = j;
                }
            }
            int k = at;
            if (prediction) {
                values[k++] = (double) best;
            }
            if (probability) {
                values[k] = Vectors.dense(p);
            }
        }
    }

    @Override
    VecmlpClassificationModel newModel(String uid, NetworkSpec spec, float[] parameters) {
        return new VecmlpClassificationModel(uid, spec, parameters);
    }

    /** Reads a model saved with {@link #write()}. */
    public static MLReader<VecmlpClassificationModel> read() {
        return new Reader<>(VecmlpClassificationModel.class, VecmlpClassificationModel::of);
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static VecmlpClassificationModel load(String path) {
        return read().load(path);
    }
}
