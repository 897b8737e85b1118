package vecmlp.spark.example;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The fixed cost of one synchronous training round, without any training: broadcast {@code P} floats, run one
 * task per partition that reads them and returns {@code P} floats, collect and add them on the driver in
 * partition order, destroy the broadcast. Prints the median and quartiles of milliseconds per round for
 * several {@code P}.
 *
 * <pre>
 * scripts/spark-local.sh vecmlp.spark.example.RoundCost [--master local[2]] [--partitions 2] [--rounds 200]
 * </pre>
 */
public final class RoundCost {

    private RoundCost() {
    }

    /** Runs the measurement; see the class comment for the options. */
    public static void main(String[] args) {
        String master = "local[2]";
        int partitions = 2;
        int rounds = 200;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--master": master = args[++i]; break;
                case "--partitions": partitions = Integer.parseInt(args[++i]); break;
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown option: " + args[i]);
            }
        }
        SparkSession spark = SparkSession.builder().appName("vecmlp-round-cost").master(master).getOrCreate();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> idx = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            idx.add(p);
        }
        JavaRDD<Integer> rdd = jsc.parallelize(idx, partitions).cache();
        rdd.count();
        System.out.printf(Locale.ROOT, "master %s, %d partitions, %d rounds each%n", master, partitions, rounds);
        System.out.println("| parameters P | bytes broadcast | bytes collected | ms/round median | p25 | p75 |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int params : new int[] {1, 235_146, 2_400_000}) {
            double[] ms = new double[rounds];
            float[] sum = new float[params];
            for (int r = -20; r < rounds; r++) {
                long t0 = System.nanoTime();
                Broadcast<float[]> bc = jsc.broadcast(new float[params]);
                List<float[]> parts = rdd.mapPartitions(it -> {
                    float[] v = bc.value();
                    float[] g = new float[v.length];
                    g[0] = v[0] + 1f;
                    return Collections.singletonList(g).iterator();
                }).collect();
                for (float[] g : parts) {
                    for (int i = 0; i < params; i++) {
                        sum[i] += g[i];
                    }
                }
                bc.destroy();
                if (r >= 0) {
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            java.util.Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "| %,d | %,d | %,d | %.1f | %.1f | %.1f |%n", params, 4L * params,
                    4L * params * partitions, ms[rounds / 2], ms[rounds / 4], ms[3 * rounds / 4]);
        }
        spark.stop();
    }
}
