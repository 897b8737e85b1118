package vecmlp.kernel;

import java.util.Objects;

/**
 * An activation function σ applied elementwise (softmax: row-wise) to pre-activations, {@code A = σ(Z)}
 * (MATH.md, forward pass). Instances are immutable; the constants behave like enum values, and
 * {@link #leakyRelu(float)} makes a leaky ReLU with another slope.
 *
 * <p>Every derivative σ' the library needs can be evaluated from the activation {@code A} alone
 * (ReLU: {@code a > 0}; sigmoid: {@code a(1−a)}; tanh: {@code 1−a²}; softmax: {@code diag(s) − s sᵀ}),
 * so backward passes read {@code A} and the pre-activations of hidden layers need not be kept.
 */
public final class Activation {

    /** The family of an activation. */
    public enum Kind {
        /** {@code σ(z) = z}. */
        IDENTITY,
        /** {@code σ(z) = max(0, z)}; {@code σ'(0) = 0}. */
        RELU,
        /** {@code σ(z) = z} for {@code z > 0}, {@code slope · z} otherwise. */
        LEAKY_RELU,
        /** {@code σ(z) = 1 / (1 + e^−z)}. */
        SIGMOID,
        /** {@code σ(z) = tanh z}. */
        TANH,
        /** Row-wise {@code σ(z)_j = e^(z_j − max z) / Σ_k e^(z_k − max z)}. */
        SOFTMAX,
        /**
         * {@code σ(z) = z} for {@code z > 0}, {@code α·(e^z − 1)} otherwise (Clevert et al. 2015; PyTorch's
         * {@code ELU}); {@code σ' = 1} where {@code A > 0}, else {@code A + α}, from the activation alone.
         */
        ELU,
        /**
         * SiLU (swish), {@code σ(z) = z · sigmoid(z)}; its derivative {@code s·(1 + z·(1 − s))} needs {@code Z}
         * ({@link #needsPreactivation}).
         */
        SILU,
        /**
         * GELU in its tanh form (PyTorch's {@code GELU(approximate='tanh')}),
         * {@code σ(z) = z/2 · (1 + tanh(√(2/π)·(z + 0.044715·z³)))}; its derivative needs {@code Z}.
         */
        GELU_TANH,
        /**
         * Softplus, {@code σ(z) = log(1 + e^z)}, a smooth ReLU (PyTorch's {@code Softplus()}: β 1, and its
         * threshold 20 above which it returns {@code z} gives the same floats), computed as
         * {@code max(z, 0) + log1p(e^−|z|)}; its derivative, the sigmoid of {@code z}, needs {@code Z}.
         */
        SOFTPLUS,
        /**
         * GELU in its exact (erf) form, PyTorch's default {@code GELU()}: {@code σ(z) = z·Φ(z)}, {@code Φ} the
         * standard normal distribution function; its derivative {@code Φ(z) + z·φ(z)} needs {@code Z}.
         */
        GELU
    }

    /** The default slope of {@link #LEAKY_RELU} for {@code z ≤ 0}. */
    public static final float DEFAULT_LEAK = 0.01f;

