package consumer;

import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.optim.Optimizer;
import vecmlp.train.Dataset;
import vecmlp.train.Trainer;

/** Trains XOR with vecmlp-core taken from a Maven repository; exits with status 1 if it did not learn it. */
public final class Xor {

    private Xor() {
    }

    public static void main(String[] args) {
        float[] x = {0, 0, 0, 1, 1, 0, 1, 1};
        int[] y = {0, 1, 1, 0};
        Mlp mlp = Mlp.builder().input(2).dense(8, Activation.TANH).dense(1, Activation.SIGMOID)
                .loss(Loss.BINARY_CROSS_ENTROPY).seed(1).build();
        Trainer.builder(mlp, Optimizer.adam(0.05f)).epochs(300).batchSize(4).seed(1).build()
                .fit(Dataset.ofClasses(x.clone(), 4, 2, y.clone(), 2));
        float[] out = new float[4];
        mlp.predict(x.clone(), 4, out);
        boolean right = true;
        for (int i = 0; i < 4; i++) {
            System.out.printf("%.0f xor %.0f = %.3f%n", x[2 * i], x[2 * i + 1], out[i]);
            right &= (out[i] > 0.5f ? 1 : 0) == y[i];
        }
        System.out.println("kernels: " + Kernels.get().description());
        System.out.println("module: " + Xor.class.getModule() + ", vecmlp: " + Mlp.class.getModule());
        System.exit(right ? 0 : 1);
    }
}
