package vecmlp.spark.example;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Mlp;
import vecmlp.nn.Workspace;
import vecmlp.optim.Optimizer;
import vecmlp.spark.NetworkSpec;
import vecmlp.spark.OptimizerFactory;
import vecmlp.spark.SparkTrainer;
import vecmlp.spark.TrainingResult;
import vecmlp.train.Dataset;

/**
 * local[2] against local[1] for vecmlp's {@link SparkTrainer}, in one JVM, after a warm-up: the same MNIST
 * rows in the same two partitions, the same global batch, the same seed (so both masters do the same work and
 * end with the same weights), synchronous steps and parameter averaging with each {@code K} given. The masters
 * alternate (1, 2, then 2, 1, ...) over {@code --reps} repetitions, each in a fresh session with a short
 * warm-up fit of its own. Before each repetition it also times a task's local steps (gather, gradient, Adam
 * step) on two plain Java threads against one (no Spark): the machine's own two-core scaling of this workload at
 * that moment, to judge the Spark ratios by (other jobs on the machine lower both).
 *
 * <p>Prints, per run: fit time, rounds, wall ms per round, the executors' compute ms per round (all tasks with
 * their CPU time, and the slowest task: the compute on the critical path), the rest (Spark's fixed cost of a
 * round plus driver work), GC time and the MNIST test accuracy reached; then the local[1]/local[2] ratio per
 * mode and repetition, each with the share of the local[2] tasks' wall time they got as CPU time (well below
 * 100%: the two tasks did not have two free cores, and the ratio says little).
 *
 * <pre>
 * scripts/spark-local.sh vecmlp.spark.example.ScalingComparison [--data data/mnist] [--layers 784,256,128,10]
 *   [--batch 128] [--rows 60000] [--sync-epochs 1] [--epochs 2] [--local-steps 16,64] [--reps 2]
 *   [--plain-steps 1000] [--conf spark.key=value (repeatable, every session)]
 * </pre>
 */
public final class ScalingComparison {

    private ScalingComparison() {
    }