    /** Identity (linear output). */
    public static final Activation IDENTITY = new Activation(Kind.IDENTITY, 0f);
    /** Rectified linear unit. */
    public static final Activation RELU = new Activation(Kind.RELU, 0f);
    /** Leaky ReLU with slope {@value #DEFAULT_LEAK}. */
    public static final Activation LEAKY_RELU = new Activation(Kind.LEAKY_RELU, DEFAULT_LEAK);
    /** Logistic sigmoid. */
    public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0f);
    /** Hyperbolic tangent. */
    public static final Activation TANH = new Activation(Kind.TANH, 0f);
    /** Row-wise softmax (numerically stable: the row maximum is subtracted first). */
    public static final Activation SOFTMAX = new Activation(Kind.SOFTMAX, 0f);
    /** ELU with {@code α = 1} (PyTorch's default). */
    public static final Activation ELU = new Activation(Kind.ELU, 1f);
    /** SiLU (swish). */
    public static final Activation SILU = new Activation(Kind.SILU, 0f);
    /** GELU, tanh form. */
    public static final Activation GELU_TANH = new Activation(Kind.GELU_TANH, 0f);
    /** Softplus. */
    public static final Activation SOFTPLUS = new Activation(Kind.SOFTPLUS, 0f);
    /** GELU, exact (erf) form. */
    public static final Activation GELU = new Activation(Kind.GELU, 0f);

    private final Kind kind;
    private final float slope;
    /**
     * {@link #usesMath} and {@link #needsPreactivation}, decided once: compiled code that tests them reads a field
     * instead of comparing the kind with each of those it names, a comparison whose first true outcome (the
     * first call with a new activation) would make HotSpot throw away every method the test was compiled into,
     * the GEMM's driver among them.
     */
    private final boolean usesMath;
    private final boolean needsPreactivation;

    private Activation(Kind kind, float slope) {
        this.kind = kind;
        this.slope = slope;
        this.usesMath = kind == Kind.SIGMOID || kind == Kind.TANH || kind == Kind.ELU || kind == Kind.SILU
                || kind == Kind.GELU_TANH || kind == Kind.SOFTPLUS || kind == Kind.GELU;
        this.needsPreactivation = kind == Kind.SILU || kind == Kind.GELU_TANH || kind == Kind.SOFTPLUS
                || kind == Kind.GELU;
    }

    /**
     * A leaky ReLU with the given slope for {@code z ≤ 0}.
     *
     * @param slope in {@code [0, 1)}; 0 gives plain ReLU's values
     * @throws IllegalArgumentException if {@code slope} is outside {@code [0, 1)} or not finite
     */
    public static Activation leakyRelu(float slope) {
        if (!(slope >= 0f && slope < 1f)) {
            throw new IllegalArgumentException("slope must be in [0, 1): " + slope);
        }
        return new Activation(Kind.LEAKY_RELU, slope);
    }

    /**
     * An ELU with the given {@code α} (the value it tends to, negated, as {@code z → −∞}).
     *
     * @param alpha in {@code (0, 100]}
     * @throws IllegalArgumentException if {@code alpha} is outside {@code (0, 100]} or not finite
     */
    public static Activation elu(float alpha) {
        if (!(alpha > 0f && alpha <= 100f)) {
            throw new IllegalArgumentException("alpha must be in (0, 100]: " + alpha);
        }
        return new Activation(Kind.ELU, alpha);
    }

    /**
     * Looks an activation up by name ({@code identity, relu, leaky_relu, sigmoid, tanh, softmax, elu, silu,
     * gelu, gelu_tanh, softplus}, any case).
     */
    public static Activation of(String name) {
        Objects.requireNonNull(name, "name");
        switch (name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_')) {
            case "IDENTITY": case "LINEAR": return IDENTITY;
            case "RELU": return RELU;
            case "LEAKY_RELU": case "LEAKYRELU": return LEAKY_RELU;
            case "SIGMOID": return SIGMOID;
            case "TANH": return TANH;
            case "SOFTMAX": return SOFTMAX;
            case "ELU": return ELU;
            case "SILU": case "SWISH": return SILU;
            case "GELU_TANH": return GELU_TANH;
            case "SOFTPLUS": return SOFTPLUS;
            case "GELU": return GELU;
            default: throw new IllegalArgumentException("unknown activation: '" + name + "'");
        }
    }

    /** The family. */
    public Kind kind() {
        return kind;
    }

    /** The slope for {@code z ≤ 0} of a leaky ReLU, {@code α} of an ELU; 0 for every other kind. */
    public float slope() {
        return slope;
    }

    /**
     * True for the activations computed with {@link VectorMath} (sigmoid, tanh, ELU, SiLU, GELU, softplus): a
     * GEMM applies them after its blocks, not in its micro-kernel's stores.
     */
    boolean usesMath() {
        return usesMath;
    }

    /**
     * True if the derivative needs the pre-activation {@code Z} rather than the activation {@code A} (SiLU and
     * both GELUs, which are not monotonic; softplus, whose derivative from {@code A}, {@code 1 − e^−a}, loses all
     * its digits where {@code z} is very negative): {@link Kernels#activationBackward} then takes {@code Z} in place
     * of {@code A}.
     */
    public boolean needsPreactivation() {
        return needsPreactivation;
    }

    /** True for softmax, the only activation that mixes the elements of a row. */
    public boolean isRowWise() {
        return kind == Kind.SOFTMAX;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Activation && ((Activation) o).kind == kind
                && Float.floatToIntBits(((Activation) o).slope) == Float.floatToIntBits(slope);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Float.floatToIntBits(slope);
    }

    /**
     * The kind's lower-case name, with the slope of a leaky ReLU or the {@code α} of an ELU: {@code relu},
     * {@code leaky_relu(0.01)}, {@code elu(1.0)}.
     */
    @Override
    public String toString() {
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        return kind == Kind.LEAKY_RELU || kind == Kind.ELU ? name + "(" + slope + ")" : name;
    }
}
