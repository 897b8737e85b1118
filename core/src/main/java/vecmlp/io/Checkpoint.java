package vecmlp.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Mlp;
import vecmlp.nn.Rng;
import vecmlp.optim.Optimizer;

/**
 * A snapshot of a training run that resumes bit-identically: the model, the optimizer's rule, settings,
 * step count and state buffers, the epoch to run next, the run's seed and the state of a caller's
 * {@link Rng}. Saved as a {@link ModelFile} (so {@link ModelFile#load} reads the model out of it, and the
 * Python safetensors ecosystem reads every tensor) with {@code vecmlp.format = "mlp-checkpoint"}, these
 * metadata strings (decimal; floats in {@link Float#toString(float)} form, which reads back exactly)
 * <pre>
 *   vecmlp.checkpoint.epoch      next epoch to run (0-based)      vecmlp.checkpoint.step   optimizer steps done
 *   vecmlp.checkpoint.batch      next batch of that epoch (0-based)
 *   vecmlp.checkpoint.seed       the run's seed                   vecmlp.checkpoint.rng_state  an Rng's state
 *   vecmlp.optimizer.kind        sgd, momentum, nesterov, adam, adamw
 *   vecmlp.optimizer.learning_rate, .momentum, .beta1, .beta2, .epsilon, .weight_decay, .clip_norm
 * </pre>
 * and the optimizer's state buffers (velocity; or Adam's {@code m}, {@code v}) as tensors
 * {@code optimizer.state.0}, {@code optimizer.state.1} of shape {@code [parameterCount]}, in the layout of
 * {@link Mlp#parameters()}.
 *
 * <p><b>Resuming.</b> With a {@link vecmlp.train.Trainer}, save in {@code onEpochEnd} with
 * {@code epoch = event.epoch() + 1}, or in {@code onBatchEnd} with {@code epoch = event.epoch()},
 * {@code batch = event.batch() + 1} (or the next epoch and batch 0 after an epoch's last batch); to resume,
 * load, build the model and optimizer from the checkpoint ({@link #model()}, {@link #optimizer()} or
 * {@link #restoreOptimizer(Optimizer)}; a learning-rate schedule is not stored, set the same one again) and
 * train with the same seed and {@code startAt(epoch(), batch())}. The parameters then equal those of a run
 * that never stopped, bit for bit.
 *
 * <p>Immutable: {@link #of} copies the parameters and the optimizer state, and the accessors return copies.
 * Safe to share between threads.
 */
public final class Checkpoint {

    static final String STATE_PREFIX = "optimizer.";
    static final String STATE_NAME = "optimizer.state.";

    static final String KEY_EPOCH = "vecmlp.checkpoint.epoch";
    static final String KEY_STEP = "vecmlp.checkpoint.step";
    static final String KEY_BATCH = "vecmlp.checkpoint.batch";
    static final String KEY_SEED = "vecmlp.checkpoint.seed";
    static final String KEY_RNG = "vecmlp.checkpoint.rng_state";
    static final String KEY_KIND = "vecmlp.optimizer.kind";
    static final String KEY_LR = "vecmlp.optimizer.learning_rate";
    static final String KEY_MOMENTUM = "vecmlp.optimizer.momentum";
    static final String KEY_BETA1 = "vecmlp.optimizer.beta1";
    static final String KEY_BETA2 = "vecmlp.optimizer.beta2";
    static final String KEY_EPS = "vecmlp.optimizer.epsilon";
    static final String KEY_DECAY = "vecmlp.optimizer.weight_decay";
    static final String KEY_CLIP = "vecmlp.optimizer.clip_norm";

    private static final Pattern LONG = Pattern.compile("-?(0|[1-9][0-9]{0,18})");
    private static final Pattern FLOAT = Pattern.compile("[0-9]+\\.[0-9]+(E-?[0-9]+)?");

    private final Mlp model;
    private final int epoch;
    private final int batch;
    private final long seed;
    private final long rngState;
    private final Optimizer.Kind kind;
    /** lr, momentum, beta1, beta2, eps, weight decay, clip norm. */
    private final float[] settings;
    private final long step;
    private final float[][] state;

    private Checkpoint(Mlp model, int epoch, int batch, long seed, long rngState, Optimizer.Kind kind,
                       float[] settings, long step, float[][] state) {
        this.model = model;
        this.epoch = epoch;
        this.batch = batch;
        this.seed = seed;
        this.rngState = rngState;
        this.kind = kind;
        this.settings = settings;
        this.step = step;
        this.state = state;
    }

