package vecmlp.examples;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The command line of the examples jar, {@code [command] [options]}, parsed by picocli: generated
 * {@code --help}, suggestions for a mistyped option, and strict values. {@link #parse} throws
 * {@link ParameterException} for an unknown option, a missing or malformed value, a value out of range or a
 * data file that does not exist, with a message that names the option and the value.
 */
@Command(name = "vecmlp-examples.jar",
        customSynopsis = "java --add-modules jdk.incubator.vector -jar vecmlp-examples.jar [COMMAND] [OPTIONS]",
        description = {"", "Commands:",
            "  train      (default) train an MLP classifier on the bundled digits, or on --csv / --idx-* data;",
            "             show progress, print test accuracy, a confusion matrix and the kernels used, write",
            "             the learning curve (an SVG chart) and the model to --out",
            "  calculus   print MATH.md's worked examples A, B, C computed by vecmlp",
            "  xor        train a 2-8-1 network on XOR and print the truth table it learned",
            "  help       this text (also --help, -h)", "", "Options:"},
        footer = {"", "Your own data: features are standardized with the training split's statistics (--normalize)."},
        sortOptions = false)
final class Options {

    /** The commands; {@link #TRAIN} is the default. */
    enum Command { TRAIN, CALCULUS, XOR, HELP }

    @Spec
    CommandSpec spec;

    Command command = Command.TRAIN;

    @Parameters(arity = "0..1", paramLabel = "COMMAND", hidden = true)
    String commandName;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    boolean help;

    @Option(names = "--epochs", paramLabel = "N", description = "passes over the training set (default 40)")
    int epochs = 40;

    @Option(names = "--batch", paramLabel = "N", description = "mini-batch size (default 32)")
    int batch = 32;

    @Option(names = "--lr", paramLabel = "X", description = "learning rate (default 0.001)")
    float lr = 1e-3f;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd | momentum | adam | adamw (default adam)")
    String optimizer = "adam";

    @Option(names = "--schedule", paramLabel = "NAME",
            description = "learning rate schedule: constant | cosine (annealed to 0 over the run; default constant)")
    String schedule = "constant";

    int[] hidden = {128};

    @Option(names = "--hidden", paramLabel = "N[,N...]", description = "hidden layer widths, ReLU (default 128)")
    void hidden(String widths) {
        String[] parts = widths.split(",", -1);
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                w[i] = 0;
            }
            if (w[i] < 1) {
                throw bad("--hidden expects positive widths separated by commas, e.g. 128,64: '" + widths + "'");
            }
        }
        hidden = w;
    }

    @Option(names = "--activation", paramLabel = "NAME", description = {"activation of the hidden layers: relu "
        + "(default), leaky_relu, elu, silu, gelu, gelu_tanh, softplus, tanh, sigmoid"})
    String activation = "relu";

    @Option(names = "--norm", paramLabel = "KIND",
            description = "normalization of each hidden layer before its activation: none | batch | layer (default none)")
    String norm = "none";

    @Option(names = "--residual", description = {"residual blocks: the hidden layers after the first, two by two,"
        + " each pair's output (the second layer linear) plus its input; --hidden needs an odd count, e.g. 256,512,256"})
    boolean residual;

    @Option(names = "--dropout", paramLabel = "P",
            description = "drop probability after each hidden layer, in [0, 1) (default 0: none)")
    float dropout;

    @Option(names = "--normalize", paramLabel = "HOW", description = {"standard: each feature to mean 0 and "
        + "standard deviation 1 (default); minmax: each feature's range to [0, 1]; pixels: every value / 255 (8-bit"
        + " images); the statistics come from the training split"})
    String normalize = "standard";

    @Option(names = "--label-smoothing", paramLabel = "E",
            description = "label smoothing of the training targets, in [0, 1) (default 0)")
    double labelSmoothing;

    @Option(names = "--class-weights", paramLabel = "W", description = {"weights of the classes in the loss: "
        + "comma-separated, one per class (e.g. 1,5), or balanced: n / (classes · count of the class) in the "
        + "training split (scikit-learn's class_weight='balanced'); default none"})
    String classWeights;

    @Option(names = "--seed", paramLabel = "N",
            description = "seed of the split, the initial weights, the shuffling and dropout (default 42)")
    long seed = 42;

    @Option(names = "--threads", paramLabel = "N", description = "threads for the matrix products (default 1)")
    int threads = 1;

    @Option(names = "--kernels", paramLabel = "K",
            description = "scalar | simd | auto (default auto: SIMD if the Vector API is present)")
    String kernels = "auto";

    @Option(names = "--out", paramLabel = "DIR", description = "where the charts and the model go (default ./out)")
    Path out = Path.of("out");

    @Option(names = "--validation", paramLabel = "F", description = "fraction held out for validation (default 0.1)")
    double validation = 0.1;

    @Option(names = "--test", paramLabel = "F", description = "fraction held out for the test (default 0.2)")
    double test = 0.2;

    @Option(names = "--no-save", negatable = false, description = "do not write the model file")
    void noSave(boolean value) {
        save = !value;
    }

    boolean save = true;

    @Option(names = "--quiet", description = "no progress display")
    boolean quiet;

    @Option(names = "--csv", paramLabel = "PATH", description = "a CSV file (.gz too), one sample per line, every field a number")
    Path csv;

    @Option(names = "--label-column", paramLabel = "C", description = {"the label's column: 0-based index, negative"
        + " from the end, or a header name (implies --header); default -1, the last column"})
    String labelColumn = "-1";

    @Option(names = "--weight-column", paramLabel = "C", description = {"a CSV column of row weights (finite, >= 0):"
        + " 0-based index, negative from the end, or a header name (implies --header); default none"})
    String weightColumn;

    @Option(names = "--header", description = "the CSV's first line holds column names")
    boolean csvHeader;

    @Option(names = "--idx-images", paramLabel = "PATH", description = "MNIST-style IDX images (raw or .gz); needs --idx-labels")
    Path idxImages;

    @Option(names = "--idx-labels", paramLabel = "PATH", description = "MNIST-style IDX labels (raw or .gz)")
    Path idxLabels;

    @Option(names = "--idx-test-images", paramLabel = "PATH",
            description = "a separate IDX test set (e.g. MNIST's t10k) instead of --test's fraction; needs --idx-test-labels")
    Path idxTestImages;

    @Option(names = "--idx-test-labels", paramLabel = "PATH", description = "the separate test set's IDX labels")
    Path idxTestLabels;

    /**
     * The options of {@code args}, checked.
     *
     * @throws ParameterException naming the option and the value that are wrong
     */
    static Options parse(String... args) {
        Options o = new Options();
        if (args.length == 0) {
            // Nothing to read, and the defaults are valid (a test checks them): picocli's first use costs
            // 0.17-0.21 s of a fresh JVM (ad-hoc timing), a fifth of README's main job.
            return o;
        }
        CommandLine cl = commandLine(o);
        cl.parseArgs(args);
        if (o.commandName != null) {
            try {
                o.command = Command.valueOf(o.commandName.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw o.bad("unknown command '" + o.commandName + "' (expected train, calculus, xor or help)");
            }
        }
        if (o.help) {
            o.command = Command.HELP;
        }
        if (o.command != Command.HELP) {
            o.check();
        }
        return o;
    }

    /** The help text picocli generates from the annotations. */
    static String usage() {
        StringWriter w = new StringWriter();
        commandLine(new Options()).usage(new PrintWriter(w, true), CommandLine.Help.Ansi.OFF);
        return w.toString();
    }

    /**
     * One line for a bad command line: picocli's message, and its suggestions where it has them (a
     * mistyped option: "did you mean").
     */
    static String describe(ParameterException e) {
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            List<String> suggestions = ((CommandLine.UnmatchedArgumentException) e).getSuggestions();
            if (!suggestions.isEmpty()) {
                message += "; did you mean " + String.join(" or ", suggestions) + "?";
            }
        }
        return message.replace(System.lineSeparator(), " ").replace('\n', ' ').strip();
    }

    private static CommandLine commandLine(Options o) {
        CommandLine cl = new CommandLine(o);
        cl.setUsageHelpWidth(110);
        return cl;
    }

    private void check() {
        positive("--epochs", epochs);
        positive("--batch", batch);
        positive("--threads", threads);
        if (!(lr > 0) || !Float.isFinite(lr)) {
            throw bad("--lr expects a positive number: '" + lr + "'");
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw bad("--dropout expects a probability in [0, 1): '" + dropout + "'");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw bad("--label-smoothing expects a value in [0, 1): '" + labelSmoothing + "'");
        }
        if (residual && (hidden.length < 3 || hidden.length % 2 == 0)) {
            throw bad("--residual needs an odd number of hidden layers, at least 3, e.g. --hidden 256,512,256: '"
                    + joined(hidden) + "'");
        }
        for (int i = 2; residual && i < hidden.length; i += 2) {
            if (hidden[i] != hidden[0]) {
                throw bad("--residual needs every other hidden layer as wide as the first: '" + joined(hidden) + "'");
            }
        }
        if (classWeights != null && !classWeights.strip().equals("balanced")) {
            for (String w : classWeights.split(",", -1)) {
                float v;
                try {
                    v = Float.parseFloat(w.strip());
                } catch (NumberFormatException e) {
                    v = Float.NaN;
                }
                if (!(v >= 0f) || v == Float.POSITIVE_INFINITY) {
                    throw bad("--class-weights expects balanced or numbers >= 0 separated by commas: '"
                            + classWeights + "'");
                }
            }
        }
        if (weightColumn != null && csv == null) {
            throw bad("--weight-column needs --csv: '" + weightColumn + "'");
        }
        normalize = oneOf("--normalize", normalize, "standard", "minmax", "pixels");
        norm = oneOf("--norm", norm, "none", "batch", "layer");
        activation = oneOf("--activation", activation, "relu", "leaky_relu", "elu", "silu", "gelu", "gelu_tanh",
                "softplus", "tanh", "sigmoid");
        schedule = oneOf("--schedule", schedule, "constant", "cosine");
        optimizer = oneOf("--optimizer", optimizer, "sgd", "momentum", "adam", "adamw");
        kernels = oneOf("--kernels", kernels, "scalar", "simd", "auto");
        fraction("--validation", validation);
        fraction("--test", test);
        if (validation + test >= 1) {
            throw bad("--validation + --test must be < 1: " + (validation + test));
        }
        if ((idxImages == null) != (idxLabels == null)) {
            throw bad("--idx-images and --idx-labels go together: "
                    + (idxImages == null ? "--idx-images" : "--idx-labels") + " is missing");
        }
        if ((idxTestImages == null) != (idxTestLabels == null)) {
            throw bad("--idx-test-images and --idx-test-labels go together: "
                    + (idxTestImages == null ? "--idx-test-images" : "--idx-test-labels") + " is missing");
        }
        if (idxTestImages != null && idxImages == null) {
            throw bad("--idx-test-images needs --idx-images and --idx-labels for training");
        }
        if (csv != null && idxImages != null) {
            throw bad("--csv and --idx-images exclude each other");
        }
        exists("--csv", csv);
        exists("--idx-images", idxImages);
        exists("--idx-labels", idxLabels);
        exists("--idx-test-images", idxTestImages);
        exists("--idx-test-labels", idxTestLabels);
    }

    private static String joined(int[] widths) {
        StringBuilder s = new StringBuilder();
        for (int w : widths) {
            s.append(s.length() == 0 ? "" : ",").append(w);
        }
        return s.toString();
    }

    private void positive(String option, long value) {
        if (value < 1) {
            throw bad(option + " expects a positive integer: '" + value + "'");
        }
    }

    private void fraction(String option, double value) {
        if (!(value >= 0 && value < 1)) {
            throw bad(option + " expects a fraction in [0, 1): '" + value + "'");
        }
    }

    private String oneOf(String option, String value, String... allowed) {
        String lower = value.strip().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(lower)) {
                return a;
            }
        }
        throw bad(option + " expects one of " + String.join(", ", allowed) + ": '" + value + "'");
    }

    private void exists(String option, Path file) {
        if (file != null && !Files.isRegularFile(file)) {
            throw bad(option + ": no such file: '" + file + "'");
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
