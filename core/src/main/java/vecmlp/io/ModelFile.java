package vecmlp.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;
import vecmlp.nn.Normalization;

/**
 * Saves and loads an {@link Mlp} as a {@link SafeTensors} file: one {@code F32} tensor per weight matrix and
 * bias, the architecture in {@code __metadata__}.
 *
 * <p><b>Tensors.</b> Dense layer {@code l} (0-based) stores {@code layers.l.weight}, shape
 * {@code [n_l, n_{l+1}]} — MATH.md's {@code W_l}, inputs × outputs, row-major, so {@code Z = A·W + b} — and
 * {@code layers.l.bias}, shape {@code [n_{l+1}]}. PyTorch's {@code nn.Linear.weight} is the transpose,
 * {@code [out, in]} with {@code y = x·Wᵀ + b}: to move a layer to PyTorch use
 * {@code linear.weight.data = tensors["layers.0.weight"].T.contiguous()}, and back,
 * {@code tensors["layers.0.weight"] = linear.weight.detach().T.contiguous()}. A batch-normalized layer adds
 * {@code layers.l.norm.weight} ({@code γ}), {@code layers.l.norm.bias} ({@code β}),
 * {@code layers.l.norm.running_mean} and {@code layers.l.norm.running_var}, each {@code [n_{l+1}]}: PyTorch's
 * {@code BatchNorm1d} tensors of those names; a layer-normalized layer the first two ({@code LayerNorm}'s).
 * {@code scripts/vecmlp_torch.py} turns a whole file into the equivalent {@code nn.Sequential} and back.
 *
 * <p><b>Metadata</b> (all strings, as safetensors requires):
 * <pre>
 *   vecmlp.format          "mlp" ("mlp-checkpoint" for a {@link Checkpoint}, which this class also reads)
 *   vecmlp.format_version  "1", or "2" with vecmlp.normalization or vecmlp.residual (older readers refuse it)
 *   vecmlp.layer_sizes     "784,256,10"          n_0, …, n_L
 *   vecmlp.activations     "relu,softmax"        one per layer: identity, relu, leaky_relu(0.01), sigmoid, tanh, softmax,
 *                                                elu(1.0), silu, gelu, gelu_tanh, softplus
 *   vecmlp.loss            "cross_entropy"       or mse, binary_cross_entropy, huber
 *   vecmlp.dropout         "0.2,0.2,0"           optional, one drop probability per layer (training only; absent: none)
 *   vecmlp.normalization   "batch,none,none"     optional, one per layer: none, batch or layer (absent: none)
 *   vecmlp.residual        "none,input,none"     optional, one per layer: none, input, or the earlier layer whose
 *                                                output it adds (absent: none)
 *   vecmlp.checksum        "crc32c:89abcdef"     required; "none" for a file written without one (see SafeTensors)
 * </pre>
 * A reader that does not know {@code vecmlp.dropout} loads the same network for inference, where dropout
 * does nothing. Other metadata keys are kept by {@link SafeTensors} and ignored here. A file written by another tool
 * loads if it has these keys (with {@code "vecmlp.checksum": "none"}) and these tensors in {@code F32},
 * {@code F16}, {@code BF16} or {@code F64}.
 *
 * <p><b>Non-finite values.</b> {@link #save} refuses a model with a NaN or infinite parameter, and
 * {@link #load} a file with one, unless the caller passes {@link Option#ALLOW_NON_FINITE}.
 *
 * <p><b>Errors.</b> Every problem with a file's content is a {@link ModelFormatException} naming the tensor
 * or key, the expected and the found value; nothing is allocated from a file before it is validated (see
 * {@link SafeTensors}). Stateless; every method is safe to call from many threads (a model being saved
 * must not be trained at the same time).
 */
public final class ModelFile {

    /** Options of {@link #save} and {@link #load}. */
    public enum Option {
        /** Save or load parameters that are NaN or infinite (refused by default). */
        ALLOW_NON_FINITE
    }

