package vecmlp.bench.peers;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import vecmlp.bench.SampleCounter;

/**
 * The two measurements of {@code vecmlp.bench.InferenceBenchmark}, shared by the peer libraries: the
 * 784-256-128-10 classifier's softmax output for one sample ({@link #latency}, µs) and for batches of
 * {@value #BATCH} ({@link #throughput}, samples/s), each call from a Java {@code float[]} to a Java
 * {@code float[]}, as {@code Mlp.predict} does. A peer's subclass builds its network in its {@code @Setup},
 * calls {@link #makeInputs()} and implements {@link #predict}; JMH generates the benchmarks under the
 * subclass's name.
 */
@State(Scope.Thread)
public abstract class PeerInference {

    /** The network measured. */
    protected static final String NET = "784-256-128-10";
    /** Samples per batch of {@link #throughput}. */
    protected static final int BATCH = 128;
    /** Input width of {@link #NET}. */
    protected static final int INPUTS = 784;
    private static final int SAMPLES = 1024;

    private float[][] one;
    private float[][] batches;
    private int oneNext;
    private int batchNext;

    /** The softmax outputs of {@code rows} samples {@code x} (row-major, {@code rows × INPUTS}), row-major. */
    protected abstract float[] predict(float[] x, int rows);

    /** Makes the seeded inputs in [0, 1): {@value #SAMPLES} single samples and batches cut from them. */
    protected final void makeInputs() {
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[SAMPLES * INPUTS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        one = new float[SAMPLES][];
        for (int r = 0; r < SAMPLES; r++) {
            one[r] = Arrays.copyOfRange(x, r * INPUTS, (r + 1) * INPUTS);
        }
        batches = new float[SAMPLES / BATCH][];
        for (int b = 0; b < batches.length; b++) {
            batches[b] = Arrays.copyOfRange(x, b * BATCH * INPUTS, (b + 1) * BATCH * INPUTS);
        }
    }

    /** One sample through the network. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] latency() {
        int row = oneNext;
        oneNext = oneNext + 1 == SAMPLES ? 0 : oneNext + 1;
        return predict(one[row], 1);
    }

    /** A batch of {@value #BATCH} samples through the network. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] throughput(SampleCounter samples) {
        int b = batchNext;
        batchNext = batchNext + 1 == batches.length ? 0 : batchNext + 1;
        samples.samples += BATCH;
        return predict(batches[b], BATCH);
    }
}
