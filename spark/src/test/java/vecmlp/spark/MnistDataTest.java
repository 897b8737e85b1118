package vecmlp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import vecmlp.train.Dataset;

class MnistDataTest {

    @Test
    void fetchedMnistHasTheKnownShapesAndClassCounts() {
        Dataset train = TestData.mnistTrain();
        Dataset test = TestData.mnistTest();
        assertEquals(60_000, train.rows());
        assertEquals(784, train.cols());
        assertEquals(10_000, test.rows());
        int[] counts = new int[10];
        for (int y : test.labels()) {
            counts[y]++;
        }
        // The published t10k class counts (LeCun et al.): 980 zeros, 1135 ones, ..., 1009 nines.
        assertEquals(980, counts[0]);
        assertEquals(1135, counts[1]);
        assertEquals(1009, counts[9]);
        for (float v : train.features()) {
            assertTrue(v >= 0f && v <= 1f, "pixel outside [0, 1]: " + v);
        }
    }
}
