package vecmlp.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import vecmlp.io.ModelFile;
import vecmlp.io.SafeTensors;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Mlp;
import vecmlp.nn.Workspace;

/**
 * A trained vecmlp classifier as a Spark ML {@link Model}: {@link #transform} appends the predicted class
 * ({@code predictionCol}, double) and the class probabilities ({@code probabilityCol}, vector), computed with
 * core's batched inference ({@link Mlp#predict}) on blocks of up to {@value #BLOCK} rows per partition. Either
 * output is skipped when its column name is empty. Persistence ({@link #write()}, {@link #load}) stores the Spark
 * ML params as metadata and the network as a vecmlp {@link ModelFile} safetensors file in
 * {@code data/network.safetensors} under the path (any Hadoop file system). Immutable; thread-safe.
 */
public final class VecmlpClassificationModel extends Model<VecmlpClassificationModel> implements MLWritable {

    private static final long serialVersionUID = 1L;

    /** Rows per inference block. */
    static final int BLOCK = 512;

    static final String NETWORK_FILE = "data/network.safetensors";

    private final String uid;
    private final NetworkSpec spec;
    private final float[] parameters;

    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;

    VecmlpClassificationModel(String uid, NetworkSpec spec, float[] parameters) {
        this.uid = uid;
        this.spec = spec;
        this.parameters = parameters;
        featuresCol = new Param<>(this, "featuresCol", "features column name");
        labelCol = new Param<>(this, "labelCol", "label column name");
        predictionCol = new Param<>(this, "predictionCol", "prediction column name (empty: none)");
        probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column name (empty: none)");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
    }

    /** A model of an existing network (copied), e.g. trained with {@link SparkTrainer} or loaded from a file. */
    public static VecmlpClassificationModel of(Mlp network) {
        if (network.activation(network.layerCount() - 1).kind() != vecmlp.kernel.Activation.Kind.SOFTMAX) {
            throw new IllegalArgumentException("network must end in softmax: " + network);
        }
        return new VecmlpClassificationModel(Identifiable.randomUID("vecmlpClassificationModel"),
                NetworkSpec.of(network), network.parameters().clone());
    }

    /** Param: features column. */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** Param: label column (not used by transform; kept from the estimator). */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** Param: output column of the predicted class. */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** Param: output column of the class probabilities. */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The network (a new copy computing with {@link Kernels#get()}). */
    public Mlp network() {
        return spec.withParameters(parameters, Kernels.get());
    }

    /** The number of classes. */
    public int numClasses() {
        return spec.outputSize();
    }

    /** Sets {@code featuresCol}. */
    public VecmlpClassificationModel setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    /** Sets {@code predictionCol}. */
    public VecmlpClassificationModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
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
    public StructType transformSchema(StructType schema) {
        InputPacker.checkFeaturesColumn(schema, $(featuresCol));
        return outputSchema(schema, $(predictionCol), $(probabilityCol));
    }

    /**
     * The input with prediction and probability columns appended. Lazy, like every Spark transformation; a
     * bad features value fails the job with an {@link InvalidInputException} naming partition and index.
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        Dataset<Row> df = dataset.toDF();
        int featuresIndex = df.schema().fieldIndex($(featuresCol));
        String fc = $(featuresCol);
        boolean prediction = !$(predictionCol).isEmpty();
        boolean probability = !$(probabilityCol).isEmpty();
        NetworkSpec spec = this.spec;
        float[] params = this.parameters;
        MapPartitionsFunction<Row, Row> f = it -> new Predicting(it, spec, params, featuresIndex, fc, prediction,
                probability);
        return df.mapPartitions(f, Encoders.row(out));
    }

    /** Streams a partition's rows in blocks through the network, appending the outputs. */
    private static final class Predicting implements Iterator<Row> {
        private final Iterator<Row> in;
        private final NetworkSpec spec;
        private final Mlp mlp;
        private final Workspace ws;
        private final int featuresIndex;
        private final String featuresCol;
        private final boolean prediction;
        private final boolean probability;
        private final int partition;
        private final List<Row> block = new ArrayList<>(BLOCK);
        private final float[] x;
        private final float[] y;
        private int next;
        private int seen;

        Predicting(Iterator<Row> in, NetworkSpec spec, float[] params, int featuresIndex, String featuresCol,
                   boolean prediction, boolean probability) {
            this.in = in;
            this.spec = spec;
            this.mlp = spec.withParameters(params, Worker.KERNELS);
            this.ws = mlp.newWorkspace(BLOCK);
            this.featuresIndex = featuresIndex;
            this.featuresCol = featuresCol;
            this.prediction = prediction;
            this.probability = probability;
            TaskContext tc = TaskContext.get();
            this.partition = tc == null ? 0 : tc.partitionId();
            this.x = new float[BLOCK * spec.inputSize()];
            this.y = new float[BLOCK * spec.outputSize()];
        }

        @Override
        public boolean hasNext() {
            if (next < block.size()) {
                return true;
            }
            block.clear();
            next = 0;
            while (block.size() < BLOCK && in.hasNext()) {
                block.add(in.next());
            }
            if (block.isEmpty()) {
                return false;
            }
            int n0 = spec.inputSize();
            for (int i = 0; i < block.size(); i++) {
                InputPacker.readFeatures(block.get(i), featuresIndex, featuresCol, partition, seen + i, n0, x, i * n0);
            }
            seen += block.size();
            mlp.predict(x, 0, block.size(), y, 0, ws);
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = block.get(next);
            int n = spec.outputSize();
            int off = next * n;
            next++;
            int width = row.length();
            Object[] values = new Object[width + (prediction ? 1 : 0) + (probability ? 1 : 0)];
            for (int i = 0; i < width; i++) {
                values[i] = row.get(i);
            }
            int best = 0;
            double[] p = new double[n];
            for (int j = 0; j < n; j++) {
                p[j] = y[off + j];
                if (y[off + j] > y[off + best]) {
                    best = j;
                }
            }
            int k = width;
            if (prediction) {
                values[k++] = (double) best;
            }
            if (probability) {
                values[k] = Vectors.dense(p);
            }
            return RowFactory.create(values);
        }
    }

    @Override
    public VecmlpClassificationModel copy(ParamMap extra) {
        VecmlpClassificationModel m = new VecmlpClassificationModel(uid, spec, parameters);
        return copyValues(m, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** Reads a model saved with {@link #write()}. */
    public static MLReader<VecmlpClassificationModel> read() {
        return new Reader();
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static VecmlpClassificationModel load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final VecmlpClassificationModel instance;

        Writer(VecmlpClassificationModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
            byte[] bytes = ModelFile.toTensors(instance.network()).toBytes();
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path, NETWORK_FILE);
            try {
                FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (OutputStream os = fs.create(file, true)) {
                    os.write(bytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }

    private static final class Reader extends MLReader<VecmlpClassificationModel> {
        @Override
        public VecmlpClassificationModel load(String path) {
            DefaultParamsReader.Metadata md = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                    VecmlpClassificationModel.class.getName());
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path, NETWORK_FILE);
            Mlp mlp;
            try {
                FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                byte[] bytes;
                try (InputStream is = fs.open(file)) {
                    bytes = is.readAllBytes();
                }
                mlp = ModelFile.fromTensors(SafeTensors.read(bytes), Kernels.get());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            VecmlpClassificationModel m = new VecmlpClassificationModel(md.uid(), NetworkSpec.of(mlp),
                    mlp.parameters().clone());
            md.getAndSetParams(m, Option.empty());
            return m;
        }
    }
}
