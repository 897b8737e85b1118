package vecmlp.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.nn.Normalization;

/**
 * The architecture of a network, in a form Spark can ship to executors: layer sizes {@code n_0, …, n_L}, one
 * activation per dense layer (kind and leaky-ReLU slope or ELU α), its normalization, the dropout after each,
 * its residual source, and the loss. Immutable and thread-safe.
 */
public final class NetworkSpec implements Serializable {

    private static final long serialVersionUID = 2L;

    private final int[] layers;
    private final Activation.Kind[] kinds;
    private final float[] slopes;
    private final float[] dropout;
    private final Normalization[] norms;
    private final int[] residual;
    private final Loss loss;

    private NetworkSpec(int[] layers, Activation[] activations, float[] dropout, Normalization[] norms,
                        int[] residual, Loss loss) {
        this.layers = layers.clone();
        this.dropout = dropout.clone();
        this.norms = norms.clone();
        this.residual = residual.clone();
        this.kinds = new Activation.Kind[activations.length];
        this.slopes = new float[activations.length];
        for (int l = 0; l < activations.length; l++) {
            kinds[l] = activations[l].kind();
            slopes[l] = activations[l].slope();
        }
        this.loss = loss;
    }

    /**
     * A specification; validated by building a network of it (sizes ≥ 1, one activation per layer, a loss that
     * fits the output).
     *
     * @throws IllegalArgumentException naming the bad argument and value
     */
    public static NetworkSpec of(int[] layers, Activation[] activations, Loss loss) {
        Objects.requireNonNull(activations, "activations");
        return of(layers, activations, new float[activations.length], loss);
    }

    /**
     * A specification with dropout: {@code dropout[l]} after dense layer {@code l} in training, in {@code [0, 1)},
     * 0 for the output layer (see {@link Mlp#of(int[], Activation[], float[], Loss, float[], Kernels)}).
     *
     * @throws IllegalArgumentException naming the bad argument and value
     */
    public static NetworkSpec of(int[] layers, Activation[] activations, float[] dropout, Loss loss) {
        Objects.requireNonNull(activations, "activations");
        Normalization[] none = new Normalization[activations.length];
        Arrays.fill(none, Normalization.NONE);
        return of(layers, activations, dropout, none, loss);
    }

    /**
     * A specification with dropout and a normalization per dense layer (see {@link SparkTrainer} for batch
     * normalization across partitions).
     *
     * @throws IllegalArgumentException naming the bad argument and value
     */
    public static NetworkSpec of(int[] layers, Activation[] activations, float[] dropout, Normalization[] norms,
                                 Loss loss) {
        Objects.requireNonNull(activations, "activations");
        int[] none = new int[activations.length];
        Arrays.fill(none, Mlp.NO_RESIDUAL);
        return of(layers, activations, dropout, norms, none, loss);
    }

    /**
     * A specification with residual blocks too: {@code residual[l]} as {@link Mlp#residualSource}.
     *
     * @throws IllegalArgumentException naming the bad argument and value
     */
    public static NetworkSpec of(int[] layers, Activation[] activations, float[] dropout, Normalization[] norms,
                                 int[] residual, Loss loss) {
        Objects.requireNonNull(layers, "layers");
        Objects.requireNonNull(activations, "activations");
        Objects.requireNonNull(dropout, "dropout");
        Objects.requireNonNull(norms, "norms");
        Objects.requireNonNull(residual, "residual");
        Objects.requireNonNull(loss, "loss");
        Mlp.of(layers, activations, dropout, norms, residual, loss,
                new float[Math.toIntExact(Mlp.parameterCount(layers, norms))], Kernels.scalar());
        return new NetworkSpec(layers, activations, dropout, norms, residual, loss);
    }

    /** The specification of an existing network. */
    public static NetworkSpec of(Mlp mlp) {
        Objects.requireNonNull(mlp, "mlp");
        return new NetworkSpec(mlp.layerSizes(), mlp.activations(), mlp.dropouts(), mlp.normalizations(),
                mlp.residualSources(), mlp.loss());
    }

    /** The layer sizes {@code n_0, …, n_L} (a copy). */
    public int[] layers() {
        return layers.clone();
    }

    /** The activations, one per dense layer (a new array). */
    public Activation[] activations() {
        Activation[] a = new Activation[kinds.length];
        for (int l = 0; l < a.length; l++) {
            a[l] = activation(kinds[l], slopes[l]);
        }
        return a;
    }

    private static Activation activation(Activation.Kind kind, float slope) {
        return kind == Activation.Kind.LEAKY_RELU ? Activation.leakyRelu(slope)
                : kind == Activation.Kind.ELU ? Activation.elu(slope) : Activation.of(kind.name());
    }

    /** The drop probability after each dense layer (a copy). */
    public float[] dropout() {
        return dropout.clone();
    }

    /** The normalization of each dense layer (a copy). */
    public Normalization[] normalizations() {
        return norms.clone();
    }

    /** The loss. */
    public Loss loss() {
        return loss;
    }

    /** Input width {@code n_0}. */
    public int inputSize() {
        return layers[0];
    }

    /** Output width {@code n_L}: the number of classes for a softmax classifier. */
    public int outputSize() {
        return layers[layers.length - 1];
    }

    /** The number of parameters. */
    public int parameterCount() {
        return Math.toIntExact(Mlp.parameterCount(layers, norms));
    }

    /** A network of this architecture initialised from {@code seed} (as {@link Mlp.Builder#seed}). */
    public Mlp initial(long seed, Kernels kernels) {
        Mlp.Builder b = Mlp.builder().input(layers[0]).loss(loss).seed(seed).kernels(kernels);
        Activation[] acts = activations();
        for (int l = 0; l < acts.length; l++) {
            b.dense(layers[l + 1], acts[l]);
            if (norms[l] == Normalization.LAYER) {
                b.layerNorm();
            } else if (norms[l] == Normalization.BATCH) {
                b.batchNorm();
            }
            b.dropout(dropout[l]);
            if (residual[l] != Mlp.NO_RESIDUAL) {
                b.residual(l - residual[l]);
            }
        }
        return b.build();
    }

    /** A network of this architecture with the given parameters (copied). */
    public Mlp withParameters(float[] parameters, Kernels kernels) {
        return Mlp.of(layers, activations(), dropout, norms, residual, loss, parameters, kernels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec && Arrays.equals(layers, ((NetworkSpec) o).layers)
                && Arrays.equals(kinds, ((NetworkSpec) o).kinds) && Arrays.equals(slopes, ((NetworkSpec) o).slopes)
                && Arrays.equals(dropout, ((NetworkSpec) o).dropout) && Arrays.equals(norms, ((NetworkSpec) o).norms)
                && Arrays.equals(residual, ((NetworkSpec) o).residual) && loss == ((NetworkSpec) o).loss;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(layers) * 31 + Arrays.hashCode(kinds) * 17 + loss.hashCode();
    }

    @Override
    public String toString() {
        return "NetworkSpec" + Arrays.toString(layers) + " " + Arrays.toString(activations()) + " "
                + Arrays.toString(norms) + " dropout " + Arrays.toString(dropout) + " residual "
                + Arrays.toString(residual) + " " + loss;
    }
}
