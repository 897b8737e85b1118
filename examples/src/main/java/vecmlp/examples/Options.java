package vecmlp.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line of the examples jar: {@code [command] [--flag value]...}. Parsing is strict: an
 * unknown flag, a missing or malformed value throws {@link IllegalArgumentException} naming the flag and
 * the value, and {@code main} prints it with a pointer to {@code --help}.
 */
final class Options {

    /** The commands; {@link #TRAIN} is the default. */
    enum Command { TRAIN, CALCULUS, XOR, HELP }

    Command command = Command.TRAIN;
    int epochs = 40;
    int batch = 32;
    float lr = 1e-3f;
    String optimizer = "adam";
    int[] hidden = {128};
    long seed = 42;
    int threads = 1;
    String kernels = "auto";
    Path out = Path.of("out");
    Path csv;
    String labelColumn = "-1";
    boolean csvHeader;
    Path idxImages;
    Path idxLabels;
    boolean quiet;
    double validation = 0.1;
    double test = 0.2;
    boolean save = true;

    static final String USAGE = String.join("\n",
            "usage: java --add-modules jdk.incubator.vector -jar vecmlp-examples.jar [command] [options]",
            "",
            "commands:",
            "  train      (default) train an MLP classifier on the bundled digits, or on --csv / --idx-* data;",
            "             show progress, print test accuracy, a confusion matrix and the kernels used, write",
            "             the learning curve (SVG) and the model to --out",
            "  calculus   print MATH.md's worked examples A, B, C computed by vecmlp",
            "  xor        train a 2-8-1 network on XOR and print the truth table it learned",
            "  help       this text (also --help, -h)",
            "",
            "training options:",
            "  --epochs N            passes over the training set (default 40)",
            "  --batch N             mini-batch size (default 32)",
            "  --lr X                learning rate (default 0.001)",
            "  --optimizer NAME      sgd | momentum | adam | adamw (default adam)",
            "  --hidden N[,N...]     hidden layer widths, ReLU (default 128)",
            "  --seed N              seed of the split, the initial weights and the shuffling (default 42)",
            "  --threads N           threads for the matrix products (default 1)",
            "  --kernels K           scalar | simd | auto (default auto: SIMD if the Vector API is present)",
            "  --out DIR             where the chart and the model go (default ./out)",
            "  --validation F        fraction held out for validation (default 0.1)",
            "  --test F              fraction held out for the test (default 0.2)",
            "  --no-save             do not write the model file",
            "  --quiet               no progress display",
            "",
            "your own data (features are standardized with training-split statistics):",
            "  --csv PATH            a CSV file (.gz too), one sample per line, every field a number",
            "  --label-column C      the label's column: 0-based index, negative from the end, or a header",
            "                        name (implies --header); default -1, the last column",
            "  --header              the CSV's first line holds column names",
            "  --idx-images PATH     MNIST-style IDX images (raw or .gz); needs --idx-labels",
            "  --idx-labels PATH     MNIST-style IDX labels (raw or .gz)");

    static Options parse(String... args) {
        Options o = new Options();
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && !rest.get(0).startsWith("-")) {
            String c = rest.remove(0);
            switch (c.toLowerCase(Locale.ROOT)) {
                case "train": o.command = Command.TRAIN; break;
                case "calculus": o.command = Command.CALCULUS; break;
                case "xor": o.command = Command.XOR; break;
                case "help": o.command = Command.HELP; break;
                default:
                    throw new IllegalArgumentException("unknown command \"" + c + "\" (expected train, calculus, "
                            + "xor or help)");
            }
        }
        for (int i = 0; i < rest.size(); i++) {
            String flag = rest.get(i);
            String inline = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                inline = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            switch (flag) {
                case "--help":
                case "-h":
                    o.command = Command.HELP;
                    continue;
                case "--quiet":
                    o.quiet = true;
                    continue;
                case "--no-save":
                    o.save = false;
                    continue;
                case "--header":
                    o.csvHeader = true;
                    continue;
                default:
                    break;
            }
            String v;
            if (inline != null) {
                v = inline;
            } else {
                if (i + 1 >= rest.size()) {
                    if (isFlag(flag)) {
                        throw new IllegalArgumentException(flag + " needs a value");
                    }
                    throw new IllegalArgumentException("unknown option \"" + flag + "\"");
                }
                v = rest.get(++i);
            }
            switch (flag) {
                case "--epochs": o.epochs = positiveInt(flag, v); break;
                case "--batch": o.batch = positiveInt(flag, v); break;
                case "--lr": o.lr = positiveFloat(flag, v); break;
                case "--optimizer": o.optimizer = oneOf(flag, v, "sgd", "momentum", "adam", "adamw"); break;
                case "--hidden": o.hidden = widths(flag, v); break;
                case "--seed": o.seed = longValue(flag, v); break;
                case "--threads": o.threads = positiveInt(flag, v); break;
                case "--kernels": o.kernels = oneOf(flag, v, "scalar", "simd", "auto"); break;
                case "--out": o.out = Path.of(v); break;
                case "--csv": o.csv = Path.of(v); break;
                case "--label-column": o.labelColumn = v; break;
                case "--idx-images": o.idxImages = Path.of(v); break;
                case "--idx-labels": o.idxLabels = Path.of(v); break;
                case "--validation": o.validation = fraction(flag, v); break;
                case "--test": o.test = fraction(flag, v); break;
                default:
                    throw new IllegalArgumentException("unknown option \"" + flag + "\"");
            }
        }
        if ((o.idxImages == null) != (o.idxLabels == null)) {
            throw new IllegalArgumentException("--idx-images and --idx-labels go together: "
                    + (o.idxImages == null ? "--idx-images" : "--idx-labels") + " is missing");
        }
        if (o.csv != null && o.idxImages != null) {
            throw new IllegalArgumentException("--csv and --idx-images exclude each other");
        }
        if (o.validation + o.test >= 1) {
            throw new IllegalArgumentException("--validation + --test must be < 1: " + (o.validation + o.test));
        }
        return o;
    }

    private static boolean isFlag(String f) {
        return List.of("--epochs", "--batch", "--lr", "--optimizer", "--hidden", "--seed", "--threads",
                "--kernels", "--out", "--csv", "--label-column", "--idx-images", "--idx-labels", "--validation",
                "--test").contains(f);
    }

    private static int positiveInt(String flag, String v) {
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(flag + " expects a positive integer: \"" + v + "\"");
    }

    private static long longValue(String flag, String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " expects an integer: \"" + v + "\"");
        }
    }

    private static float positiveFloat(String flag, String v) {
        try {
            float f = Float.parseFloat(v.strip());
            if (f > 0 && Float.isFinite(f)) {
                return f;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(flag + " expects a positive number: \"" + v + "\"");
    }

    private static double fraction(String flag, String v) {
        try {
            double f = Double.parseDouble(v.strip());
            if (f >= 0 && f < 1) {
                return f;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(flag + " expects a fraction in [0, 1): \"" + v + "\"");
    }

    private static String oneOf(String flag, String v, String... allowed) {
        String lower = v.strip().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(lower)) {
                return a;
            }
        }
        throw new IllegalArgumentException(flag + " expects one of " + String.join(", ", allowed) + ": \"" + v + "\"");
    }

    private static int[] widths(String flag, String v) {
        String[] parts = v.split(",", -1);
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                w[i] = 0;
            }
            if (w[i] < 1) {
                throw new IllegalArgumentException(flag + " expects positive widths separated by commas, e.g. "
                        + "128,64: \"" + v + "\"");
            }
        }
        return w;
    }
}