    /** {@code vecmlp.format} of a model file. */
    public static final String FORMAT_MODEL = "mlp";
    /** {@code vecmlp.format} of a checkpoint. */
    public static final String FORMAT_CHECKPOINT = "mlp-checkpoint";
    /**
     * The {@code vecmlp.format_version} of a plain network (dense layers, activations, dropout), which every
     * vecmlp reads the same way.
     */
    public static final String FORMAT_VERSION = "1";
    /**
     * The {@code vecmlp.format_version} of a network with normalization or residual blocks: {@code "2"}, so that
     * a reader older than them refuses the file instead of loading a different network.
     */
    public static final String FORMAT_VERSION_2 = "2";

    static final String KEY_FORMAT = "vecmlp.format";
    static final String KEY_VERSION = "vecmlp.format_version";
    static final String KEY_LAYER_SIZES = "vecmlp.layer_sizes";
    static final String KEY_ACTIVATIONS = "vecmlp.activations";
    static final String KEY_LOSS = "vecmlp.loss";
    static final String KEY_DROPOUT = "vecmlp.dropout";
    static final String KEY_NORMALIZATION = "vecmlp.normalization";
    static final String KEY_RESIDUAL = "vecmlp.residual";

    private static final Pattern UNSIGNED = Pattern.compile("[1-9][0-9]{0,9}");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
    private static final Pattern ELU = Pattern.compile("elu\\(([0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?)\\)");
    private static final Pattern LEAKY = Pattern.compile("leaky_relu\\((-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?)\\)");

    private ModelFile() {
    }

    /** The name of the weight tensor of dense layer {@code layer}: {@code layers.<layer>.weight}. */
    public static String weightName(int layer) {
        return "layers." + layer + ".weight";
    }

    /** The name of the bias tensor of dense layer {@code layer}: {@code layers.<layer>.bias}. */
    public static String biasName(int layer) {
        return "layers." + layer + ".bias";
    }

    /** The name of a batch-normalized layer's tensor: {@code part} is weight, bias, running_mean or running_var. */
    public static String normName(int layer, String part) {
        return "layers." + layer + ".norm." + part;
    }

    private static final String[] NORM_PARTS = {"weight", "bias", "running_mean", "running_var"};

    /**
     * Saves {@code mlp} to {@code file} atomically: the previous file, if any, stays intact until the new one
     * is complete and fsynced (see {@link SafeTensors#write(Path)}).
     *
     * @throws IllegalArgumentException if a parameter is NaN or infinite and {@link Option#ALLOW_NON_FINITE}
     *                                  is not given (nothing is written); the message names the tensor and index
     * @throws IOException              if the file cannot be written (the target is then unchanged)
     */
    public static void save(Mlp mlp, Path file, Option... options) throws IOException {
        Objects.requireNonNull(file, "file");
        toTensors(mlp, options).write(file);
    }

    /**
     * The file content for {@code mlp}: its architecture as metadata and its parameters as tensors (copied,
     * so the snapshot does not change when training goes on).
     *
     * @throws IllegalArgumentException as {@link #save}, for a non-finite parameter
     */
    public static SafeTensors toTensors(Mlp mlp, Option... options) {
        return SafeTensors.of(metadata(mlp, FORMAT_MODEL), tensors(mlp, options));
    }

    /**
     * Loads a model saved by {@link #save} (or the model of a {@link Checkpoint}), computing with
     * {@link Kernels#get()}.
     *
     * @throws ModelFormatException if the file is not a valid vecmlp model file (see the class comment)
     * @throws IOException          if it cannot be read
     */
    public static Mlp load(Path file, Option... options) throws IOException {
        return load(file, Kernels.get(), options);
    }

