package vecmlp.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts samples (rows of a batch) as a JMH secondary metric: a benchmark in {@code Mode.Throughput} with
 * {@code @OutputTimeUnit(SECONDS)} adds its batch size to {@link #samples} on each call, and JMH reports
 * {@code samples} in "ops/s", which is samples/s. The report tool reads it under that name.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class SampleCounter {

    /** Samples processed in this iteration. */
    public long samples;

    /** Starts each iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
        samples = 0;
    }
}