    /** Runs the comparison; see the class comment for the options. */
    public static void main(String[] args) throws Exception {
        Path data = Paths.get("data/mnist");
        int[] layers = {784, 256, 128, 10};
        int batch = 128;
        int rows = 60_000;
        int syncEpochs = 1;
        int epochs = 2;
        int[] ks = {16, 64};
        int reps = 2;
        int plainSteps = 1000;
        java.util.Map<String, String> conf = new java.util.TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data": data = Paths.get(args[++i]); break;
                case "--layers": layers = ints(args[++i]); break;
                case "--batch": batch = Integer.parseInt(args[++i]); break;
                case "--rows": rows = Integer.parseInt(args[++i]); break;
                case "--sync-epochs": syncEpochs = Integer.parseInt(args[++i]); break;
                case "--epochs": epochs = Integer.parseInt(args[++i]); break;
                case "--local-steps": ks = ints(args[++i]); break;
                case "--reps": reps = Integer.parseInt(args[++i]); break;
                case "--plain-steps": plainSteps = Integer.parseInt(args[++i]); break;
                case "--conf": {
                    String[] kv = args[++i].split("=", 2);
                    conf.put(kv[0], kv[1]);
                    break;
                }
                default: throw new IllegalArgumentException("unknown option: " + args[i]);
            }
        }
        Dataset all = MnistComparison.load(data, "train");
        Dataset train = all.rows(0, Math.min(rows, all.rows()));
        Dataset test = MnistComparison.load(data, "t10k");
        NetworkSpec spec = MnistComparison.spec(layers);
        OptimizerFactory adam = () -> Optimizer.adam(1e-3f);
        System.out.printf(Locale.ROOT, "MNIST %d rows, layers %s, global batch %d, 2 partitions for both masters,"
                + " JDK %s, %d processors%n", train.rows(), Arrays.toString(layers), batch,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

        // Warm-up: the JIT compiles the Vector API kernels and Spark's code paths (JVM-wide) before any timing.
        SparkSession warm = session("local[2]", conf);
        org.apache.spark.sql.Dataset<Row> warmDf = MnistComparison.frame(warm, train, 2);
        for (int k : new int[] {1, ks[0]}) {
            builder(spec, adam, batch, 1, k).build().fit(warmDf, "features", "label");
        }
        warm.stop();
        double threadRatio = plainThreads(spec, train, batch / 2, plainSteps);

        List<String> modes = new ArrayList<>();
        if (syncEpochs > 0) {
            modes.add("sync");
        }
        for (int k : ks) {
            modes.add("K=" + k);
        }
        double[][][] secs = new double[reps][2][modes.size()];
        double[][] cpuShare = new double[reps][modes.size()];
        List<String> lines = new ArrayList<>();
        lines.add("| rep | master | mode | fit (s) | rounds | ms/round | compute ms/round (all tasks) "
                + "| their CPU ms | compute ms/round (slowest task) | rest ms/round | GC ms | test accuracy |");
        lines.add("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        double[] plain = new double[reps];
        for (int rep = 0; rep < reps; rep++) {
            plain[rep] = plainThreads(spec, train, batch / 2, plainSteps / 3);
            int[] order = rep % 2 == 0 ? new int[] {1, 2} : new int[] {2, 1};
            for (int slots : order) {
                String master = "local[" + slots + "]";
                SparkSession spark = session(master, conf);
                org.apache.spark.sql.Dataset<Row> df = MnistComparison.frame(spark, train, 2);
                builder(spec, adam, batch, 1, ks[0]).build().fit(df, "features", "label");  // this session's threads
                for (int m = 0; m < modes.size(); m++) {
                    int k = m == 0 && syncEpochs > 0 ? 1 : ks[m - (syncEpochs > 0 ? 1 : 0)];
                    long gc0 = gcMillis();
                    TrainingResult r = builder(spec, adam, batch, k == 1 ? syncEpochs : epochs, k).build()
                            .fit(df, "features", "label");
                    long gc = gcMillis() - gc0;
                    secs[rep][slots - 1][m] = r.nanos() / 1e9;
                    if (slots == 2) {
                        cpuShare[rep][m] = (double) r.taskCpuNanos() / r.taskComputeNanos();
                    }
                    double perRound = r.nanos() / 1e6 / r.rounds();
                    double all2 = r.taskComputeNanos() / 1e6 / r.rounds();
                    double crit = r.criticalComputeNanos() / 1e6 / r.rounds();
                    double rest = perRound - (slots == 1 ? all2 : crit);
                    double cpu = r.taskCpuNanos() / 1e6 / r.rounds();
                    double acc = vecmlp.train.Trainer.evaluate(r.model(), test, 1000)[1];
                    String line = String.format(Locale.ROOT, "| %d | %s | %s | %.2f | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %.2f%% |",
                            rep + 1, master, modes.get(m), r.nanos() / 1e9, r.rounds(), perRound, all2, cpu, crit, rest,
                            gc, 100 * acc);
                    System.out.println(line);
                    lines.add(line);
                }
                spark.stop();
            }
        }
        System.out.println();
        lines.forEach(System.out::println);
        System.out.println();
        System.out.println("| mode | local[1] / local[2] per repetition (local[2] task CPU / task wall time) | range |");
        System.out.println("| --- | --- | --- |");
        for (int m = 0; m < modes.size(); m++) {
            double lo = Double.MAX_VALUE;
            double hi = 0;
            StringBuilder sb = new StringBuilder();
            for (int rep = 0; rep < reps; rep++) {
                double ratio = secs[rep][0][m] / secs[rep][1][m];
                lo = Math.min(lo, ratio);
                hi = Math.max(hi, ratio);
                sb.append(rep == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f× (%.0f%%)", ratio,
                        100 * cpuShare[rep][m]));
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f×–%.2f× |%n", modes.get(m), sb, lo, hi);
        }
        StringBuilder sb = new StringBuilder();
        for (int rep = 0; rep < reps; rep++) {
            sb.append(rep == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f×", plain[rep]));
        }
        System.out.printf(Locale.ROOT, "| plain Java threads, a task's local steps of %d rows (no Spark; before each"
                + " repetition) | %s | after warm-up: %.2f× |%n", batch / 2, sb, threadRatio);
    }

    /** Milliseconds the JVM's collectors have spent so far. */
    private static long gcMillis() {
        long t = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory
                .getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    private static SparkTrainer.Builder builder(NetworkSpec spec, OptimizerFactory opt, int batch, int epochs, int k) {
        SparkTrainer.Builder b = SparkTrainer.builder(spec, opt).batchSize(batch).epochs(epochs).seed(1L);
        return k > 1 ? b.averaging(k) : b;
    }

    private static SparkSession session(String master, java.util.Map<String, String> conf) {
        SparkSession.Builder b = SparkSession.builder().appName("vecmlp-scaling").master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1");
        conf.forEach(b::config);
        return b.getOrCreate();
    }

    /**
     * What one training task does in averaging mode, without Spark: each of two "partitions" (the halves of
     * {@code train}) gathers {@code rows} rows in a shuffled order into its batch buffer, computes the gradient
     * and takes an Adam step, {@code steps} times; one thread doing both partitions in turn against two threads
     * doing one each. Prints both times and the bytes allocated per step; returns the best ratio of three.
     */
    private static double plainThreads(NetworkSpec spec, Dataset train, int rows, int steps) throws Exception {
        Kernels one = Kernels.get().withThreads(1);
        int half = train.rows() / 2;
        PlainTask[] tasks = new PlainTask[2];
        for (int p = 0; p < 2; p++) {
            tasks[p] = new PlainTask(spec.initial(1L, one), train.rows(p * half, (p + 1) * half), rows, one, p);
        }
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        double best = 0;
        for (int trial = 0; trial < 3; trial++) {
            long a0 = mx.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                tasks[0].step(s);
                tasks[1].step(s);
            }
            long serial = System.nanoTime() - t0;
            long allocated = (mx.getCurrentThreadAllocatedBytes() - a0) / (2L * steps);
            CyclicBarrier start = new CyclicBarrier(3);
            Thread[] threads = new Thread[2];
            for (int p = 0; p < 2; p++) {
                PlainTask task = tasks[p];
                threads[p] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int s = 0; s < steps; s++) {
                        task.step(s);
                    }
                });
                threads[p].start();
            }
            start.await();
            long t1 = System.nanoTime();
            for (Thread t : threads) {
                t.join();
            }
            long parallel = System.nanoTime() - t1;
            System.out.printf(Locale.ROOT, "plain Java: %d x 2 steps (gather %d rows, gradient, Adam): one thread"
                    + " %.2f s (%d B allocated per step), two threads %.2f s: %.2f×%n", steps, rows, serial / 1e9,
                    allocated, parallel / 1e9, (double) serial / parallel);
            best = Math.max(best, (double) serial / parallel);
        }
        return best;
    }

    /** One partition's local steps: its rows, a shuffled order, batch buffers, a network and an Adam optimizer. */
    private static final class PlainTask {
        private final Mlp net;
        private final Dataset data;
        private final int rows;
        private final Workspace ws;
        private final float[] grad;
        private final float[] x;
        private final int[] y;
        private final int[] order;
        private final Optimizer adam;

        PlainTask(Mlp net, Dataset data, int rows, Kernels kernels, long seed) {
            this.net = net;
            this.data = data;
            this.rows = rows;
            this.ws = net.newWorkspace(rows);
            this.grad = net.newGradients();
            this.x = new float[rows * data.cols()];
            this.y = new int[rows];
            this.order = new int[data.rows()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            new vecmlp.nn.Rng(seed).shuffle(order, order.length);
            this.adam = Optimizer.adam(1e-3f).kernels(kernels);
        }

        void step(int s) {
            int cols = data.cols();
            int from = (s * rows) % (order.length - rows);
            for (int r = 0; r < rows; r++) {
                int i = order[from + r];
                System.arraycopy(data.features(), i * cols, x, r * cols, cols);
                y[r] = data.labels()[i];
            }
            net.computeGradient(x, 0, rows, y, 0, grad, ws);
            adam.step(net.parameters(), grad);
        }
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
