package vecmlp.bench.peers.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import vecmlp.bench.Networks;
import vecmlp.bench.peers.PeerInference;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Mlp;

/**
 * {@code vecmlp.bench.InferenceBenchmark} in ONNX Runtime's Java API (MLAS kernels, graph optimizations on),
 * on the weights of vecmlp's own 784-256-128-10 classifier ({@link Networks#classifier}, as
 * {@code InferenceBenchmark}), exported by {@link OnnxExport} in the setup; the setup checks that both give the same probabilities
 * (to 1e-5, different summation orders) before anything is timed. {@code impl}: {@code onnx} makes the input
 * tensor in each call, as a {@code float[]}-in, {@code float[]}-out call must; {@code onnx-cached} makes one
 * tensor per input array once (at its first call); {@code onnx-pinned} does that too and has ONNX Runtime
 * write into one output tensor per batch size, made once over a direct buffer ({@code run} with pinned
 * outputs, since ONNX Runtime 1.16), copied into one {@code float[]} per batch size: no tensor, map or
 * result buffer made per call, ONNX Runtime's best case from Java. {@code threads}: ONNX Runtime's intra-op
 * threads.
 */
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class InferenceBenchmark extends PeerInference {

    @Param({"onnx", "onnx-cached", "onnx-pinned"})
    public String impl;

    @Param({"1", "2"})
    public int threads;

    private OrtEnvironment env;
    private OrtSession session;
    private boolean cached;
    private final Map<float[], OnnxTensor> tensors = new IdentityHashMap<>();
    private int classes;
    /** {@code onnx-pinned}: per input array its input map, per batch size the output's map and its copy. */
    private boolean pinned;
    private final Map<float[], Map<String, OnnxTensor>> inputMaps = new IdentityHashMap<>();
    @SuppressWarnings("unchecked")
    private final Map<String, OnnxTensor>[] outputMaps = new Map[BATCH + 1];
    private final FloatBuffer[] outputBuffers = new FloatBuffer[BATCH + 1];
    private final float[][] outputArrays = new float[BATCH + 1][];

    @Setup
    public void setUp() throws OrtException {
        if (!impl.equals("onnx") && !impl.equals("onnx-cached") && !impl.equals("onnx-pinned")) {
            throw new IllegalArgumentException("impl must be onnx, onnx-cached or onnx-pinned: '" + impl + "'");
        }
        cached = impl.equals("onnx-cached");
        pinned = impl.equals("onnx-pinned");
        Mlp mlp = Networks.classifier(NET, Kernels.get());
        classes = mlp.outputSize();
        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(OnnxExport.export(mlp), options);
        check(mlp);
        makeInputs();
    }

    /** The same probabilities as vecmlp's {@code predict} on 64 seeded samples, or an exception. */
    private void check(Mlp mlp) throws OrtException {
        int rows = 64;
        SplittableRandom random = new SplittableRandom(11);
        float[] x = new float[rows * INPUTS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        float[] expected = new float[rows * classes];
        mlp.predict(x, rows, expected);
        float[] actual = pinned ? runPinned(x, rows).clone() : run(x, rows, false);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        if (!(worst <= 1e-5)) {
            throw new IllegalStateException("ONNX Runtime's probabilities differ from vecmlp's by " + worst);
        }
        System.out.println("ONNX Runtime " + env.getVersion() + " against vecmlp's predict:"
                + " largest difference " + worst + " over " + expected.length + " probabilities");
    }

    @TearDown
    public void tearDown() throws OrtException {
        for (OnnxTensor t : tensors.values()) {
            t.close();
        }
        for (Map<String, OnnxTensor> m : outputMaps) {
            if (m != null) {
                m.values().forEach(OnnxTensor::close);
            }
        }
        session.close();
    }

    @Override
    protected float[] predict(float[] x, int rows) {
        try {
            return pinned ? runPinned(x, rows) : run(x, rows, cached);
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ONNX Runtime's best case: input tensor and map made once per array, output pinned per batch size. */
    private float[] runPinned(float[] x, int rows) throws OrtException {
        Map<String, OnnxTensor> in = inputMaps.get(x);
        if (in == null) {
            OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {rows, INPUTS});
            tensors.put(x, t);
            in = Map.of("x", t);
            inputMaps.put(x, in);
        }
        Map<String, OnnxTensor> out = outputMaps[rows];
        if (out == null) {
            FloatBuffer buffer = ByteBuffer.allocateDirect(rows * classes * Float.BYTES)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
            out = Map.of("probabilities", OnnxTensor.createTensor(env, buffer, new long[] {rows, classes}));
            outputMaps[rows] = out;
            outputBuffers[rows] = buffer;
            outputArrays[rows] = new float[rows * classes];
        }
        session.run(in, out).close(); // closing the result leaves pinned outputs open
        float[] result = outputArrays[rows];
        outputBuffers[rows].get(0, result);
        return result;
    }

    private float[] run(float[] x, int rows, boolean reuse) throws OrtException {
        OnnxTensor in = reuse ? tensors.get(x) : null;
        if (in == null) {
            in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {rows, INPUTS});
            if (reuse) {
                tensors.put(x, in);
            }
        }
        try (OrtSession.Result result = session.run(Map.of("x", in))) {
            float[] out = new float[rows * classes];
            ((OnnxTensor) result.get(0)).getFloatBuffer().get(out);
            return out;
        } finally {
            if (!reuse) {
                in.close();
            }
        }
    }
}
