package vecmlp.kernel;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What this JVM will do with Vector API code, as far as it can be read in well under a millisecond at start
 * (the JMX route, {@code HotSpotDiagnosticMXBean}, costs 35–50 ms, too much for the first step; the
 * warm-up thread asks it later, {@link SimdWarmup}): whether the vector module is present, the JVM's mode
 * ({@code java.vm.info}: {@code interpreted mode} under {@code -Xint}, {@code emulated-client} under
 * {@code -XX:TieredStopAtLevel=1}), the preferred species' width, whether the CPU reports FMA (Linux's
 * {@code /proc/cpuinfo}, x86 only) and the {@code -XX} flags the JVM was started with (Linux's
 * {@code /proc/self/cmdline} and the {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} and
 * {@code _JAVA_OPTIONS} variables, in the order the JVM applies them). Immutable; {@link #current()} reads
 * this JVM, the constructor builds any other for the provider's tests.
 */
final class Platform {

    /** True if {@code jdk.incubator.vector} is in the boot layer. */
    final boolean vectorModule;
    /** {@code java.vm.info}, e.g. {@code mixed mode, sharing}. */
    final String vmInfo;
    /** {@code os.arch}, e.g. {@code amd64}, {@code aarch64}. */
    final String arch;
    /** The preferred float species' width in bits, 0 without the module. */
    final int speciesBits;
    /** Whether the CPU reports FMA, or null if unknown (not Linux, not x86, unreadable). */
    final Boolean cpuFma;
    /** The JVM's options, in the order it applies them (a later value of a flag wins). */
    final List<String> options;

    Platform(boolean vectorModule, String vmInfo, String arch, int speciesBits, Boolean cpuFma, List<String> options) {
        this.vectorModule = vectorModule;
        this.vmInfo = vmInfo == null ? "" : vmInfo;
        this.arch = arch == null ? "" : arch;
        this.speciesBits = speciesBits;
        this.cpuFma = cpuFma;
        this.options = Collections.unmodifiableList(new ArrayList<>(options));
    }

    /** This JVM. */
    static Platform current() {
        boolean module = KernelProvider.vectorModulePresent();
        String arch = System.getProperty("os.arch", "");
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        return new Platform(module, System.getProperty("java.vm.info", ""), arch,
                module ? SpeciesBits.PREFERRED : 0, linux && isX86(arch) ? cpuFma() : null, jvmOptions(linux));
    }

    static boolean isX86(String arch) {
        return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86") || arch.equals("i386");
    }

    boolean x86() {
        return isX86(arch);
    }

    /** The last value of {@code -XX:+name} / {@code -XX:-name}, or null if the flag is not given. */
    Boolean flag(String name) {
        Boolean value = null;
        for (String o : options) {
            if (o.equals("-XX:+" + name)) {
                value = Boolean.TRUE;
            } else if (o.equals("-XX:-" + name)) {
                value = Boolean.FALSE;
            }
        }
        return value;
    }

    /** The last value of {@code -XX:name=value}, or null if the flag is not given (or not a number). */
    Integer intFlag(String name) {
        Integer value = null;
        String prefix = "-XX:" + name + "=";
        for (String o : options) {
            if (o.startsWith(prefix)) {
                try {
                    value = Integer.valueOf(o.substring(prefix.length()).trim());
                } catch (NumberFormatException e) {
                    value = null;
                }
            }
        }
        return value;
    }

    @Override
    public String toString() {
        return "vm.info=" + vmInfo + ", arch=" + arch + ", species=" + speciesBits + " bits, cpu fma="
                + (cpuFma == null ? "unknown" : cpuFma) + ", options=" + options;
    }

    /** The {@code fma} flag of the first processor in {@code /proc/cpuinfo}, or null if unreadable. */
    private static Boolean cpuFma() {
        // java.io and no regular expression: this runs before the first kernel call, in a fresh JVM.
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new FileInputStream("/proc/cpuinfo"),
                StandardCharsets.ISO_8859_1))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("flags")) {
                    return words(line.substring(line.indexOf(':') + 1)).contains("fma");
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return null;
    }

    /** The words of {@code text} between spaces and tabs. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean space = i == text.length() || Character.isWhitespace(text.charAt(i));
            if (space && start >= 0) {
                words.add(text.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return words;
    }

    /**
     * The JVM's options: {@code JAVA_TOOL_OPTIONS}, then {@code JDK_JAVA_OPTIONS}, then the command line's
     * options (Linux only), then {@code _JAVA_OPTIONS}, which is HotSpot's order of precedence.
     */
    private static List<String> jvmOptions(boolean linux) {
        List<String> options = new ArrayList<>();
        split(System.getenv("JAVA_TOOL_OPTIONS"), options);
        split(System.getenv("JDK_JAVA_OPTIONS"), options);
        if (linux) {
            options.addAll(commandLineOptions(readCommandLine()));
        }
        split(System.getenv("_JAVA_OPTIONS"), options);
        return options;
    }

    private static void split(String value, List<String> into) {
        if (value != null) {
            into.addAll(words(value));
        }
    }

    private static List<String> readCommandLine() {
        try (InputStream in = new FileInputStream("/proc/self/cmdline")) {
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.asList(all.split("\0"));
        } catch (IOException | RuntimeException e) {
            return Collections.emptyList();
        }
    }

    /** Launcher options that take the next argument as their value. */
    private static final List<String> WITH_VALUE = Arrays.asList("-cp", "-classpath", "--class-path", "-p",
            "--module-path", "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-exports",
            "--add-opens", "--add-reads", "--patch-module", "--enable-native-access");

    /**
     * The JVM options of a command line {@code argv} (the executable first): the arguments before the main
     * class, {@code -jar} or {@code -m}, so that the program's own arguments are never read as JVM flags.
     */
    static List<String> commandLineOptions(List<String> argv) {
        List<String> options = new ArrayList<>();
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (!a.startsWith("-") || a.equals("-jar") || a.equals("-m") || a.equals("--module")) {
                break;
            }
            options.add(a);
            if (WITH_VALUE.contains(a)) {
                i++;
            }
        }
        return options;
    }

    /** Kept apart so that the vector classes are loaded only when the module is present. */
    private static final class SpeciesBits {
        static final int PREFERRED = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
