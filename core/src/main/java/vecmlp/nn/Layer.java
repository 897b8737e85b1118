package vecmlp.nn;

import vecmlp.kernel.Activation;

/**
 * A description of one dense layer of an {@link Mlp}: {@code inputSize → outputSize} with its normalization,
 * activation and the dropout after it, and
 * where its weights ({@code inputSize × outputSize}, row-major) and bias ({@code outputSize}) sit in
 * {@link Mlp#parameters()}. Immutable.
 */
public final class Layer {
    private final int index;
    private final int inputSize;
    private final int outputSize;
    private final Activation activation;
    private final Normalization normalization;
    private final float dropout;
    private final int weightOffset;
    private final int biasOffset;

    Layer(int index, int inputSize, int outputSize, Activation activation, Normalization normalization, float dropout,
          int weightOffset, int biasOffset) {
        this.index = index;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.activation = activation;
        this.normalization = normalization;
        this.dropout = dropout;
        this.weightOffset = weightOffset;
        this.biasOffset = biasOffset;
    }

    /** 0-based position in the network. */
    public int index() {
        return index;
    }

    /** Inputs {@code n_l}. */
    public int inputSize() {
        return inputSize;
    }

    /** Outputs {@code n_{l+1}}. */
    public int outputSize() {
        return outputSize;
    }

    /** The activation. */
    public Activation activation() {
        return activation;
    }

    /** The normalization of this layer's pre-activations, before its activation. */
    public Normalization normalization() {
        return normalization;
    }

    /** The drop probability applied to this layer's activations in training (0: none). */
    public float dropout() {
        return dropout;
    }

    /** Offset of {@code W} in the parameter (and gradient) array. */
    public int weightOffset() {
        return weightOffset;
    }

    /** Number of weights, {@code inputSize · outputSize}. */
    public int weightCount() {
        return inputSize * outputSize;
    }

    /** Offset of {@code b} in the parameter (and gradient) array. */
    public int biasOffset() {
        return biasOffset;
    }

    @Override
    public String toString() {
        return "Layer[" + index + ": " + inputSize + " -> " + outputSize
                + (normalization == Normalization.BATCH ? " batch-norm" : normalization == Normalization.LAYER
                        ? " layer-norm" : "") + " " + activation
                + (dropout > 0f ? ", dropout " + dropout : "") + ", W@" + weightOffset
                + ", b@" + biasOffset + "]";
    }
}
