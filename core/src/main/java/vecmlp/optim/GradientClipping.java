package vecmlp.optim;

import vecmlp.kernel.Kernels;

/** Gradient clipping by global norm (PyTorch {@code clip_grad_norm_}), one kernel pass over one flat array. */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * Scales {@code grad[0 .. n)} by {@code maxNorm / (‖grad‖ + 1e-6)} if its Euclidean norm exceeds
     * {@code maxNorm}; returns the norm before clipping (NaN or infinite if a gradient is).
     * Leaves {@code grad} unchanged if the norm is not finite.
     *
     * @param maxNorm finite and > 0
     */
    public static float clipByGlobalNorm(Kernels kernels, float[] grad, int n, float maxNorm) {
        if (!(maxNorm > 0f) || !Float.isFinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm must be finite and > 0: " + maxNorm);
        }
        float norm = (float) Math.sqrt(kernels.sumOfSquares(n, grad, 0));
        if (Float.isFinite(norm) && norm > maxNorm) {
            kernels.scale(n, (float) (maxNorm / (norm + 1e-6)), grad, 0);
        }
        return norm;
    }
}
