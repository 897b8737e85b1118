package vecmlp.spark;

import java.io.Serializable;
import vecmlp.optim.Optimizer;

/**
 * Makes a fresh core {@link Optimizer} (any rule, schedule and clipping); serializable so executors can build
 * their own in averaging mode. A lambda works: {@code () -> Optimizer.adam(1e-3f).clipNorm(5f)}. Must return a
 * new, unstepped optimizer with the same settings on every call.
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {

    /** A new optimizer in its initial state. */
    Optimizer create();
}
