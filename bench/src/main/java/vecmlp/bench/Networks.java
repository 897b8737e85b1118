package vecmlp.bench;

import java.util.SplittableRandom;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;

/** The networks and data the model-level benchmarks share (the peers' too). */
public final class Networks {

    private Networks() {
    }

    /** Layer sizes from a spec such as {@code 784-256-128-10}. */
    static int[] sizes(String spec) {
        String[] parts = spec.split("-");
        if (parts.length < 2) {
            throw new IllegalArgumentException("net must be sizes joined by '-', e.g. 784-256-128-10: '" + spec + "'");
        }
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            sizes[i] = Integer.parseInt(parts[i]);
        }
        return sizes;
    }

    /** ReLU hidden layers, a softmax output with cross-entropy, weights from seed 42, on the given kernels. */
    public static Mlp classifier(String spec, Kernels kernels) {
        int[] sizes = sizes(spec);
        Mlp.Builder b = Mlp.builder().input(sizes[0]);
        for (int l = 1; l < sizes.length - 1; l++) {
            b.dense(sizes[l], Activation.RELU);
        }
        return b.dense(sizes[sizes.length - 1], Activation.SOFTMAX).loss(Loss.CROSS_ENTROPY).seed(42)
                .kernels(kernels).build();
    }

    /** {@code rows × cols} inputs in [0, 1), like normalised pixels. */
    public static float[] inputs(int rows, int cols, long seed) {
        return KernelBenchmark.random(new SplittableRandom(seed), rows * cols, 0f, 1f);
    }

    /** {@code rows} labels in [0, classes). */
    public static int[] labels(int rows, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = random.nextInt(classes);
        }
        return labels;
    }
}
