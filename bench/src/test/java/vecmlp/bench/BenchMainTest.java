package vecmlp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link BenchMain}: which variables it finds and the command of the child JVM it starts. */
class BenchMainTest {

    @Test
    void findsTheVariablesThatHoldOpenBlasBackInOrder() {
        assertEquals(List.of(), BenchMain.held(Map.of("PATH", "/bin", "OPENBLAS_NUM_THREADS", "1")));
        assertEquals(List.of("OPENBLAS_CORETYPE=Haswell", "OPENBLAS_L2_SIZE=512"),
                BenchMain.held(Map.of("OPENBLAS_L2_SIZE", "512", "OPENBLAS_CORETYPE", "Haswell")));
        assertEquals(List.of("OPENBLAS_L2_SIZE=512"), BenchMain.held(Map.of("OPENBLAS_L2_SIZE", "512")));
    }

    @Test
    void theChildRunsJmhWithTheSameOptionsAndArguments() {
        List<String> command = BenchMain.command("/jdk/bin/java", List.of("-Xmx1g", "-Djmh.ignoreLock=true"),
                "/b/benchmarks.jar", new String[] {"GemmBenchmark", "-p", "impl=simd,netlib"});
        assertEquals(List.of("/jdk/bin/java", "-Xmx1g", "-Djmh.ignoreLock=true",
                "-D" + BenchMain.ENV_PROPERTY + "=unset", "-cp", "/b/benchmarks.jar", "org.openjdk.jmh.Main",
                "GemmBenchmark", "-p", "impl=simd,netlib"), command);
    }
}
