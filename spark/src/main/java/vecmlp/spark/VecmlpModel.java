package vecmlp.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import vecmlp.io.ModelFile;
import vecmlp.io.SafeTensors;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Mlp;
import vecmlp.nn.Predictor;
import vecmlp.nn.Workspace;

/**
 * What {@link VecmlpClassificationModel} and {@link VecmlpRegressionModel} share: a trained vecmlp network as a
 * Spark ML {@link Model}. {@link #transform} runs core's batched inference ({@link Mlp#predict}) on blocks of up
 * to {@value #BLOCK} rows per partition and appends the subclass's output columns. Persistence
 * ({@link #write()}) stores the Spark ML params as metadata and the network as a vecmlp {@link ModelFile}
 * safetensors file in {@code data/network.safetensors} under the path (any Hadoop file system). Immutable apart
 * from its params.
 *
 * @param <M> the concrete model
 */
public abstract class VecmlpModel<M extends VecmlpModel<M>> extends Model<M> implements MLWritable {

    private static final long serialVersionUID = 1L;

    /** Rows per inference block. */
    static final int BLOCK = 512;

    static final String NETWORK_FILE = "data/network.safetensors";

    private final String uid;
    final NetworkSpec spec;
    final float[] parameters;

    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;

    VecmlpModel(String uid, NetworkSpec spec, float[] parameters) {
        this.uid = uid;
        this.spec = spec;
        this.parameters = parameters;
        featuresCol = new Param<>(this, "featuresCol", "features column name");
        labelCol = new Param<>(this, "labelCol", "label column name");
        predictionCol = new Param<>(this, "predictionCol", "prediction column name (empty: none)");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
    }

    @SuppressWarnings("unchecked")
    final M self() {
        return (M) this;
    }

    /** Param: features column. */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** Param: label column (not used by transform; kept from the estimator). */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** Param: output column of the prediction. */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The network (a new copy computing with {@link Kernels#get()}). */
    public Mlp network() {
        return spec.withParameters(parameters, Kernels.get());
    }

    /** Sets {@code featuresCol}. */
    public M setFeaturesCol(String value) {
        set(featuresCol, value);
        return self();
    }

    /** Sets {@code predictionCol}. */
    public M setPredictionCol(String value) {
        set(predictionCol, value);
        return self();
    }

    // ------------------------------------------------------------------ what a subclass decides

    /** {@code schema} with the output columns appended. */
    abstract StructType outputSchema(StructType schema);

    /** Writes one row's outputs (serializable: it runs on the executors). */
    abstract OutputWriter outputWriter();

    /** A model of the same kind with these fields (params are copied by the caller). */
    abstract M newModel(String uid, NetworkSpec spec, float[] parameters);

    /** Appends a row's output columns from the network's outputs. */
    interface OutputWriter extends Serializable {
        /** Output columns appended per row. */
        int columns();

        /** Writes {@link #columns()} values from {@code y[off, off + n)} into {@code values[at, ...)}. */
        void write(float[] y, int off, int n, Object[] values, int at);
    }

    // ------------------------------------------------------------------ Transformer

    @Override
    public StructType transformSchema(StructType schema) {
        InputPacker.checkFeaturesColumn(schema, $(featuresCol));
        return outputSchema(schema);
    }

    /**
     * The input with the output columns appended. Lazy, like every Spark transformation; a bad features value
     * fails the job with an {@link InvalidInputException} naming partition and index.
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        Dataset<Row> df = dataset.toDF();
        int featuresIndex = df.schema().fieldIndex($(featuresCol));
        String fc = $(featuresCol);
        NetworkSpec spec = this.spec;
        float[] params = this.parameters;
        OutputWriter writer = outputWriter();
        MapPartitionsFunction<Row, Row> f = it -> new Predicting(it, spec, params, featuresIndex, fc, writer);
        return df.mapPartitions(f, Encoders.row(out));
    }

    /** Streams a partition's rows in blocks through the network, appending the outputs. */
    private static final class Predicting implements Iterator<Row> {
        private final Iterator<Row> in;
        private final NetworkSpec spec;
        /** The network as a {@link Predictor}: its weights laid out once per partition, not per block. */
        private final Predictor predictor;
        private final Workspace ws;
        private final int featuresIndex;
        private final String featuresCol;
        private final OutputWriter writer;
        private final int partition;
        private final List<Row> block = new ArrayList<>(BLOCK);
        private final float[] x;
        private final float[] y;
        private int next;
        private int seen;

        Predicting(Iterator<Row> in, NetworkSpec spec, float[] params, int featuresIndex, String featuresCol,
                   OutputWriter writer) {
            this.in = in;
            this.spec = spec;
            this.predictor = spec.withParameters(params, Worker.KERNELS).predictor();
            this.ws = predictor.newWorkspace(BLOCK);
            this.featuresIndex = featuresIndex;
            this.featuresCol = featuresCol;
            this.writer = writer;
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
            predictor.predict(x, 0, block.size(), y, 0, ws);
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
            Object[] values = new Object[width + writer.columns()];
            for (int i = 0; i < width; i++) {
                values[i] = row.get(i);
            }
            writer.write(y, off, n, values, width);
            return RowFactory.create(values);
        }
    }

    @Override
    public M copy(ParamMap extra) {
        M m = newModel(uid, spec, parameters);
        return copyValues(m, extra).setParent(parent());
    }

    // ------------------------------------------------------------------ persistence

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    private static final class Writer extends MLWriter {
        private final VecmlpModel<?> instance;

        Writer(VecmlpModel<?> instance) {
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

    /** Makes a model of a network read from a file. */
    interface Factory<M> {
        /** The model of {@code network} (its parameters copied), with uid {@code uid}. */
        M create(String uid, Mlp network);
    }

    /** Reads models of class {@code type} saved by {@link #write()}. */
    static final class Reader<M extends VecmlpModel<M>> extends MLReader<M> {
        private final Class<M> type;
        private final Factory<M> factory;

        Reader(Class<M> type, Factory<M> factory) {
            this.type = type;
            this.factory = factory;
        }

        @Override
        public M load(String path) {
            DefaultParamsReader.Metadata md = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                    type.getName());
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
            M m = factory.create(md.uid(), mlp);
            md.getAndSetParams(m, Option.empty());
            return m;
        }
    }
}
