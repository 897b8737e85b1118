package vecmlp.optim;

import java.util.Objects;
import vecmlp.kernel.Kernels;

/**
 * A gradient-descent update rule over one flat parameter array and its gradient array of the same layout
 * (MATH.md: {@code θ ← θ − η·∂L/∂θ} and its refinements), each a single kernel pass:
 * <ul>
 *   <li>{@link #sgd}: {@code θ ← θ − η·(g + λθ)} (PyTorch {@code SGD});</li>
 *   <li>{@link #momentum} / {@link #nesterov}: PyTorch {@code SGD(momentum=μ, nesterov=…)}, dampening 0;</li>
 *   <li>{@link #adam}: PyTorch {@code Adam} (weight decay as L2 added to the gradient);</li>
 *   <li>{@link #adamW}: PyTorch {@code AdamW} (decoupled weight decay {@code θ ← θ(1 − ηλ)}).</li>
 * </ul>
 * Options, set before the first step: {@link #weightDecay(float)} (λ), {@link #clipNorm(float)} (clip the
 * gradient to a global norm first), {@link #schedule(LearningRateSchedule)} (η at step {@code t} is
 * {@code learningRate · factor(t)}), {@link #kernels(Kernels)}.
 *
 * <p>State (velocity, or Adam's {@code m} and {@code v}) lives in flat arrays of the parameters' length,
 * allocated at the first step. After every {@value #FLUSH_INTERVAL}th step its subnormal values are set to zero
 * ({@link Kernels#flushSubnormals}), where PyTorch keeps them: a parameter whose gradient has become exactly zero
 * (a ReLU unit that died) has moments that decay by β each step into the subnormal range and, rounding, stay
 * there for good, and x86 computes on subnormals many times slower. What such a value adds to an update is
 * below {@code lr · 2⁻¹²⁶} (momentum) or {@code lr · 2⁻¹²⁶ / (ε · (1 − β₁ᵗ))} (Adam's {@code m}; with
 * ε ≥ 1e-8 a subnormal {@code v} changes nothing, its root staying below half of ε's last bit).
 * {@link #stepCount()}, {@link #stateBuffers()} and {@link #restoreState} read and restore the state for
 * checkpoints, so a resumed run continues bit-identically. Not thread-safe.
 */
public final class Optimizer {

    /** The update rule. */
    public enum Kind {
        /** Plain stochastic gradient descent. */
        SGD,
        /** Heavy-ball momentum. */
        MOMENTUM,
        /** Nesterov momentum. */
        NESTEROV,
        /** Adam with L2 weight decay. */
        ADAM,
        /** Adam with decoupled weight decay. */
        ADAMW
    }

    private final Kind kind;
    private final float learningRate;
    private final float momentum;
    private float beta1 = 0.9f;
    private float beta2 = 0.999f;
    private float eps = 1e-8f;
    private float weightDecay;
    private float clipNorm;
    private LearningRateSchedule schedule = LearningRateSchedule.constant();
    /**
     * Null until {@link #kernels(Kernels)} or the first step: {@link Kernels#get()} is asked for only then, so an
     * optimizer given its kernels never starts the default kernels' background warm-up.
     */
    private Kernels kernels;

    /**
     * Steps between two flushes of the state to zero ({@link Kernels#flushSubnormals}): a dying moment spends at
     * most this many steps in the subnormal range, and the flush, a pass over the state, costs about a
     * sixteenth of one per step.
     */
    public static final int FLUSH_INTERVAL = 16;

    private long step;
    private float[] state1;
    private float[] state2;
    private float lastGradNorm = Float.NaN;

    private Optimizer(Kind kind, float learningRate, float momentum, float weightDecay) {
        if (!(learningRate >= 0f) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and >= 0: " + learningRate);
        }
        if (!(momentum >= 0f && momentum < 1f)) {
            throw new IllegalArgumentException("momentum must be in [0, 1): " + momentum);
        }
        this.kind = kind;
        this.learningRate = learningRate;
        this.momentum = momentum;
        weightDecay(weightDecay);
    }

    /** Plain SGD with learning rate {@code lr}. */
    public static Optimizer sgd(float lr) {
        return new Optimizer(Kind.SGD, lr, 0f, 0f);
    }

    /** SGD with momentum {@code mu} in {@code [0, 1)}. */
    public static Optimizer momentum(float lr, float mu) {
        return new Optimizer(Kind.MOMENTUM, lr, mu, 0f);
    }

    /** SGD with Nesterov momentum {@code mu} in {@code [0, 1)}. */
    public static Optimizer nesterov(float lr, float mu) {
        return new Optimizer(Kind.NESTEROV, lr, mu, 0f);
    }