    /** A snapshot at an epoch boundary: {@link #of(Mlp, Optimizer, int, int, long, long) of(…, epoch, 0, …)}. */
    public static Checkpoint of(Mlp model, Optimizer optimizer, int epoch, long seed, long rngState) {
        return of(model, optimizer, epoch, 0, seed, rngState);
    }

    /**
     * A snapshot of a run now (copies the parameters and the optimizer state).
     *
     * @param epoch    the next epoch to run, ≥ 0 (the number of completed epochs)
     * @param batch    the next batch of that epoch to run, ≥ 0
     * @param seed     the run's seed (for {@link vecmlp.train.Trainer.Builder#seed})
     * @param rngState the state of a caller's {@link Rng} ({@link Rng#state()}; any value if none is used)
     * @throws IllegalArgumentException if {@code epoch} or {@code batch} is negative, or the optimizer's state
     *                                  does not fit the model
     */
    public static Checkpoint of(Mlp model, Optimizer optimizer, int epoch, int batch, long seed, long rngState) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimizer, "optimizer");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0: " + epoch);
        }
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0: " + batch);
        }
        float[][] buffers = optimizer.stateBuffers();
        float[][] copy = new float[buffers.length][];
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i].length != model.parameterCount()) {
                throw new IllegalArgumentException("optimizer state buffer " + i + " has " + buffers[i].length
                        + " values, the model " + model.parameterCount() + " parameters");
            }
            copy[i] = buffers[i].clone();
        }
        return new Checkpoint(ModelFile.copyOf(model), epoch, batch, seed, rngState, optimizer.kind(),
                settingsOf(optimizer), optimizer.stepCount(), copy);
    }

    private static float[] settingsOf(Optimizer o) {
        return new float[] {o.baseLearningRate(), o.momentumFactor(), o.beta1(), o.beta2(), o.epsilon(),
            o.weightDecayFactor(), o.clipNormValue()};
    }

    private static final String[] SETTING_KEYS = {KEY_LR, KEY_MOMENTUM, KEY_BETA1, KEY_BETA2, KEY_EPS, KEY_DECAY,
        KEY_CLIP};

    /** The model: a new copy at each call, computing with the kernels it was loaded or snapshot with. */
    public Mlp model() {
        return ModelFile.copyOf(model);
    }

    /** The next epoch to run (the number of completed epochs). */
    public int epoch() {
        return epoch;
    }

    /** The next batch of {@link #epoch()} to run (0 at an epoch boundary). */
    public int batch() {
        return batch;
    }

    /** The optimizer steps done. */
    public long step() {
        return step;
    }

    /** The run's seed. */
    public long seed() {
        return seed;
    }

    /** The saved {@link Rng#state()}; {@code new Rng(0).setState(rngState())} continues its sequence. */
    public long rngState() {
        return rngState;
    }

    /** The optimizer's rule. */
    public Optimizer.Kind optimizerKind() {
        return kind;
    }

    /** Copies of the optimizer's state buffers (none for SGD or before the first step). */
    public float[][] optimizerState() {
        float[][] out = new float[state.length][];
        for (int i = 0; i < state.length; i++) {
            out[i] = state[i].clone();
        }
        return out;
    }

    /**
     * A new optimizer of the saved rule and settings with the saved step count and state; its kernels are
     * the model's. A learning-rate schedule is not saved: set it again with {@link Optimizer#schedule}.
     */
    public Optimizer optimizer() {
        Optimizer o = Optimizer.of(kind, settings[0], settings[1], settings[2], settings[3], settings[4], settings[5])
                .clipNorm(settings[6]).kernels(model.kernels());
        o.restoreState(step, optimizerState());
        return o;
    }

    /**
     * Restores the saved step count and state into {@code optimizer}, after checking that its rule and
     * settings are the saved ones (resuming with others would not continue the same run).
     *
     * @throws IllegalArgumentException naming the first setting that differs; the optimizer is then unchanged
     */
    public void restoreOptimizer(Optimizer optimizer) {
        Objects.requireNonNull(optimizer, "optimizer");
        if (optimizer.kind() != kind) {
            throw new IllegalArgumentException("optimizer kind must be the checkpoint's " + kind + ": "
                    + optimizer.kind());
        }
        float[] now = settingsOf(optimizer);
        for (int i = 0; i < now.length; i++) {
            if (Float.floatToIntBits(now[i]) != Float.floatToIntBits(settings[i])) {
                throw new IllegalArgumentException("optimizer " + SETTING_KEYS[i].substring("vecmlp.optimizer.".length())
                        + " must be the checkpoint's " + settings[i] + ": " + now[i]);
            }
        }
        optimizer.restoreState(step, optimizerState());
    }

    // ---------------------------------------------------------------- files

    /**
     * Saves atomically (see {@link SafeTensors#write(Path)}).
     *
     * @throws IllegalArgumentException if a parameter or state value is NaN or infinite and
     *                                  {@link ModelFile.Option#ALLOW_NON_FINITE} is not given (nothing is written)
     * @throws IOException              if the file cannot be written (the target is then unchanged)
     */
    public void save(Path file, ModelFile.Option... options) throws IOException {
        Objects.requireNonNull(file, "file");
        toTensors(options).write(file);
    }

    /** The file content: the model's tensors and metadata plus the run's state (see the class comment). */
    public SafeTensors toTensors(ModelFile.Option... options) {
        Set<ModelFile.Option> opts = ModelFile.options(options);
        Map<String, String> meta = ModelFile.metadata(model, ModelFile.FORMAT_CHECKPOINT);
        meta.put(KEY_EPOCH, Integer.toString(epoch));
        meta.put(KEY_BATCH, Integer.toString(batch));
        meta.put(KEY_STEP, Long.toString(step));
        meta.put(KEY_SEED, Long.toString(seed));
        meta.put(KEY_RNG, Long.toString(rngState));
        meta.put(KEY_KIND, kind.name().toLowerCase(Locale.ROOT));
        for (int i = 0; i < settings.length; i++) {
            meta.put(SETTING_KEYS[i], Float.toString(settings[i]));
        }
        List<SafeTensors.Tensor> tensors = new ArrayList<>(ModelFile.tensors(model, options));
        for (int i = 0; i < state.length; i++) {
            if (!opts.contains(ModelFile.Option.ALLOW_NON_FINITE)) {
                for (int j = 0; j < state[i].length; j++) {
                    if (!Float.isFinite(state[i][j])) {
                        throw new IllegalArgumentException("optimizer state " + STATE_NAME + i + "[" + j
                                + "] must be finite to be saved: " + state[i][j]
                                + " (pass ModelFile.Option.ALLOW_NON_FINITE to save it anyway)");
                    }
                }
            }
            tensors.add(SafeTensors.Tensor.vector(STATE_NAME + i, state[i]));
        }
        return SafeTensors.of(meta, tensors);
    }

    /**
     * Loads a checkpoint; its model computes with {@link Kernels#get()}.
     *
     * @throws ModelFormatException if the file is not a valid vecmlp checkpoint
     * @throws IOException          if it cannot be read
     */
    public static Checkpoint load(Path file, ModelFile.Option... options) throws IOException {
        return load(file, Kernels.get(), options);
    }

    /** As {@link #load(Path, ModelFile.Option...)}, with the model computing with {@code kernels}. */
    public static Checkpoint load(Path file, Kernels kernels, ModelFile.Option... options) throws IOException {
        Objects.requireNonNull(file, "file");
        return fromTensors(SafeTensors.read(file), kernels, options);
    }

    /**
     * The checkpoint held by tensors read from a file, validated.
     *
     * @throws ModelFormatException naming the key or tensor that is missing, malformed or inconsistent
     */
    public static Checkpoint fromTensors(SafeTensors st, Kernels kernels, ModelFile.Option... options)
            throws ModelFormatException {
        Objects.requireNonNull(st, "st");
        Objects.requireNonNull(kernels, "kernels");
        Set<ModelFile.Option> opts = ModelFile.options(options);
        Map<String, String> meta = st.metadata();
        String format = ModelFile.require(meta, ModelFile.KEY_FORMAT, "\"" + ModelFile.FORMAT_CHECKPOINT + "\"");
        if (!format.equals(ModelFile.FORMAT_CHECKPOINT)) {
            throw ModelFile.bad(ModelFile.KEY_FORMAT, "\"" + ModelFile.FORMAT_CHECKPOINT + "\" (a model file is "
                    + "read with ModelFile.load)", format);
        }
        long epoch = parseLong(meta, KEY_EPOCH, 0, Integer.MAX_VALUE);
        long batch = parseLong(meta, KEY_BATCH, 0, Integer.MAX_VALUE);
        long step = parseLong(meta, KEY_STEP, 0, Long.MAX_VALUE);
        long seed = parseLong(meta, KEY_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
        long rng = parseLong(meta, KEY_RNG, Long.MIN_VALUE, Long.MAX_VALUE);
        String kindText = ModelFile.require(meta, KEY_KIND, "sgd, momentum, nesterov, adam or adamw");
        Optimizer.Kind kind = null;
        for (Optimizer.Kind k : Optimizer.Kind.values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(kindText)) {
                kind = k;
            }
        }
        if (kind == null) {
            throw ModelFile.bad(KEY_KIND, "sgd, momentum, nesterov, adam or adamw", kindText);
        }
        float[] settings = new float[SETTING_KEYS.length];
        for (int i = 0; i < settings.length; i++) {
            String v = ModelFile.require(meta, SETTING_KEYS[i], "a finite non-negative float");
            settings[i] = FLOAT.matcher(v).matches() ? Float.parseFloat(v) : Float.NaN;
            if (!Float.isFinite(settings[i])) {
                throw ModelFile.bad(SETTING_KEYS[i], "a finite non-negative float such as \"0.001\"", v);
            }
        }
        try {       // the optimizer's own argument checks, before anything large is built
            Optimizer.of(kind, settings[0], settings[1], settings[2], settings[3], settings[4], settings[5])
                    .clipNorm(settings[6]);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("metadata 'vecmlp.optimizer.*'", "settings a " + kindText
                    + " optimizer accepts", e.getMessage(), e);
        }

        Mlp model = ModelFile.fromTensors(st, kernels, options);  // checks the layers and that other tensors are optimizer.*
        int buffers = 0;
        while (st.tensor(STATE_NAME + buffers) != null) {
            buffers++;
        }
        int wanted = kind == Optimizer.Kind.SGD ? 0 : kind == Optimizer.Kind.MOMENTUM
                || kind == Optimizer.Kind.NESTEROV ? 1 : 2;
        if (buffers != 0 && buffers != wanted) {
            throw new ModelFormatException("tensors '" + STATE_NAME + "*'", wanted + " state buffers for " + kindText
                    + " (or none before the first step)", buffers + " buffers");
        }
        for (SafeTensors.Tensor t : st.tensors()) {
            if (t.name().startsWith(STATE_PREFIX) && !isStateName(t.name(), buffers)) {
                throw new ModelFormatException("tensor '" + t.name() + "'", STATE_NAME + "0 .. " + STATE_NAME
                        + (buffers - 1) + " only", "an unexpected tensor");
            }
        }
        float[][] state = new float[buffers][];
        for (int i = 0; i < buffers; i++) {
            SafeTensors.Tensor t = st.tensor(STATE_NAME + i);
            if (!t.hasShape(model.parameterCount())) {
                throw new ModelFormatException("tensor '" + t.name() + "' shape", "[" + model.parameterCount()
                        + "] (the parameter count)", java.util.Arrays.toString(t.shape()));
            }
            if (!opts.contains(ModelFile.Option.ALLOW_NON_FINITE)) {
                ModelFile.checkFiniteTensor(t);
            }
            state[i] = t.data().clone();
        }
        return new Checkpoint(model, (int) epoch, (int) batch, seed, rng, kind, settings, step, state);
    }

    private static boolean isStateName(String name, int buffers) {
        for (int i = 0; i < buffers; i++) {
            if (name.equals(STATE_NAME + i)) {
                return true;
            }
        }
        return false;
    }

    private static long parseLong(Map<String, String> meta, String key, long min, long max)
            throws ModelFormatException {
        String expected = "a decimal integer in [" + min + ", " + max + "]";
        String v = ModelFile.require(meta, key, expected);
        if (!LONG.matcher(v).matches()) {
            throw ModelFile.bad(key, expected, v);
        }
        long x;
        try {
            x = Long.parseLong(v);
        } catch (NumberFormatException tooLarge) {
            throw ModelFile.bad(key, expected, v);
        }
        if (x < min || x > max) {
            throw ModelFile.bad(key, expected, v);
        }
        return x;
    }

    @Override
    public String toString() {
        return "Checkpoint[epoch " + epoch + ", batch " + batch + ", step " + step + ", " + kind + ", " + model + "]";
    }
}
