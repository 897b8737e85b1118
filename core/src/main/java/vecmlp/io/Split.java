package vecmlp.io;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import vecmlp.train.Dataset;

/**
 * A seeded split of a data set into training, validation and test parts. The same data, sizes and seed
 * give the same parts on every run and machine ({@link SplittableRandom}, Fisher–Yates).
 *
 * <p>A stratified split (labelled data only) gives every part the same class proportions as the whole,
 * up to rounding: each class is shuffled on its own and dealt out by the largest-remainder rule, so the
 * part sizes are still exactly the ones asked for. The rows of each part are then shuffled together, so
 * classes are interleaved. Immutable; the parts are copies.
 */
public final class Split {

    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;

    private Split(Dataset train, Dataset validation, Dataset test) {
        this.train = train;
        this.validation = validation;
        this.test = test;
    }

    /** The training part. */
    public Dataset train() {
        return train;
    }

    /** The validation part (possibly of 0 rows). */
    public Dataset validation() {
        return validation;
    }

    /** The test part (possibly of 0 rows). */
    public Dataset test() {
        return test;
    }

    /**
     * Splits by fractions of {@code data.rows()}: the test part gets {@code ceil(testFraction · rows)}
     * rows and the validation part {@code ceil(validationFraction · rows)} (scikit-learn's rounding, so
     * 20% of the 1,797 digits is 360), the training part the rest.
     *
     * @param validationFraction in {@code [0, 1)}
     * @param testFraction       in {@code [0, 1)}, with the two summing to less than 1
     * @param stratified         keep class proportions (requires labels)
     */
    public static Split of(Dataset data, double validationFraction, double testFraction, long seed,
                           boolean stratified) {
        Objects.requireNonNull(data, "data must not be null");
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1): " + validationFraction);
        }
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in [0, 1): " + testFraction);
        }
        if (validationFraction + testFraction >= 1) {
            throw new IllegalArgumentException("validationFraction + testFraction must be < 1: "
                    + (validationFraction + testFraction));
        }
        int n = data.rows();
        int nTest = (int) Math.ceil(testFraction * n - 1e-9);
        int nVal = (int) Math.ceil(validationFraction * n - 1e-9);
        return ofCounts(data, Math.max(0, Math.min(nVal, n - nTest)), nTest, seed, stratified);
    }

    /**
     * Splits into exactly {@code validationRows} validation rows, {@code testRows} test rows and the rest
     * for training.
     */
    public static Split ofCounts(Dataset data, int validationRows, int testRows, long seed, boolean stratified) {
        Objects.requireNonNull(data, "data must not be null");
        int n = data.rows();
        if (validationRows < 0) {
            throw new IllegalArgumentException("validationRows must be >= 0: " + validationRows);
        }
        if (testRows < 0) {
            throw new IllegalArgumentException("testRows must be >= 0: " + testRows);
        }
        if ((long) validationRows + testRows > n) {
            throw new IllegalArgumentException("validationRows + testRows must be <= rows " + n + ": "
                    + ((long) validationRows + testRows));
        }
        if (stratified && !data.hasLabels()) {
            throw new IllegalArgumentException("stratified split needs a labelled data set: " + data);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] sizes = {n - validationRows - testRows, validationRows, testRows};
        int[][] parts = stratified ? stratify(data, sizes, rnd) : plain(n, sizes, rnd);
        for (int[] p : parts) {
            shuffle(p, rnd);
        }
        return new Split(data.subset(parts[0]), data.subset(parts[1]), data.subset(parts[2]));
    }

    private static int[][] plain(int n, int[] sizes, SplittableRandom rnd) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        shuffle(all, rnd);
        int[][] parts = new int[3][];
        int from = 0;
        for (int p = 0; p < 3; p++) {
            parts[p] = Arrays.copyOfRange(all, from, from + sizes[p]);
            from += sizes[p];
        }
        return parts;
    }

    private static int[][] stratify(Dataset data, int[] sizes, SplittableRandom rnd) {
        int n = data.rows();
        int k = data.numClasses();
        int[] labels = data.labels();
        int[] classCount = new int[k];
        for (int y : labels) {
            classCount[y]++;
        }
        // alloc[p][c]: rows of class c that go to part p. Each part's quota is spread over the classes by
        // the largest-remainder rule, then each class's row count is matched by the last part (train).
        int[][] alloc = new int[3][k];
        int[] left = classCount.clone();
        for (int p = 1; p < 3; p++) {
            double[] remainder = new double[k];
            int given = 0;
            for (int c = 0; c < k; c++) {
                double exact = (double) sizes[p] * classCount[c] / n;
                alloc[p][c] = Math.min(left[c], (int) Math.floor(exact));
                remainder[c] = exact - alloc[p][c];
                given += alloc[p][c];
            }
            while (given < sizes[p]) {
                int best = -1;
                for (int c = 0; c < k; c++) {
                    if (left[c] - alloc[p][c] > 0 && (best < 0 || remainder[c] > remainder[best])) {
                        best = c;
                    }
                }
                alloc[p][best]++;
                remainder[best] -= 1;
                given++;
            }
            for (int c = 0; c < k; c++) {
                left[c] -= alloc[p][c];
            }
        }
        alloc[0] = left;
        int[][] byClass = new int[k][];
        int[] fill = new int[k];
        for (int c = 0; c < k; c++) {
            byClass[c] = new int[classCount[c]];
        }
        for (int i = 0; i < n; i++) {
            byClass[labels[i]][fill[labels[i]]++] = i;
        }
        int[][] parts = {new int[sizes[0]], new int[sizes[1]], new int[sizes[2]]};
        int[] pos = new int[3];
        for (int c = 0; c < k; c++) {
            shuffle(byClass[c], rnd);
            int from = 0;
            for (int p = 2; p >= 0; p--) {
                System.arraycopy(byClass[c], from, parts[p], pos[p], alloc[p][c]);
                pos[p] += alloc[p][c];
                from += alloc[p][c];
            }
        }
        return parts;
    }

    private static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    @Override
    public String toString() {
        return "Split[train " + train.rows() + ", validation " + validation.rows() + ", test " + test.rows() + "]";
    }
}
