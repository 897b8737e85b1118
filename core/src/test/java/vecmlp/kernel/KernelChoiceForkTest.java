package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The provider's choice in fresh JVMs started with the flags that model the JVMs of issue 19 (C1 only,
 * {@code -Xint}, no FMA, no AVX, flags from {@code JAVA_TOOL_OPTIONS}): which kernels they run, the one
 * warning line that names the flag, and, where the SIMD kernels' bits are promised, those bits (the forked
 * JVM trains on its choice; this JVM on the SIMD kernels with the same species).
 */
class KernelChoiceForkTest {

    /** The forked JVM's output: standard output and standard error. */
    private static final class Run {
        final String out;
        final String err;

        Run(String out, String err) {
            this.out = out;
            this.err = err;
        }

        String value(String key) {
            for (String line : out.split("\n")) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1).trim();
                }
            }
            throw new AssertionError("no " + key + "= in the output:\n" + out + "\nstandard error:\n" + err);
        }

        /** The warning lines vecmlp logged. */
        long warnings() {
            return Arrays.stream(err.split("\n")).filter(l -> l.contains("WARNING: vecmlp:")).count();
        }
    }

    private static Run fork(Map<String, String> env, String... flags) throws IOException, InterruptedException {
        return fork(env, List.of(), flags);
    }

    private static Run fork(Map<String, String> env, List<String> args, String... flags)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-XX:MaxVectorSize=" + SimdKernels.SPECIES.vectorByteSize()); // the species of this JVM
        command.addAll(Arrays.asList(flags));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KernelChoiceMain.class.getName());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.environment().putAll(env);
        pb.redirectErrorStream(false);
        Process p = pb.start();
        byte[] err = new byte[0];
        byte[] out = p.getInputStream().readAllBytes();
        err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the forked JVM ended");
        Run run = new Run(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue(), "exit status; output:\n" + run.out + "\nstandard error:\n" + run.err);
        return run;
    }

    private static Run fork(String... flags) throws IOException, InterruptedException {
        return fork(Map.of(), flags);
    }

    private static final int SIMD_BITS = KernelChoiceMain.digest(WarmingKernelsTest.train(Kernels.simd().withThreads(1)));

    @Test
    void kernelsGivenToTheNetworkAndTheOptimizerStartNoWarmUp() throws Exception {
        Run run = fork(Map.of(), List.of("explicit"));
        assertEquals("false", run.value("warmupThread"), "the default kernels' warm-up thread was started");
        assertEquals(SIMD_BITS, Integer.parseInt(run.value("bits")));
    }

    @Test
    void c1OnlyRunsTheTwinWithTheBitsOfSimd() throws Exception {
        Run run = fork("-XX:TieredStopAtLevel=1");
        assertEquals("TWIN", run.value("kind"));
        assertTrue(run.value("kernels").startsWith("simd twin"), run.out);
        assertEquals(SIMD_BITS, Integer.parseInt(run.value("bits")), "the bits of the SIMD kernels");
        assertEquals(1, run.warnings(), run.err);
        assertTrue(run.err.contains("-XX:TieredStopAtLevel=1"), run.err);
    }

    @Test
    void flagsFromTheEnvironmentCount() throws Exception {
        Run run = fork(Map.of("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1"));
        assertEquals("TWIN", run.value("kind"));
        assertEquals(SIMD_BITS, Integer.parseInt(run.value("bits")));
    }

    @Test
    void interpreterOnlyRunsTheTwin() throws Exception {
        Run run = fork("-Xint");
        assertEquals("TWIN", run.value("kind"));
        assertEquals(SIMD_BITS, Integer.parseInt(run.value("bits")));
        assertTrue(run.err.contains("-Xint"), run.err);
    }

    @Test
    void withoutFmaTheScalarKernels() throws Exception {
        Run run = fork("-XX:-UseFMA");
        assertEquals("SCALAR", run.value("kind"));
        assertEquals(Kernels.scalar().description(), run.value("kernels"));
        assertEquals(KernelChoiceMain.digest(WarmingKernelsTest.train(Kernels.scalar())),
                Integer.parseInt(run.value("bits")), "the bits of the scalar kernels");
        assertNotEquals(SIMD_BITS, Integer.parseInt(run.value("bits")));
        assertTrue(run.err.contains("-XX:-UseFMA"), run.err);
    }

    @Test
    void forcedSimdSaysItWasForced() throws Exception {
        Run run = fork("-XX:TieredStopAtLevel=1", "-Dvecmlp.kernels=simd");
        assertEquals("GUARDED", run.value("kind"));
        assertEquals(SIMD_BITS, Integer.parseInt(run.value("bits")));
        assertTrue(run.err.contains("forces the SIMD kernels against the provider's judgement"), run.err);
    }

    @Test
    void aDefaultJvmWithFmaGetsTheGuardedSimdKernelsWithoutAWarning() throws Exception {
        Run run = fork();
        if (KernelProvider.noFma(Platform.current()) == null) {
            assertEquals("GUARDED", run.value("kind"));
            assertEquals(0, run.warnings(), run.err);
        } else {
            assertEquals("SCALAR", run.value("kind"));
        }
    }
}
