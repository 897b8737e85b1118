package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Runs in the surefire executions that narrow the vector width with {@code -XX:MaxVectorSize}: proves the
 * SIMD kernels there really use the width the execution names in {@code vecmlp.test.vectorBits}, so those
 * runs test 128- and 256-bit code and not silently the machine's preferred width again.
 */
class SpeciesUnderTestTest {

    @Test
    void simdKernelsUseTheNarrowedWidth() {
        String bits = System.getProperty("vecmlp.test.vectorBits");
        assertNotNull(bits, "run only from a surefire execution that sets -Dvecmlp.test.vectorBits");
        String description = Kernels.simd().description();
        assertTrue(description.startsWith("simd (" + bits + "-bit"), description);
    }
}
