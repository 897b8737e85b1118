package vecmlp.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one {@code local[2,2]} session every test of this module shares (two threads; a failed task is tried
 * twice, which the fault test relies on): starting one costs 6–7 s, so it is created at first use and stopped
 * when the test JVM exits. Loopback only, no UI: the tests use no network.
 */
final class TestSpark {

    private static SparkSession session;

    private TestSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2,2]")
                    .appName("vecmlp-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .getOrCreate();
            SparkSession s = session;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "vecmlp-spark-tests-stop"));
        }
        return session;
    }
}