    /** As {@link #load(Path, Option...)}, computing with {@code kernels}. */
    public static Mlp load(Path file, Kernels kernels, Option... options) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kernels, "kernels");
        return fromTensors(SafeTensors.read(file), kernels, options);
    }

    /**
     * The model held by tensors read from a file, validated against the architecture in their metadata.
     *
     * @throws ModelFormatException naming the key or tensor that is missing, malformed or inconsistent
     */
    public static Mlp fromTensors(SafeTensors st, Kernels kernels, Option... options) throws ModelFormatException {
        Objects.requireNonNull(st, "st");
        Objects.requireNonNull(kernels, "kernels");
        Set<Option> opts = options(options);
        Map<String, String> meta = st.metadata();
        String format = require(meta, KEY_FORMAT, "\"" + FORMAT_MODEL + "\" or \"" + FORMAT_CHECKPOINT + "\"");
        if (!format.equals(FORMAT_MODEL) && !format.equals(FORMAT_CHECKPOINT)) {
            throw bad(KEY_FORMAT, "\"" + FORMAT_MODEL + "\" or \"" + FORMAT_CHECKPOINT + "\"", format);
        }
        String version = require(meta, KEY_VERSION, "\"" + FORMAT_VERSION + "\" or \"" + FORMAT_VERSION_2 + "\"");
        if (!version.equals(FORMAT_VERSION) && !version.equals(FORMAT_VERSION_2)) {
            throw bad(KEY_VERSION, "\"" + FORMAT_VERSION + "\" or \"" + FORMAT_VERSION_2
                    + "\" (the versions this vecmlp reads)", version);
        }
        if (version.equals(FORMAT_VERSION) && (meta.containsKey(KEY_NORMALIZATION) || meta.containsKey(KEY_RESIDUAL))) {
            throw bad(KEY_VERSION, "\"" + FORMAT_VERSION_2 + "\" for a file with " + KEY_NORMALIZATION + " or "
                    + KEY_RESIDUAL, version);
        }
        require(meta, SafeTensors.CHECKSUM_KEY, "a checksum \"crc32c:<8 hex digits>\" or \"" + SafeTensors.NO_CHECKSUM
                + "\"");

        int[] sizes = parseSizes(require(meta, KEY_LAYER_SIZES, "layer sizes such as \"784,256,10\""));
        Activation[] acts = parseActivations(require(meta, KEY_ACTIVATIONS, "activations such as \"relu,softmax\""),
                sizes.length - 1);
        Loss loss = parseLoss(require(meta, KEY_LOSS, "a loss such as \"cross_entropy\""));
        float[] dropout = meta.containsKey(KEY_DROPOUT) ? parseDropout(meta.get(KEY_DROPOUT), acts.length)
                : new float[acts.length];
        Normalization[] norms = meta.containsKey(KEY_NORMALIZATION)
                ? parseNorms(meta.get(KEY_NORMALIZATION), acts.length) : none(acts.length);
        int[] residual = parseResidual(meta.get(KEY_RESIDUAL), acts.length);
        try {
            loss.checkCompatible(acts[acts.length - 1], sizes[sizes.length - 1]);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("metadata '" + KEY_LOSS + "'", "a loss compatible with the output layer "
                    + acts[acts.length - 1] + " of " + sizes[sizes.length - 1] + " units", loss.toString(), e);
        }
        long count = Mlp.parameterCount(sizes, norms);
        if (count > Integer.MAX_VALUE - 16) {
            throw bad(KEY_LAYER_SIZES, "sizes with at most " + (Integer.MAX_VALUE - 16) + " parameters in all",
                    meta.get(KEY_LAYER_SIZES) + " (" + count + " parameters)");
        }

        Set<String> expected = new java.util.HashSet<>();
        for (int l = 0; l < acts.length; l++) {
            expected.add(weightName(l));
            expected.add(biasName(l));
            for (int k = 0; k < partsOf(norms[l]); k++) {
                expected.add(normName(l, NORM_PARTS[k]));
            }
        }
        for (SafeTensors.Tensor t : st.tensors()) {
            boolean checkpointState = format.equals(FORMAT_CHECKPOINT) && t.name().startsWith(Checkpoint.STATE_PREFIX);
            if (!expected.contains(t.name()) && !checkpointState) {
                throw new ModelFormatException("tensor '" + t.name() + "'", "only the tensors of the "
                        + acts.length + " layers of " + KEY_LAYER_SIZES + " " + meta.get(KEY_LAYER_SIZES)
                        + (format.equals(FORMAT_CHECKPOINT) ? " and " + Checkpoint.STATE_PREFIX + "*" : ""),
                        "an unexpected tensor");
            }
        }
        // Every shape is known to match before the parameter array is allocated.
        for (int l = 0; l < acts.length; l++) {
            tensor(st, weightName(l), new long[] {sizes[l], sizes[l + 1]}, sizes);
            tensor(st, biasName(l), new long[] {sizes[l + 1]}, sizes);
            for (int k = 0; k < partsOf(norms[l]); k++) {
                tensor(st, normName(l, NORM_PARTS[k]), new long[] {sizes[l + 1]}, sizes);
            }
        }
        float[] params = new float[(int) count];
        int at = 0;
        for (int l = 0; l < acts.length; l++) {
            at = copy(st.tensor(weightName(l)), params, at, opts);
            at = copy(st.tensor(biasName(l)), params, at, opts);
            if (norms[l] != Normalization.NONE) {
                at = copy(st.tensor(normName(l, "weight")), params, at, opts);
                at = copy(st.tensor(normName(l, "bias")), params, at, opts);
            }
            if (norms[l] == Normalization.BATCH) { // running statistics: finite, variances ≥ 0, whatever the options
                checkFiniteTensor(st.tensor(normName(l, "running_mean")));
                SafeTensors.Tensor var = st.tensor(normName(l, "running_var"));
                checkFiniteTensor(var);
                float[] v = var.data();
                for (int j = 0; j < v.length; j++) {
                    if (!(v[j] >= 0f)) {
                        throw new ModelFormatException("tensor '" + var.name() + "' element " + j,
                                "a variance >= 0", Float.toString(v[j]));
                    }
                }
            }
        }
        Mlp mlp;
        try {
            mlp = build(sizes, acts, dropout, norms, residual, loss, params, kernels);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("metadata", "an architecture vecmlp can build", e.getMessage(), e);
        }
        for (int l = 0; l < acts.length; l++) {
            if (norms[l] == Normalization.BATCH) {
                float[] running = mlp.runningStatistics();
                copy(st.tensor(normName(l, "running_mean")), running, mlp.runningMeanOffset(l), opts);
                copy(st.tensor(normName(l, "running_var")), running, mlp.runningVarianceOffset(l), opts);
            }
        }
        return mlp;
    }

    /** {@link Mlp#of}, but also for parameters that are not finite (which {@code Mlp.of} refuses). */
    private static Mlp build(int[] sizes, Activation[] acts, float[] dropout, Normalization[] norms, int[] residual,
                             Loss loss, float[] params, Kernels kernels) {
        Mlp mlp = Mlp.of(sizes, acts, dropout, norms, residual, loss, new float[params.length], kernels);
        System.arraycopy(params, 0, mlp.parameters(), 0, params.length);
        return mlp;
    }

    /** An independent copy of {@code mlp}, whatever its parameter values ({@link Mlp#copy()} refuses NaN). */
    static Mlp copyOf(Mlp mlp) {
        Mlp copy = build(mlp.layerSizes(), mlp.activations(), mlp.dropouts(), mlp.normalizations(),
                mlp.residualSources(), mlp.loss(), mlp.parameters(), mlp.kernels());
        System.arraycopy(mlp.runningStatistics(), 0, copy.runningStatistics(), 0, mlp.runningStatistics().length);
        return copy;
    }

    // ---------------------------------------------------------------- writing

    static Map<String, String> metadata(Mlp mlp, String format) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(KEY_FORMAT, format);
        meta.put(KEY_VERSION, FORMAT_VERSION);
        StringBuilder sizes = new StringBuilder();
        for (int n : mlp.layerSizes()) {
            sizes.append(sizes.length() == 0 ? "" : ",").append(n);
        }
        meta.put(KEY_LAYER_SIZES, sizes.toString());
        StringBuilder acts = new StringBuilder();
        for (Activation a : mlp.activations()) {
            acts.append(acts.length() == 0 ? "" : ",").append(activationName(a));
        }
        meta.put(KEY_ACTIVATIONS, acts.toString());
        meta.put(KEY_LOSS, mlp.loss().name().toLowerCase(Locale.ROOT));
        float[] dropout = mlp.dropouts();
        boolean any = false;
        StringBuilder drops = new StringBuilder();
        for (float p : dropout) {
            drops.append(drops.length() == 0 ? "" : ",").append(p == 0f ? "0" : Float.toString(p));
            any |= p > 0f;
        }
        if (any) {
            meta.put(KEY_DROPOUT, drops.toString());
        }
        StringBuilder norms = new StringBuilder();
        any = false;
        for (Normalization n : mlp.normalizations()) {
            norms.append(norms.length() == 0 ? "" : ",").append(n.name().toLowerCase(Locale.ROOT));
            any |= n != Normalization.NONE;
        }
        if (any) {
            meta.put(KEY_NORMALIZATION, norms.toString());
        }
        StringBuilder res = new StringBuilder();
        any = false;
        for (int src : mlp.residualSources()) {
            res.append(res.length() == 0 ? "" : ",").append(src == Mlp.NO_RESIDUAL ? "none"
                    : src == Mlp.FROM_INPUT ? "input" : Integer.toString(src));
            any |= src != Mlp.NO_RESIDUAL;
        }
        if (any) {
            meta.put(KEY_RESIDUAL, res.toString());
        }
        if (meta.containsKey(KEY_NORMALIZATION) || meta.containsKey(KEY_RESIDUAL)) {
            meta.put(KEY_VERSION, FORMAT_VERSION_2);
        }
        return meta;
    }

    static List<SafeTensors.Tensor> tensors(Mlp mlp, Option... options) {
        Objects.requireNonNull(mlp, "mlp");
        Set<Option> opts = options(options);
        float[] p = mlp.parameters().clone();
        int[] n = mlp.layerSizes();
        List<SafeTensors.Tensor> out = new ArrayList<>();
        for (int l = 0; l < mlp.layerCount(); l++) {
            float[] w = Arrays.copyOfRange(p, mlp.weightOffset(l), mlp.weightOffset(l) + n[l] * n[l + 1]);
            float[] b = Arrays.copyOfRange(p, mlp.biasOffset(l), mlp.biasOffset(l) + n[l + 1]);
            if (!opts.contains(Option.ALLOW_NON_FINITE)) {
                checkFinite(weightName(l), w, n[l + 1]);
                checkFinite(biasName(l), b, n[l + 1]);
            }
            out.add(SafeTensors.Tensor.matrix(weightName(l), n[l], n[l + 1], w));
            out.add(SafeTensors.Tensor.vector(biasName(l), b));
            if (mlp.normalization(l) != Normalization.NONE) {
                int w1 = n[l + 1];
                float[] r = mlp.runningStatistics();
                boolean bn = mlp.normalization(l) == Normalization.BATCH;
                float[][] parts = {Arrays.copyOfRange(p, mlp.gammaOffset(l), mlp.gammaOffset(l) + w1),
                    Arrays.copyOfRange(p, mlp.betaOffset(l), mlp.betaOffset(l) + w1),
                    bn ? Arrays.copyOfRange(r, mlp.runningMeanOffset(l), mlp.runningMeanOffset(l) + w1) : null,
                    bn ? Arrays.copyOfRange(r, mlp.runningVarianceOffset(l), mlp.runningVarianceOffset(l) + w1) : null};
                for (int k = 0; k < partsOf(mlp.normalization(l)); k++) {
                    if (!opts.contains(Option.ALLOW_NON_FINITE) || k >= 2) {
                        checkFinite(normName(l, NORM_PARTS[k]), parts[k], w1);
                    }
                    out.add(SafeTensors.Tensor.vector(normName(l, NORM_PARTS[k]), parts[k]));
                }
            }
        }
        return out;
    }

    private static void checkFinite(String name, float[] v, int cols) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("mlp parameter " + name + (name.endsWith("weight") && cols > 0
                        && v.length > cols
                        ? "[" + i / cols + ", " + i % cols + "]" : "[" + i + "]") + " must be finite to be saved: " + v[i]
                        + " (pass ModelFile.Option.ALLOW_NON_FINITE to save it anyway)");
            }
        }
    }

    static String activationName(Activation a) {
        String name = a.kind().name().toLowerCase(Locale.ROOT);
        return a.kind() == Activation.Kind.LEAKY_RELU || a.kind() == Activation.Kind.ELU
                ? name + "(" + Float.toString(a.slope()) + ")" : name;
    }

    // ---------------------------------------------------------------- reading

    static Set<Option> options(Option... options) {
        Objects.requireNonNull(options, "options");
        Set<Option> set = EnumSet.noneOf(Option.class);
        for (Option o : options) {
            set.add(Objects.requireNonNull(o, "option"));
        }
        return set;
    }

    static ModelFormatException bad(String key, String expected, String found) {
        return new ModelFormatException("metadata '" + key + "'", expected, SafeTensors.quote(found));
    }

    static String require(Map<String, String> meta, String key, String expected) throws ModelFormatException {
        String v = meta.get(key);
        if (v == null) {
            throw new ModelFormatException("metadata '" + key + "'", expected, "no such key");
        }
        return v;
    }

    private static int[] parseSizes(String text) throws ModelFormatException {
        String[] parts = text.split(",", -1);
        if (parts.length < 2) {
            throw bad(KEY_LAYER_SIZES, "at least 2 comma-separated sizes (input, then each layer)", text);
        }
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long v = UNSIGNED.matcher(parts[i]).matches() ? Long.parseLong(parts[i]) : -1;
            if (v < 1 || v > Integer.MAX_VALUE) {
                throw bad(KEY_LAYER_SIZES, "sizes that are integers in [1, 2^31 - 1]", text + " (item " + i + ")");
            }
            sizes[i] = (int) v;
        }
        return sizes;
    }

    private static Activation[] parseActivations(String text, int layers) throws ModelFormatException {
        String[] parts = text.split(",", -1);
        if (parts.length != layers) {
            throw bad(KEY_ACTIVATIONS, layers + " activations, one per layer of " + KEY_LAYER_SIZES, text);
        }
        Activation[] acts = new Activation[layers];
        for (int l = 0; l < layers; l++) {
            acts[l] = parseActivation(parts[l], text, l);
        }
        return acts;
    }

    private static Activation parseActivation(String s, String text, int l) throws ModelFormatException {
        switch (s) {
            case "identity": return Activation.IDENTITY;
            case "relu": return Activation.RELU;
            case "sigmoid": return Activation.SIGMOID;
            case "tanh": return Activation.TANH;
            case "softmax": return Activation.SOFTMAX;
            case "silu": return Activation.SILU;
            case "gelu_tanh": return Activation.GELU_TANH;
            case "softplus": return Activation.SOFTPLUS;
            case "gelu": return Activation.GELU;
            default:
        }
        Matcher e = ELU.matcher(s);
        if (e.matches()) {
            float alpha = Float.parseFloat(e.group(1));
            if (alpha > 0f && alpha <= 100f) {
                return Activation.elu(alpha);
            }
            throw bad(KEY_ACTIVATIONS, "an elu alpha in (0, 100] for layer " + l, text);
        }
        Matcher m = LEAKY.matcher(s);
        if (m.matches()) {
            float slope = Float.parseFloat(m.group(1));
            if (slope >= 0f && slope < 1f) {
                return Activation.leakyRelu(slope);
            }
            throw bad(KEY_ACTIVATIONS, "a leaky_relu slope in [0, 1) for layer " + l, text);
        }
        throw bad(KEY_ACTIVATIONS, "identity, relu, leaky_relu(<slope>), sigmoid, tanh, softmax, elu(<alpha>), silu,"
                + " gelu, gelu_tanh or softplus for layer " + l, text);
    }

    private static float[] parseDropout(String text, int layers) throws ModelFormatException {
        String[] parts = text.split(",", -1);
        if (parts.length != layers) {
            throw bad(KEY_DROPOUT, layers + " drop probabilities, one per layer of " + KEY_LAYER_SIZES, text);
        }
        float[] dropout = new float[layers];
        for (int l = 0; l < layers; l++) {
            float p = DECIMAL.matcher(parts[l]).matches() ? Float.parseFloat(parts[l]) : Float.NaN;
            if (!(p >= 0f && p < 1f) || (l == layers - 1 && p != 0f)) {
                throw bad(KEY_DROPOUT, "a drop probability in [0, 1) for layer " + l
                        + (l == layers - 1 ? " (0 for the output layer)" : ""), text);
            }
            dropout[l] = p;
        }
        return dropout;
    }

    /** How many of {@link #NORM_PARTS} a normalization has: 4 for batch (with running statistics), 2 for layer. */
    private static int partsOf(Normalization n) {
        return n == Normalization.BATCH ? 4 : n == Normalization.LAYER ? 2 : 0;
    }

    private static int[] parseResidual(String text, int layers) throws ModelFormatException {
        int[] residual = new int[layers];
        Arrays.fill(residual, Mlp.NO_RESIDUAL);
        if (text == null) {
            return residual;
        }
        String[] parts = text.split(",", -1);
        if (parts.length != layers) {
            throw bad(KEY_RESIDUAL, layers + " residual sources, one per layer of " + KEY_LAYER_SIZES, text);
        }
        for (int l = 0; l < layers; l++) {
            if (parts[l].equals("input")) {
                residual[l] = Mlp.FROM_INPUT;
            } else if (!parts[l].equals("none")) {
                long v = UNSIGNED.matcher(parts[l]).matches() || parts[l].equals("0") ? Long.parseLong(parts[l]) : -1;
                if (v < 0 || v >= l) {
                    throw bad(KEY_RESIDUAL, "none, input or an earlier layer (0 to " + (l - 1) + ") for layer " + l,
                            text);
                }
                residual[l] = (int) v;
            }
        }
        return residual;
    }

    private static Normalization[] none(int layers) {
        Normalization[] n = new Normalization[layers];
        Arrays.fill(n, Normalization.NONE);
        return n;
    }

    private static Normalization[] parseNorms(String text, int layers) throws ModelFormatException {
        String[] parts = text.split(",", -1);
        if (parts.length != layers) {
            throw bad(KEY_NORMALIZATION, layers + " normalizations, one per layer of " + KEY_LAYER_SIZES, text);
        }
        Normalization[] norms = new Normalization[layers];
        for (int l = 0; l < layers; l++) {
            if (parts[l].equals("none")) {
                norms[l] = Normalization.NONE;
            } else if (parts[l].equals("batch") && l < layers - 1) {
                norms[l] = Normalization.BATCH;
            } else if (parts[l].equals("layer") && l < layers - 1) {
                norms[l] = Normalization.LAYER;
            } else {
                throw bad(KEY_NORMALIZATION, "none, batch or layer for layer " + l
                        + (l == layers - 1 ? " (none for the output layer)" : ""), text);
            }
        }
        return norms;
    }

    private static Loss parseLoss(String s) throws ModelFormatException {
        for (Loss loss : Loss.values()) {
            if (loss.name().toLowerCase(Locale.ROOT).equals(s)) {
                return loss;
            }
        }
        throw bad(KEY_LOSS, "cross_entropy, mse, binary_cross_entropy or huber", s);
    }

    private static void tensor(SafeTensors st, String name, long[] shape, int[] sizes) throws ModelFormatException {
        SafeTensors.Tensor t = st.tensor(name);
        if (t == null) {
            throw new ModelFormatException("tensor '" + name + "'", "present, shape " + Arrays.toString(shape)
                    + " for " + KEY_LAYER_SIZES + " " + Arrays.toString(sizes), "no such tensor");
        }
        if (!t.hasShape(shape)) {
            throw new ModelFormatException("tensor '" + name + "' shape", Arrays.toString(shape) + " for "
                    + KEY_LAYER_SIZES + " " + Arrays.toString(sizes) + " (weights are [inputs, outputs])",
                    Arrays.toString(t.shape()));
        }
    }

    private static int copy(SafeTensors.Tensor t, float[] into, int at, Set<Option> opts) throws ModelFormatException {
        float[] d = t.data();
        if (!opts.contains(Option.ALLOW_NON_FINITE)) {
            checkFiniteTensor(t);
        }
        System.arraycopy(d, 0, into, at, d.length);
        return at + d.length;
    }

    static void checkFiniteTensor(SafeTensors.Tensor t) throws ModelFormatException {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                throw new ModelFormatException("tensor '" + t.name() + "' element " + i,
                        "a finite value (or ModelFile.Option.ALLOW_NON_FINITE)", Float.toString(d[i]));
            }
        }
    }
}
