package vecmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vecmlp.train.Dataset;

class SplitAndNormalizerTest {

    /** rows × 2 features: (i, i % 7); label i % classes, unevenly sized classes when uneven = true. */
    private static Dataset data(int rows, int classes, boolean uneven) {
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = i % 7;
            y[i] = uneven ? (i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2) : i % classes;
        }
        return Dataset.ofClasses(x, rows, 2, y, classes);
    }

    private static Set<Integer> ids(Dataset d) {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < d.rows(); i++) {
            s.add((int) d.features()[2 * i]);
        }
        return s;
    }

    @Test
    void partsHaveScikitLearnSizesAndPartitionTheRows() {
        for (boolean stratified : new boolean[] {false, true}) {
            Split s = Split.of(data(1797, 10, false), 0.1, 0.2, 42, stratified);
            assertEquals(360, s.test().rows());
            assertEquals(180, s.validation().rows());
            assertEquals(1797 - 540, s.train().rows());
            Set<Integer> all = new HashSet<>(ids(s.train()));
            all.addAll(ids(s.validation()));
            all.addAll(ids(s.test()));
            assertEquals(1797, all.size(), "every row in exactly one part");
            // features and labels stay paired
            for (Dataset d : new Dataset[] {s.train(), s.validation(), s.test()}) {
                for (int i = 0; i < d.rows(); i++) {
                    assertEquals((int) d.features()[2 * i] % 10, d.labels()[i]);
                }
            }
        }
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        Dataset d = data(500, 3, true);
        Split a = Split.of(d, 0.2, 0.2, 7, true);
        Split b = Split.of(d, 0.2, 0.2, 7, true);
        Split c = Split.of(d, 0.2, 0.2, 8, true);
        assertArrayEquals(a.test().features(), b.test().features());
        assertArrayEquals(a.train().labels(), b.train().labels());
        assertNotEquals(Arrays.toString(a.test().features()), Arrays.toString(c.test().features()));
    }

    @Test
    void stratifiedKeepsClassProportions() {
        Dataset d = data(1000, 3, true); // 60% / 30% / 10%
        Split s = Split.of(d, 0.15, 0.25, 3, true);
        int[][] expected = {{150, 75, 25}, {90, 45, 15}}; // test 250, validation 150
        Dataset[] parts = {s.test(), s.validation()};
        for (int p = 0; p < 2; p++) {
            int[] count = new int[3];
            for (int y : parts[p].labels()) {
                count[y]++;
            }
            assertArrayEquals(expected[p], count);
        }
        // classes are interleaved within a part, not grouped
        int changes = 0;
        int[] y = s.test().labels();
        for (int i = 1; i < y.length; i++) {
            changes += y[i] != y[i - 1] ? 1 : 0;
        }
        assertTrue(changes > 50, "changes " + changes);
    }

    @Test
    void stratifiedRoundsByLargestRemainderToExactSizes() {
        Dataset d = data(10, 3, false); // classes of 4, 3, 3
        Split s = Split.ofCounts(d, 0, 5, 1, true);
        int[] count = new int[3];
        for (int y : s.test().labels()) {
            count[y]++;
        }
        assertEquals(5, s.test().rows());
        assertEquals(5, Arrays.stream(count).sum());
        assertTrue(count[0] == 2 && (count[1] + count[2] == 3), Arrays.toString(count));
    }

    @Test
    void splitArgumentsAreChecked() {
        Dataset d = data(10, 2, false);
        assertThrows(IllegalArgumentException.class, () -> Split.of(d, 0.5, 0.5, 1, false));
        assertThrows(IllegalArgumentException.class, () -> Split.of(d, -0.1, 0.5, 1, false));
        assertThrows(IllegalArgumentException.class, () -> Split.of(d, 0.1, Double.NaN, 1, false));
        assertThrows(IllegalArgumentException.class, () -> Split.ofCounts(d, 6, 5, 1, false));
        Dataset t = Dataset.ofTargets(new float[4], 2, 2, new float[2], 1);
        assertThrows(IllegalArgumentException.class, () -> Split.of(t, 0, 0.5, 1, true));
        assertEquals(1, Split.of(t, 0, 0.5, 1, false).test().rows());
    }

    @Test
    void standardizeUsesTrainingStatisticsOnly() {
        Dataset train = Dataset.ofClasses(new float[] {1, 5, 3, 5, 5, 5}, 3, 2, new int[] {0, 1, 0}, 2);
        Dataset test = Dataset.ofClasses(new float[] {7, 9}, 1, 2, new int[] {1}, 2);
        Normalizer n = Normalizer.standardize(train);
        // column 0: mean 3, population sd sqrt(8/3); column 1 constant: shifted only
        double sd = Math.sqrt(8.0 / 3);
        Dataset tr = n.apply(train);
        assertEquals((float) (-2 / sd), tr.features()[0], 1e-6f);
        assertEquals(0f, tr.features()[2], 1e-6f);
        assertEquals(0f, tr.features()[1]);
        Dataset te = n.apply(test);
        assertEquals((float) (4 / sd), te.features()[0], 1e-6f);
        assertEquals(4f, te.features()[1]);
        assertArrayEquals(test.labels(), te.labels());
        assertEquals(1f, train.features()[0], "input not modified");
        double mean = 0;
        double sq = 0;
        for (int i = 0; i < 3; i++) {
            mean += tr.features()[2 * i];
            sq += tr.features()[2 * i] * tr.features()[2 * i];
        }
        assertEquals(0, mean / 3, 1e-6);
        assertEquals(1, sq / 3, 1e-6);
    }

    @Test
    void minMaxAndScale() {
        Dataset train = Dataset.ofClasses(new float[] {2, 1, 4, 1, 6, 1}, 3, 2, new int[] {0, 0, 0}, 1);
        Normalizer m = Normalizer.minMax(train);
        assertArrayEquals(new float[] {0, 0, 0.5f, 0, 1, 0}, m.apply(train).features());
        float[] x = {8, 3};
        m.applyInPlace(x, 0, 1);
        assertArrayEquals(new float[] {1.5f, 2f}, x);
        Normalizer s = Normalizer.scale(2, 1 / 16f);
        assertArrayEquals(new float[] {0.125f, 1 / 16f, 0.25f, 1 / 16f, 0.375f, 1 / 16f},
                s.apply(train).features());
        assertThrows(IllegalArgumentException.class, () -> Normalizer.scale(2, 0f));
        assertThrows(IllegalArgumentException.class, () -> s.apply(Dataset.ofClasses(new float[3], 1, 3,
                new int[] {0}, 1)));
        assertThrows(IndexOutOfBoundsException.class, () -> s.applyInPlace(new float[3], 0, 2));
    }
}
