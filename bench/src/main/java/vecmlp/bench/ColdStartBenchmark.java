package vecmlp.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vecmlp.nn.Mlp;
import vecmlp.nn.Workspace;
import vecmlp.optim.Optimizer;

/**
 * The first seconds of a fresh JVM: the time of the first 1, 100 and 1,000 training steps (forward,
 * backward, Adam) and of the first batch-1 and batch-128 {@code predict}, each measured once per fork
 * ({@code SingleShotTime}) in {@value #FORKS} fresh JVMs, so the JIT has compiled nothing of vecmlp when
 * the clock starts. The network, optimizer and data are made in {@code @Setup} (which, for {@code auto},
 * also starts the background warm-up, as building a network does for a user). {@code net} is
 * {@code layers:batch}. Compare {@code simd} (the Vector API kernels alone), {@code auto} (the same kernels
 * behind the cold-start guard, the same bits) and {@code scalar}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = ColdStartBenchmark.FORKS, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class ColdStartBenchmark {

    /** Fresh JVMs per benchmark and parameter set. */
    static final int FORKS = 10;
    /** Samples the batches are taken from, in turn. */
    static final int SAMPLES = 2048;

    @Param({"64-128-10:32", "784-256-128-10:128"})
    public String net;

    @Param({"scalar", "simd", "auto"})
    public String impl;

    private Mlp mlp;
    private Optimizer adam;
    private Workspace ws;
    private float[] grad;
    private float[] x;
    private int[] labels;
    private float[] out;
    private int inputs;
    private int batch;

    @Setup
    public void setUp() {
        String[] parts = net.split(":");
        batch = Integer.parseInt(parts[1]);
        mlp = Networks.classifier(parts[0], Impls.kernels(impl));
        adam = Optimizer.adam(1e-3f).kernels(mlp.kernels());
        ws = mlp.newWorkspace(Math.max(batch, 128));
        grad = mlp.newGradients();
        inputs = mlp.inputSize();
        x = Networks.inputs(SAMPLES, inputs, 1);
        labels = Networks.labels(SAMPLES, mlp.outputSize(), 2);
        out = new float[128 * mlp.outputSize()];
    }

    private float steps(int n) {
        float loss = 0f;
        for (int s = 0; s < n; s++) {
            loss += step(s);
        }
        return loss;
    }

    /** Training step {@code s} (0-based; the batches cycle through the samples); returns its loss. */
    float step(int s) {
        int row = (s % (SAMPLES / batch)) * batch;
        float loss = mlp.computeGradient(x, row * inputs, batch, labels, row, grad, ws);
        adam.step(mlp.parameters(), grad);
        return loss;
    }

    /** The first training step. */
    @Benchmark
    public float firstStep() {
        return steps(1);
    }

    /** The first 100 training steps. */
    @Benchmark
    public float first100Steps() {
        return steps(100);
    }

    /** The first 1,000 training steps. */
    @Benchmark
    public float first1000Steps() {
        return steps(1000);
    }

    /** The first prediction of one sample. */
    @Benchmark
    public float firstPredict1() {
        mlp.predict(x, 0, 1, out, 0, ws);
        return out[0];
    }

    /** The first prediction of a batch of 128 samples. */
    @Benchmark
    public float firstPredict128() {
        mlp.predict(x, 0, 128, out, 0, ws);
        return out[0];
    }
}
