package vecmlp.nn;

/**
 * What normalizes a dense layer's pre-activations {@code Z} before its activation ({@link Mlp.Builder#batchNorm}).
 */
public enum Normalization {
    /** None: {@code A = σ(Z)}. */
    NONE,
    /**
     * Batch normalization (PyTorch's {@code BatchNorm1d} between {@code Linear} and the activation):
     * {@code A = σ(γ ⊙ (Z − μ) / √(σ² + ε) + β)}, with {@code μ}, {@code σ²} the batch's column mean and biased
     * variance in training passes, and the running statistics in inference passes; these follow
     * {@code r ← (1 − momentum)·r + momentum·s} in each training pass, with the unbiased variance
     * ({@code ε = }{@value Mlp#BATCH_NORM_EPSILON}, {@code momentum = }{@value Mlp#BATCH_NORM_MOMENTUM}).
     * {@code γ} and {@code β} are parameters.
     */
    BATCH,
    /**
     * Layer normalization (PyTorch's {@code LayerNorm(n)} between {@code Linear} and the activation): each row
     * normalized with its own mean and biased variance, {@code A = σ(γ ⊙ (Z − μ_row) / √(σ²_row + ε) + β)}, the
     * same in training and inference ({@code ε = }{@value Mlp#LAYER_NORM_EPSILON}). {@code γ} and {@code β} are
     * parameters.
     */
    LAYER
}
