package vecmlp.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The entry point of {@code benchmarks.jar}: JMH's own ({@code org.openjdk.jmh.Main}), with the OpenBLAS peers
 * at their best. OpenBLAS chooses its kernels for the CPU when it loads, unless {@code OPENBLAS_CORETYPE}
 * names a core (a machine that sets {@code Haswell} holds it to its AVX2 kernels on an AVX-512 CPU) or
 * {@code OPENBLAS_L2_SIZE} overrides its block sizes. JMH's forks inherit the environment, and a JVM cannot
 * change its own, so when either variable is set this runs JMH in a child JVM (the same {@code java}, the same
 * JVM options, the same arguments) whose environment lacks both and has {@code OPENBLAS_VERBOSE=2}, so that
 * each fork that loads OpenBLAS prints the core it chose ({@code Core: …}). {@code -D}{@value #ENV_PROPERTY}
 * {@code =keep} keeps the environment as it is, for comparisons with figures measured under it.
 */
public final class BenchMain {

    /** The system property that keeps the environment's OpenBLAS settings: {@code keep}. */
    public static final String ENV_PROPERTY = "vecmlp.bench.openblasEnv";
    /** The variables that hold OpenBLAS to other kernels or blocks than it would choose. */
    static final List<String> HELD = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    private BenchMain() {
    }

    /** Runs JMH with {@code args}, in a child JVM when the environment holds OpenBLAS back (see above). */
    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        List<String> held = held(env);
        String keep = System.getProperty(ENV_PROPERTY);
        if (held.isEmpty() || keep != null) {
            if (keep != null && !keep.equals("keep") && !keep.equals("unset")) {
                throw new IllegalArgumentException("-D" + ENV_PROPERTY + " must be keep (or unset, which the child"
                        + " JVM gets): '" + keep + "'");
            }
            org.openjdk.jmh.Main.main(args);
            return;
        }
        System.out.println("# benchmarks.jar: JMH runs without " + String.join(", ", held)
                + " in its environment, so OpenBLAS uses the kernels it chooses for this CPU (each fork that"
                + " loads it prints its core); -D" + ENV_PROPERTY + "=keep keeps them");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder child = new ProcessBuilder(command(java,
                ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.class.path"),
                args)).inheritIO();
        Map<String, String> childEnv = child.environment();
        HELD.forEach(childEnv::remove);
        childEnv.putIfAbsent("OPENBLAS_VERBOSE", "2");
        System.exit(child.start().waitFor());
    }

    /** The variables of {@link #HELD} that {@code env} sets, in that order. */
    static List<String> held(Map<String, String> env) {
        List<String> held = new ArrayList<>();
        for (String name : HELD) {
            if (env.containsKey(name)) {
                held.add(name + "=" + env.get(name));
            }
        }
        return held;
    }

    /**
     * The child's command: {@code java}, this JVM's options, the class path, the property that stops the child
     * from launching another, JMH's main class and the arguments.
     */
    static List<String> command(String java, List<String> jvmOptions, String classPath, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.add("-D" + ENV_PROPERTY + "=unset");
        command.add("-cp");
        command.add(classPath);
        command.add("org.openjdk.jmh.Main");
        command.addAll(List.of(args));
        return command;
    }
}