    /** Adam with β₁ = 0.9, β₂ = 0.999, ε = 1e-8 (change with {@link #betas} and {@link #eps}). */
    public static Optimizer adam(float lr) {
        return new Optimizer(Kind.ADAM, lr, 0f, 0f);
    }

    /** AdamW with decoupled weight decay λ = {@code weightDecay} (PyTorch's default is 0.01). */
    public static Optimizer adamW(float lr, float weightDecay) {
        return new Optimizer(Kind.ADAMW, lr, 0f, weightDecay);
    }

    /**
     * Creates an optimizer from its settings (e.g. read from a checkpoint); {@code momentum} is ignored except
     * for the momentum kinds, the betas and eps except for Adam's.
     */
    public static Optimizer of(Kind kind, float lr, float momentum, float beta1, float beta2, float eps,
                               float weightDecay) {
        Objects.requireNonNull(kind, "kind");
        boolean usesMomentum = kind == Kind.MOMENTUM || kind == Kind.NESTEROV;
        Optimizer o = new Optimizer(kind, lr, usesMomentum ? momentum : 0f, weightDecay);
        if (kind == Kind.ADAM || kind == Kind.ADAMW) {
            o.betas(beta1, beta2).eps(eps);
        }
        return o;
    }

    // ------------------------------------------------------------------ options

    /** λ ≥ 0: L2 (added to the gradient) for SGD, momentum and Adam; decoupled for AdamW. */
    public Optimizer weightDecay(float weightDecay) {
        if (!(weightDecay >= 0f) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be finite and >= 0: " + weightDecay);
        }
        this.weightDecay = weightDecay;
        return this;
    }

    /** Adam's β₁, β₂ in {@code [0, 1)}. */
    public Optimizer betas(float beta1, float beta2) {
        if (!(beta1 >= 0f && beta1 < 1f)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1): " + beta1);
        }
        if (!(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1): " + beta2);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        return this;
    }

    /** Adam's ε, finite and > 0. */
    public Optimizer eps(float eps) {
        if (!(eps > 0f) || !Float.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be finite and > 0: " + eps);
        }
        this.eps = eps;
        return this;
    }

    /** Clip the gradient to this global Euclidean norm before each step (0: off, the default). */
    public Optimizer clipNorm(float maxNorm) {
        if (!(maxNorm >= 0f) || !Float.isFinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm must be finite and >= 0: " + maxNorm);
        }
        this.clipNorm = maxNorm;
        return this;
    }

    /** The learning-rate schedule (default constant). */
    public Optimizer schedule(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        return this;
    }

