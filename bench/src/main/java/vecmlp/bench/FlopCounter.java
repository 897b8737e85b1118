package vecmlp.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts floating-point work as a JMH secondary metric: a benchmark in {@code Mode.Throughput} with
 * {@code @OutputTimeUnit(SECONDS)} adds the FLOPs of each call, in units of 10⁹, to {@link #gflop}, and
 * JMH reports {@code gflop} in "ops/s", which is GFLOP/s. The report tool reads it under that name.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class FlopCounter {

    /** FLOPs done in this iteration, in units of 10⁹. */
    public double gflop;

    /** Starts each iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
        gflop = 0;
    }
}
