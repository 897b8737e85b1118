package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The provider's choice for each value of {@code -Dvecmlp.kernels}, with the module present (this JVM) and absent. */
class KernelProviderTest {

    @Test
    void thisJvmHasTheModuleAndPicksSimd() {
        assertTrue(Kernels.isSimdAvailable(), "the tests run with --add-modules jdk.incubator.vector");
        assertTrue(Kernels.get().isSimd());
        assertSame(Kernels.get(), Kernels.get(), "chosen once");
    }

    @Test
    void propertyForcesAChoice() {
        assertTrue(KernelProvider.choose(null, true).isSimd());
        assertTrue(KernelProvider.choose("auto", true).isSimd());
        assertTrue(KernelProvider.choose(" SIMD ", true).isSimd());
        assertFalse(KernelProvider.choose("scalar", true).isSimd());
        assertFalse(KernelProvider.choose("auto", false).isSimd());
        assertFalse(KernelProvider.choose("scalar", false).isSimd());
    }

    @Test
    void simdForcedWithoutTheModuleSaysWhichFlagFixesIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelProvider.choose("simd", false));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
    }

    @Test
    void unknownValueIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelProvider.choose("gpu", true));
        assertTrue(e.getMessage().contains("'gpu'") && e.getMessage().contains("vecmlp.kernels"), e.getMessage());
    }

    @Test
    void withThreadsKeepsTheImplementation() {
        Kernels two = Kernels.simd().withThreads(2);
        assertTrue(two.isSimd());
        assertTrue(two.threads() == 2 && two.description().contains("2 threads"), two.description());
        assertSame(Kernels.scalar(), Kernels.scalar().withThreads(4));
    }
}
