package vecmlp.examples;

import java.io.PrintStream;
import java.util.Locale;
import vecmlp.kernel.Activation;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.optim.Optimizer;
import vecmlp.train.Dataset;
import vecmlp.train.History;
import vecmlp.train.Trainer;

/**
 * The {@code xor} command: XOR is the smallest problem a network without a hidden layer cannot solve
 * (the two classes are not linearly separable). A 2-8-1 network (tanh, then a sigmoid unit trained with
 * binary cross-entropy) learns it; the command prints the truth table the network computes.
 */
final class Xor {

    static final float[] INPUTS = {0, 0, 0, 1, 1, 0, 1, 1};
    static final int[] TARGETS = {0, 1, 1, 0};

    private Xor() {
    }

    /** Trains and returns the network's four outputs, in the order of {@link #INPUTS}. */
    static float[] run(long seed, PrintStream out) {
        Mlp mlp = Mlp.builder().input(2).dense(8, Activation.TANH).dense(1, Activation.SIGMOID)
                .loss(Loss.BINARY_CROSS_ENTROPY).seed(seed).build();
        Dataset data = Dataset.ofClasses(INPUTS.clone(), 4, 2, TARGETS.clone(), 2);
        History h = Trainer.builder(mlp, Optimizer.adam(0.05f)).epochs(300).batchSize(4).seed(seed).build().fit(data);
        float[] y = new float[4];
        mlp.predict(INPUTS.clone(), 4, y);
        out.printf(Locale.ROOT, "xor: %s, adam lr 0.05, %d epochs of the 4 rows, final loss %.5f%n%n",
                TrainCommand.shape(mlp), h.epochs().size(), h.last().trainLoss());
        out.println(" x1  x2 | x1 xor x2 | network output | rounded");
        out.println("--------+-----------+----------------+--------");
        for (int i = 0; i < 4; i++) {
            out.printf(Locale.ROOT, " %2.0f  %2.0f |     %d     |     %.4f     |   %d%s%n", INPUTS[2 * i],
                    INPUTS[2 * i + 1], TARGETS[i], y[i], y[i] > 0.5f ? 1 : 0,
                    (y[i] > 0.5f ? 1 : 0) == TARGETS[i] ? "" : "   (wrong)");
        }
        return y;
    }
}
