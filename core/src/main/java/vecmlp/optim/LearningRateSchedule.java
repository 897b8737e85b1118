package vecmlp.optim;

/**
 * A learning-rate schedule: the factor by which an {@link Optimizer}'s base learning rate is multiplied at
 * optimizer step {@code t} (0 for the first update; counted in updates, not epochs). Implementations are
 * pure functions of {@code t}, so a resumed run continues the schedule exactly.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The factor at step {@code t ≥ 0}; finite and ≥ 0. */
    double factor(long t);

    /** Always 1. */
    static LearningRateSchedule constant() {
        return t -> 1.0;
    }

    /** {@code gamma^⌊t / stepSize⌋} (PyTorch {@code StepLR}, per update). */
    static LearningRateSchedule step(long stepSize, double gamma) {
        if (stepSize < 1) {
            throw new IllegalArgumentException("stepSize must be >= 1: " + stepSize);
        }
        checkGamma(gamma);
        return t -> Math.pow(gamma, (double) (t / stepSize));
    }

    /** {@code gamma^t} (PyTorch {@code ExponentialLR}, per update). */
    static LearningRateSchedule exponential(double gamma) {
        checkGamma(gamma);
        return t -> Math.pow(gamma, (double) t);
    }

    /**
     * Cosine annealing from 1 to {@code minFactor} over {@code totalSteps} updates, then {@code minFactor}:
     * {@code minFactor + (1 − minFactor)·(1 + cos(π·min(t, T)/T))/2} (PyTorch {@code CosineAnnealingLR}, one period).
     */
    static LearningRateSchedule cosine(long totalSteps, double minFactor) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1: " + totalSteps);
        }
        if (!(minFactor >= 0.0 && minFactor <= 1.0)) {
            throw new IllegalArgumentException("minFactor must be in [0, 1]: " + minFactor);
        }
        return t -> minFactor + (1.0 - minFactor) * 0.5 * (1.0 + Math.cos(Math.PI * Math.min(t, totalSteps) / totalSteps));
    }

    /**
     * Linear warm-up over the first {@code warmupSteps} updates, {@code (t + 1)/warmupSteps}, then {@code after}
     * shifted to start at 0: {@code after.factor(t − warmupSteps)}.
     */
    static LearningRateSchedule linearWarmup(long warmupSteps, LearningRateSchedule after) {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0: " + warmupSteps);
        }
        java.util.Objects.requireNonNull(after, "after");
        return t -> t < warmupSteps ? (double) (t + 1) / warmupSteps : after.factor(t - warmupSteps);
    }

    private static void checkGamma(double gamma) {
        if (!(gamma > 0.0 && gamma <= 1.0)) {
            throw new IllegalArgumentException("gamma must be in (0, 1]: " + gamma);
        }
    }
}
