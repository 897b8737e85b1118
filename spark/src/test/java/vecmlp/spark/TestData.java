package vecmlp.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import vecmlp.io.IdxLoader;
import vecmlp.train.Dataset;

/** Test data: MNIST from {@code data/mnist} (fetched by {@code scripts/fetch-mnist.sh}), loaded once. */
final class TestData {

    static final String FETCH_HINT = "MNIST not found in %s: run scripts/fetch-mnist.sh to fetch it";

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