    /**
     * The kernels that run the update (default {@link Kernels#get()}, taken at the first step; usually the
     * model's).
     */
    public Optimizer kernels(Kernels kernels) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        return this;
    }

    // ------------------------------------------------------------------ the step

    /**
     * One update of {@code params} from {@code grads} (same length). First the gradient's global norm is
     * computed (one pass); if it is not finite, an {@link ArithmeticException} is thrown and nothing is
     * written. Then, with clipping on, {@code grads} is scaled in place; then the rule's kernel updates
     * {@code params} and the state, and the step count increases. Allocates only at the first step.
     *
     * @throws IllegalArgumentException if the lengths differ from each other or from the state's
     */
    public void step(float[] params, float[] grads) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(grads, "grads");
        int n = params.length;
        if (grads.length != n) {
            throw new IllegalArgumentException("grads.length must equal params.length " + n + ": " + grads.length);
        }
        if (state1 != null && state1.length != n) {
            throw new IllegalArgumentException("params.length must equal the optimizer state's length "
                    + state1.length + ": " + n);
        }
        Kernels kernels = this.kernels;
        if (kernels == null) {
            this.kernels = kernels = Kernels.get();
        }
        float norm = (float) Math.sqrt(kernels.sumOfSquares(n, grads, 0));
        lastGradNorm = norm;
        if (!Float.isFinite(norm)) {
            throw new ArithmeticException("gradient norm is not finite at optimizer step " + step + ": " + norm
                    + "; parameters unchanged");
        }
        if (clipNorm > 0f && norm > clipNorm) {
            kernels.scale(n, (float) (clipNorm / (norm + 1e-6)), grads, 0);
        }
        float lr = learningRate();
        switch (kind) {
            case SGD:
                kernels.sgdStep(n, lr, weightDecay, params, 0, grads, 0);
                break;
            case MOMENTUM:
            case NESTEROV:
                ensureState(n, 1);
                kernels.momentumStep(n, lr, momentum, weightDecay, kind == Kind.NESTEROV, params, 0, grads, 0, state1, 0);
                if ((step + 1) % FLUSH_INTERVAL == 0) {
                    kernels.flushSubnormals(n, state1, 0);
                }
                break;
            case ADAM:
            case ADAMW:
                ensureState(n, 2);
                kernels.adamStep(n, lr, beta1, beta2, eps, weightDecay, kind == Kind.ADAMW, step + 1,
                        params, 0, grads, 0, state1, 0, state2, 0);
                if ((step + 1) % FLUSH_INTERVAL == 0) {
                    kernels.flushSubnormals(n, state1, 0);
                    kernels.flushSubnormals(n, state2, 0);
                }
                break;
            default:
                throw new AssertionError(kind);
        }
        step++;
    }

    private void ensureState(int n, int buffers) {
        if (state1 == null) {
            state1 = new float[n];
            if (buffers == 2) {
                state2 = new float[n];
            }
        }
    }

    // ------------------------------------------------------------------ state and settings

    /** The learning rate of the next step: {@code learningRate · schedule.factor(stepCount())}. */
    public float learningRate() {
        return (float) (learningRate * schedule.factor(step));
    }

    /** The base learning rate. */
    public float baseLearningRate() {
        return learningRate;
    }

    /** The update rule. */
    public Kind kind() {
        return kind;
    }

    /** Momentum μ (0 unless {@link Kind#MOMENTUM} or {@link Kind#NESTEROV}). */
    public float momentumFactor() {
        return momentum;
    }

    /** Adam's β₁. */
    public float beta1() {
        return beta1;
    }

    /** Adam's β₂. */
    public float beta2() {
        return beta2;
    }

    /** Adam's ε. */
    public float epsilon() {
        return eps;
    }

    /** λ. */
    public float weightDecayFactor() {
        return weightDecay;
    }

    /** The clipping norm (0: off). */
    public float clipNormValue() {
        return clipNorm;
    }

    /** The schedule. */
    public LearningRateSchedule scheduleValue() {
        return schedule;
    }

    /** The gradient's global norm before clipping at the last step (NaN before the first). */
    public float lastGradientNorm() {
        return lastGradNorm;
    }

    /** Updates done so far ({@code t}; Adam's bias correction uses {@code t + 1} for the next step). */
    public long stepCount() {
        return step;
    }

    /**
     * The live state buffers: none for SGD; {@code {velocity}} for momentum; {@code {m, v}} for Adam(W).
     * Empty before the first step allocates them.
     */
    public float[][] stateBuffers() {
        if (state1 == null) {
            return new float[0][];
        }
        return state2 == null ? new float[][] {state1} : new float[][] {state1, state2};
    }

    /** The number of state buffers this rule keeps: 0, 1 or 2. */
    public int stateBufferCount() {
        switch (kind) {
            case SGD:
                return 0;
            case MOMENTUM:
            case NESTEROV:
                return 1;
            default:
                return 2;
        }
    }

    /**
     * Restores a checkpoint: the step count and copies of the state buffers ({@link #stateBufferCount()} arrays
     * of equal length; none for SGD or for a checkpoint taken before the first step).
     */
    public void restoreState(long stepCount, float[][] buffers) {
        if (stepCount < 0) {
            throw new IllegalArgumentException("stepCount must be >= 0: " + stepCount);
        }
        Objects.requireNonNull(buffers, "buffers");
        if (buffers.length != 0 && buffers.length != stateBufferCount()) {
            throw new IllegalArgumentException("buffers.length must be " + stateBufferCount() + " for " + kind + ": "
                    + buffers.length);
        }
        for (int i = 0; i < buffers.length; i++) {
            Objects.requireNonNull(buffers[i], "buffers[" + i + "]");
            if (buffers[i].length != buffers[0].length) {
                throw new IllegalArgumentException("buffers[" + i + "].length must be " + buffers[0].length + ": "
                        + buffers[i].length);
            }
        }
        this.step = stepCount;
        this.state1 = buffers.length > 0 ? buffers[0].clone() : null;
        this.state2 = buffers.length > 1 ? buffers[1].clone() : null;
    }

    /** Forgets the state: step 0, state reallocated (zero) at the next step. */
    public void reset() {
        step = 0;
        state1 = null;
        state2 = null;
        lastGradNorm = Float.NaN;
    }

    @Override
    public String toString() {
        return "Optimizer[" + kind + ", lr=" + learningRate + (momentum != 0f ? ", momentum=" + momentum : "")
                + (kind == Kind.ADAM || kind == Kind.ADAMW ? ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps : "")
                + (weightDecay != 0f ? ", weightDecay=" + weightDecay : "")
                + (clipNorm != 0f ? ", clipNorm=" + clipNorm : "") + ", step=" + step + "]";
    }
}
