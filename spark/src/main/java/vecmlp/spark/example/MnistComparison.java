package vecmlp.spark.example;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import vecmlp.io.IdxLoader;
import vecmlp.kernel.Activation;
import vecmlp.nn.Loss;
import vecmlp.optim.Optimizer;
import vecmlp.spark.NetworkSpec;
import vecmlp.spark.OptimizerFactory;
import vecmlp.spark.SparkTrainer;
import vecmlp.spark.TrainingResult;
import vecmlp.train.Dataset;
import vecmlp.train.Trainer;

/**
 * MNIST side by side in one Spark session: Spark MLlib's {@code MultilayerPerceptronClassifier} (L-BFGS,
 * float64) against vecmlp's {@link SparkTrainer} (synchronous, and parameter averaging), same layers, same data
 * (pixels/255), same partitions; then vecmlp again in a {@code local[1]} session for the scaling ratio. Prints
 * fit times (session start-up and data loading excluded), test accuracies, and the time vecmlp needs to reach
 * MLPC's test accuracy (test accuracy evaluated after each epoch on the driver, not counted as training time).
 *
 * <pre>
 * spark-submit --class vecmlp.spark.example.MnistComparison --master local[2] \
 *   --jars vecmlp-core.jar vecmlp-spark.jar [--data data/mnist] [--layers 784,256,128,10] [--epochs 5]
 *   [--batch 128] [--lr 0.001] [--local-steps 16] [--mlpc-iters 100] [--skip-mlpc] [--skip-local1]
 *   [--sync-epochs N (default: --epochs; 0 skips the synchronous runs)]
 *   [--target 0.9659 (with --skip-mlpc: the accuracy to time vecmlp against, from an earlier MLPC run)]
 * </pre>
 * Without spark-submit, {@code --master URL} (default {@code local[2]}) sets the master.
 */
public final class MnistComparison {

    private MnistComparison() {
    }

