package vecmlp.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import vecmlp.io.CsvLoader;
import vecmlp.io.Normalizer;
import vecmlp.io.Split;
import vecmlp.kernel.Activation;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.optim.Optimizer;
import vecmlp.train.Dataset;
import vecmlp.train.History;
import vecmlp.train.Trainer;

/**
 * The "use it in your code" snippet of README.md, compiled and run by the build so it cannot go stale:
 * the lines between the two marker comments are shown verbatim in README.md, and a test checks that they
 * still are.
 */
public final class UseItInYourCode {

    private UseItInYourCode() {
    }

    /**
     * Trains a classifier on a CSV file with a header and a {@code label} column; returns the test loss and
     * accuracy and, last, the predicted probability of the first test sample's true class.
     */
    public static double[] trainAndTest(Path csvFile) throws IOException {
        // README snippet begin
        Dataset data = CsvLoader.create().withLabelColumn("label").load(csvFile);
        Split split = Split.of(data, 0.1, 0.2, 42, true);          // seeded, stratified
        Normalizer norm = Normalizer.standardize(split.train());   // training statistics only
        Dataset train = norm.apply(split.train());
        Dataset validation = norm.apply(split.validation());
        Dataset test = norm.apply(split.test());

        Mlp mlp = Mlp.builder().input(train.cols())
                .dense(128, Activation.RELU)
                .dense(train.numClasses(), Activation.SOFTMAX)
                .loss(Loss.CROSS_ENTROPY).seed(42).build();
        History history = Trainer.builder(mlp, Optimizer.adam(1e-3f))
                .epochs(20).batchSize(32).seed(42).validation(validation)
                .build().fit(train);
        double[] lossAndAccuracy = Trainer.evaluate(mlp, test, 256);

        float[] sample = Arrays.copyOf(test.features(), test.cols());  // one row
        float[] probabilities = new float[mlp.outputSize()];
        mlp.predict(sample, 1, probabilities);
        // README snippet end
        if (history.epochs().isEmpty()) {
            throw new IllegalStateException("no epoch ran");
        }
        return new double[] {lossAndAccuracy[0], lossAndAccuracy[1], probabilities[test.labels()[0]]};
    }
}
