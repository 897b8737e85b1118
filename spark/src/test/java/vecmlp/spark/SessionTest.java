package vecmlp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class SessionTest {

    @Test
    void sharedLocalSessionRunsAJobOnTwoPartitions() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        assertEquals("local[2,2]", jsc.master());
        assertEquals(2, jsc.defaultParallelism());
        List<Integer> data = Arrays.asList(1, 2, 3, 4, 5, 6, 7);
        int sum = jsc.parallelize(data, 2).map(x -> x * x).reduce(Integer::sum);
        assertEquals(140, sum);
    }
}