    /** Runs the comparison; see the class comment for the options. */
    public static void main(String[] args) throws Exception {
        String master = null;
        Path data = Paths.get("data/mnist");
        int[] layers = {784, 256, 128, 10};
        int epochs = 5;
        int syncEpochs = -1;
        int batch = 128;
        float lr = 1e-3f;
        int localSteps = 16;
        int mlpcIters = 100;
        boolean mlpc = true;
        double mlpcTarget = 0;
        boolean local1 = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--master": master = args[++i]; break;
                case "--data": data = Paths.get(args[++i]); break;
                case "--layers": layers = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray(); break;
                case "--epochs": epochs = Integer.parseInt(args[++i]); break;
                case "--sync-epochs": syncEpochs = Integer.parseInt(args[++i]); break;
                case "--batch": batch = Integer.parseInt(args[++i]); break;
                case "--lr": lr = Float.parseFloat(args[++i]); break;
                case "--local-steps": localSteps = Integer.parseInt(args[++i]); break;
                case "--mlpc-iters": mlpcIters = Integer.parseInt(args[++i]); break;
                case "--skip-mlpc": mlpc = false; break;
                case "--target": mlpcTarget = Double.parseDouble(args[++i]); break;
                case "--skip-local1": local1 = false; break;
                default: throw new IllegalArgumentException("unknown option: " + args[i]);
            }
        }
        Dataset train = load(data, "train");
        Dataset test = load(data, "t10k");
        SparkSession spark = session(master);
        String effectiveMaster = spark.sparkContext().master();
        int partitions = spark.sparkContext().defaultParallelism();
        org.apache.spark.sql.Dataset<Row> trainDf = frame(spark, train, partitions).cache();
        org.apache.spark.sql.Dataset<Row> testDf = frame(spark, test, partitions).cache();
        trainDf.count();
        testDf.count();
        System.out.printf(Locale.ROOT, "MNIST %d train / %d test rows, layers %s, master %s, %d partitions%n",
                train.rows(), test.rows(), Arrays.toString(layers), effectiveMaster, partitions);

        List<String> table = new ArrayList<>();
        table.add("| run | master | fit time (s) | epochs / iterations | test accuracy | time to MLPC's accuracy (s) |");
        table.add("| --- | --- | ---: | ---: | ---: | ---: |");
        double mlpcAcc = Double.NaN;
        if (mlpcTarget > 0) {
            mlpcAcc = mlpcTarget;
        }
        if (mlpc) {
            MultilayerPerceptronClassifier c = new MultilayerPerceptronClassifier().setLayers(layers)
                    .setMaxIter(mlpcIters).setSeed(1L);
            long t0 = System.nanoTime();
            MultilayerPerceptronClassificationModel m = c.fit(trainDf);
            double secs = (System.nanoTime() - t0) / 1e9;
            mlpcAcc = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(m.transform(testDf));
            table.add(String.format(Locale.ROOT, "| Spark MLlib MLPC (L-BFGS) | %s | %.1f | %d it | %.2f%% | %.1f |",
                    effectiveMaster, secs, mlpcIters, 100 * mlpcAcc, secs));
            System.out.printf(Locale.ROOT, "MLPC: %.1f s, test accuracy %.2f%%%n", secs, 100 * mlpcAcc);
        }
        if (syncEpochs < 0) {
            syncEpochs = epochs;
        }
        NetworkSpec spec = spec(layers);
        float rate = lr;
        OptimizerFactory adam = () -> Optimizer.adam(rate);
        if (syncEpochs > 0) {
            table.add(row("vecmlp synchronous", effectiveMaster, SparkTrainer.builder(spec, adam).batchSize(batch)
                    .epochs(syncEpochs).seed(1L), trainDf, test, mlpcAcc));
        }
        table.add(row("vecmlp averaging K=" + localSteps, effectiveMaster, SparkTrainer.builder(spec, adam)
                .batchSize(batch).epochs(epochs).seed(1L).averaging(localSteps), trainDf, test, mlpcAcc));
        if (local1) {
            spark.stop();
            SparkSession one = session("local[1]");
            org.apache.spark.sql.Dataset<Row> trainOne = frame(one, train, partitions).cache();
            trainOne.count();
            if (syncEpochs > 0) {
                table.add(row("vecmlp synchronous", "local[1]", SparkTrainer.builder(spec, adam).batchSize(batch)
                        .epochs(syncEpochs).seed(1L), trainOne, test, mlpcAcc));
            }
            table.add(row("vecmlp averaging K=" + localSteps, "local[1]", SparkTrainer.builder(spec, adam)
                    .batchSize(batch).epochs(epochs).seed(1L).averaging(localSteps), trainOne, test, mlpcAcc));
            one.stop();
        } else {
            spark.stop();
        }
        System.out.println();
        table.forEach(System.out::println);
    }

    private static String row(String name, String master, SparkTrainer.Builder b,
                              org.apache.spark.sql.Dataset<Row> trainDf, Dataset test, double target) {
        double[] reached = {Double.NaN};
        TrainingResult r = b.listener((epoch, model, loss, acc, nanos) -> {
            double testAcc = Trainer.evaluate(model, test, 1000)[1];
            System.out.printf(Locale.ROOT, "%s %s epoch %d: train loss %.4f, test accuracy %.2f%%, %.1f s%n", name,
                    master, epoch + 1, loss, 100 * testAcc, nanos / 1e9);
            if (Double.isNaN(reached[0]) && testAcc >= target) {
                reached[0] = nanos / 1e9;
            }
        }).build().fit(trainDf, "features", "label");
        double acc = Trainer.evaluate(r.model(), test, 1000)[1];
        return String.format(Locale.ROOT, "| %s | %s | %.1f | %d ep (%d rounds) | %.2f%% | %s |", name, master,
                r.nanos() / 1e9, r.epochLosses().size(), r.rounds(), 100 * acc,
                Double.isNaN(target) ? "–" : Double.isNaN(reached[0]) ? "not reached" : String.format(Locale.ROOT,
                        "%.1f", reached[0]));
    }

    static NetworkSpec spec(int[] layers) {
        Activation[] acts = new Activation[layers.length - 1];
        Arrays.fill(acts, Activation.RELU);
        acts[acts.length - 1] = Activation.SOFTMAX;
        return NetworkSpec.of(layers, acts, Loss.CROSS_ENTROPY);
    }

    private static SparkSession session(String master) {
        SparkSession.Builder b = SparkSession.builder().appName("vecmlp-mnist-comparison");
        if (master != null) {
            b.master(master);
        } else if (!SparkSession.getDefaultSession().isDefined()
                && System.getProperty("spark.master") == null) {
            b.master("local[2]");
        }
        return b.getOrCreate();
    }

    static Dataset load(Path dir, String prefix) throws java.io.IOException {
        Dataset raw = IdxLoader.load(dir.resolve(prefix + "-images-idx3-ubyte"), dir.resolve(prefix + "-labels-idx1-ubyte"));
        float[] x = raw.features().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] /= 255f;
        }
        return Dataset.ofClasses(x, raw.rows(), raw.cols(), raw.labels(), 10);
    }

    static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset data, int partitions) {
        List<Row> rows = new ArrayList<>(data.rows());
        int cols = data.cols();
        float[] f = data.features();
        for (int i = 0; i < data.rows(); i++) {
            double[] v = new double[cols];
            for (int j = 0; j < cols; j++) {
                v[j] = f[i * cols + j];
            }
            rows.add(RowFactory.create(Vectors.dense(v), (double) data.labels()[i]));
        }
        StructType schema = new StructType(new StructField[] {
                new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
                new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});
        org.apache.spark.api.java.JavaSparkContext jsc =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        // Checkpointed: a parallelized collection ships each partition's rows inside every task that reads the
        // partition (in the Partition object), cached or not; a local checkpoint cuts that lineage.
        return spark.createDataFrame(jsc.parallelize(rows, partitions), schema).localCheckpoint();
    }
}
