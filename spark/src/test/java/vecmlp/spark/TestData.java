package vecmlp.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import vecmlp.io.CsvLoader;
import vecmlp.io.IdxLoader;
import vecmlp.train.Dataset;

/** Test data: MNIST from {@code data/mnist} (fetched by {@code scripts/fetch-mnist.sh}), loaded once. */
final class TestData {

    static final String FETCH_HINT = "MNIST not found in %s: run scripts/fetch-mnist.sh to fetch it";

    private static Dataset digits;
    private static Dataset mnistTrain;
    private static Dataset mnistTest;

    private TestData() {
    }

    static Path mnistDir() {
        return Paths.get(System.getProperty("vecmlp.mnist.dir", "../data/mnist"));
    }

    /** Skips the calling test (a JUnit assumption naming the script) when MNIST has not been fetched. */
    static void assumeMnist() {
        Path dir = mnistDir();
        boolean present = Files.isRegularFile(dir.resolve("train-images-idx3-ubyte"))
                && Files.isRegularFile(dir.resolve("train-labels-idx1-ubyte"))
                && Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte"))
                && Files.isRegularFile(dir.resolve("t10k-labels-idx1-ubyte"));
        assumeTrue(present, () -> String.format(FETCH_HINT, dir.toAbsolutePath()));
    }

    /** scikit-learn's 1 797 8×8 digits (bundled in the examples module), pixels scaled to [0, 1]. */
    static synchronized Dataset digits() {
        if (digits == null) {
            Path file = Paths.get(System.getProperty("vecmlp.digits.file",
                    "../examples/src/main/resources/vecmlp/examples/data/digits.csv.gz"));
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                Dataset raw = CsvLoader.create().load(in, file.toString());
                float[] x = raw.features().clone();
                for (int i = 0; i < x.length; i++) {
                    x[i] /= 16f;
                }
                digits = Dataset.ofClasses(x, raw.rows(), raw.cols(), raw.labels(), 10);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return digits;
    }

    /**
     * {@code data} as a Spark frame of {@code features} (dense ML vectors) and {@code label} (double), rows in
     * order, cut into {@code partitions} contiguous partitions.
     */
    static org.apache.spark.sql.Dataset<Row> frame(Dataset data, int partitions) {
        return frame(data, partitions, false);
    }

    /** As {@link #frame(Dataset, int)}, with the data set's row weights in a third column, {@code weight} (double). */
    static org.apache.spark.sql.Dataset<Row> weightedFrame(Dataset data, int partitions) {
        return frame(data, partitions, true);
    }

    private static org.apache.spark.sql.Dataset<Row> frame(Dataset data, int partitions, boolean weights) {
        List<Row> rows = new ArrayList<>(data.rows());
        int cols = data.cols();
        float[] f = data.features();
        for (int i = 0; i < data.rows(); i++) {
            double[] v = new double[cols];
            for (int j = 0; j < cols; j++) {
                v[j] = f[i * cols + j];
            }
            rows.add(weights ? RowFactory.create(Vectors.dense(v), (double) data.labels()[i], (double) data.weights()[i])
                    : RowFactory.create(Vectors.dense(v), (double) data.labels()[i]));
        }
        StructField[] fields = {
            new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
            new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
            new StructField("weight", DataTypes.DoubleType, false, Metadata.empty())};
        return frame(rows, new StructType(java.util.Arrays.copyOf(fields, weights ? 3 : 2)), partitions);
    }

    /** {@code rows} as a frame of {@code schema} in the shared session, cut into {@code partitions} partitions. */
    static org.apache.spark.sql.Dataset<Row> frame(List<Row> rows, StructType schema, int partitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        // Checkpointed: a parallelized collection ships each partition's rows inside every task that reads the
        // partition (in the Partition object), cached or not; a local checkpoint cuts that lineage.
        return TestSpark.session().createDataFrame(jsc.parallelize(rows, partitions), schema).localCheckpoint();
    }

    /** The 60 000 training images, pixels scaled to [0, 1]. */
    static synchronized Dataset mnistTrain() {
        assumeMnist();
        if (mnistTrain == null) {
            mnistTrain = load("train");
        }
        return mnistTrain;
    }

    /** The 10 000 test images, pixels scaled to [0, 1]. */
    static synchronized Dataset mnistTest() {
        assumeMnist();
        if (mnistTest == null) {
            mnistTest = load("t10k");
        }
        return mnistTest;
    }

    private static Dataset load(String prefix) {
        Path dir = mnistDir();
        try {
            Dataset raw = IdxLoader.load(dir.resolve(prefix + "-images-idx3-ubyte"),
                    dir.resolve(prefix + "-labels-idx1-ubyte"));
            float[] x = raw.features().clone();
            for (int i = 0; i < x.length; i++) {
                x[i] /= 255f;
            }
            return Dataset.ofClasses(x, raw.rows(), raw.cols(), raw.labels(), 10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
