package vecmlp.nn;

import vecmlp.kernel.Activation;

/**
 * Weight initialisation of a dense layer with {@code fanIn} inputs and {@code fanOut} outputs; biases start
 * at zero. Draws come from a seeded {@link Rng}, so the same seed gives the same bits.
 */
public enum Init {
    /** He/Kaiming uniform: {@code U(−√(6/fanIn), √(6/fanIn))}; the default for ReLU and leaky ReLU. */
    HE_UNIFORM,
    /** He/Kaiming normal: {@code N(0, 2/fanIn)} (untruncated). */
    HE_NORMAL,
    /** Glorot/Xavier uniform: {@code U(−√(6/(fanIn+fanOut)), √(6/(fanIn+fanOut)))}; the default otherwise. */
    GLOROT_UNIFORM,
    /** Glorot/Xavier normal: {@code N(0, 2/(fanIn+fanOut))} (untruncated). */
    GLOROT_NORMAL;

    /** The default for a layer with this activation: {@link #HE_UNIFORM} for (leaky) ReLU and ELU, {@link #GLOROT_UNIFORM} otherwise. */
    public static Init defaultFor(Activation activation) {
        switch (activation.kind()) {
            case RELU:
            case LEAKY_RELU:
            case ELU:
                return HE_UNIFORM;
            default:
                return GLOROT_UNIFORM;
        }
    }

    /**
     * Fills {@code n = fanIn·fanOut} weights at {@code w[off ..]} with draws from {@code rng}.
     *
     * @throws IllegalArgumentException if a fan is below 1 or the region is outside {@code w}
     */
    public void fill(float[] w, int off, int fanIn, int fanOut, Rng rng) {
        if (fanIn < 1 || fanOut < 1) {
            throw new IllegalArgumentException("fanIn and fanOut must be >= 1: " + fanIn + ", " + fanOut);
        }
        long n = (long) fanIn * fanOut;
        if (off < 0 || off + n > w.length) {
            throw new IllegalArgumentException("region [" + off + ", " + (off + n) + ") outside array of length " + w.length);
        }
        switch (this) {
            case HE_UNIFORM:
                uniform(w, off, (int) n, Math.sqrt(6.0 / fanIn), rng);
                break;
            case HE_NORMAL:
                normal(w, off, (int) n, Math.sqrt(2.0 / fanIn), rng);
                break;
            case GLOROT_UNIFORM:
                uniform(w, off, (int) n, Math.sqrt(6.0 / (fanIn + fanOut)), rng);
                break;
            case GLOROT_NORMAL:
                normal(w, off, (int) n, Math.sqrt(2.0 / (fanIn + fanOut)), rng);
                break;
            default:
                throw new AssertionError(this);
        }
    }

    private static void uniform(float[] w, int off, int n, double limit, Rng rng) {
        for (int i = 0; i < n; i++) {
            w[off + i] = (float) ((2.0 * rng.nextDouble() - 1.0) * limit);
        }
    }

    private static void normal(float[] w, int off, int n, double std, Rng rng) {
        for (int i = 0; i < n; i++) {
            w[off + i] = (float) (rng.nextGaussian() * std);
        }
    }
}
