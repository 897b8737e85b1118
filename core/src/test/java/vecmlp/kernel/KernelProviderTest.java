package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import vecmlp.kernel.KernelProvider.Choice;
import vecmlp.kernel.KernelProvider.Kind;

/**
 * The provider's decision as a pure function of the properties and the JVM's facts ({@link Platform}), every
 * branch: the module, FMA (flags, AVX, the CPU), the compiler (-Xint, TieredStopAtLevel, C1 only, narrow
 * species), forcing, and the parsing of the JVM's command line.
 */
class KernelProviderTest {

    private static final String MIXED = "mixed mode, sharing";

    private static Platform x86(String vmInfo, int bits, Boolean cpuFma, String... options) {
        return new Platform(true, vmInfo, "amd64", bits, cpuFma, Arrays.asList(options));
    }

    private static Platform x86(String... options) {
        return x86(MIXED, 512, Boolean.TRUE, options);
    }

    private static Choice auto(Platform p) {
        return KernelProvider.decide(null, null, p);
    }

    private static void assertChoice(Kind kind, boolean warn, String reasonPart, Choice c) {
        assertEquals(kind, c.kind, c.toString());
        assertEquals(warn, c.warn, c.toString());
        assertTrue(c.reason.contains(reasonPart), "'" + reasonPart + "' in " + c);
    }

    @Test
    void thisJvmHasTheModuleAndPicksSimd() {
        assertTrue(Kernels.isSimdAvailable(), "the tests run with --add-modules jdk.incubator.vector");
        assertTrue(Kernels.get().isSimd());
        assertSame(Kernels.get(), Kernels.get(), "chosen once");
    }

    @Test
    void aJvmWithVectorsFmaAndC2GetsTheGuardedSimdKernels() {
        assertChoice(Kind.GUARDED, false, "512-bit", auto(x86()));
        assertChoice(Kind.GUARDED, false, "256-bit", auto(x86(MIXED, 256, true, "-XX:UseAVX=2")));
        assertChoice(Kind.GUARDED, false, "128-bit", auto(x86(MIXED, 128, true, "-XX:UseAVX=1")));
        assertChoice(Kind.GUARDED, false, "128-bit",
                auto(new Platform(true, MIXED, "aarch64", 128, null, List.of("-XX:UseAVX=0"))));
        assertChoice(Kind.GUARDED, false, "512-bit", auto(x86(MIXED, 512, null))); // CPU flags unknown
        assertChoice(Kind.GUARDED, false, "", KernelProvider.decide("auto", "on", x86()));
        assertChoice(Kind.SIMD, false, "", KernelProvider.decide("auto", " OFF ", x86()));
    }

    @Test
    void withoutTheModuleScalarWithTheFlagThatEnablesSimd() {
        Platform none = new Platform(false, MIXED, "amd64", 0, true, List.of());
        assertChoice(Kind.SCALAR, true, "--add-modules jdk.incubator.vector", auto(none));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KernelProvider.decide("simd", null, none));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
    }

    @Test
    void withoutHardwareFmaScalar() {
        assertChoice(Kind.SCALAR, true, "-XX:-UseFMA", auto(x86("-XX:-UseFMA")));
        assertChoice(Kind.GUARDED, false, "", auto(x86("-XX:-UseFMA", "-XX:+UseFMA")));
        assertChoice(Kind.SCALAR, true, "-XX:-UseFMA", auto(x86("-XX:+UseFMA", "-XX:-UseFMA")));
        assertChoice(Kind.SCALAR, true, "-XX:UseAVX=0", auto(x86(MIXED, 128, true, "-XX:UseAVX=0")));
        assertChoice(Kind.SCALAR, true, "/proc/cpuinfo", auto(x86(MIXED, 256, false)));
        assertChoice(Kind.SCALAR, true, "-XX:-UseFMA",
                auto(new Platform(true, MIXED, "aarch64", 128, null, List.of("-XX:-UseFMA"))));
        // Without FMA the twin is slow too, so FMA decides before the compiler does.
        assertChoice(Kind.SCALAR, true, "-XX:-UseFMA", auto(x86("-XX:TieredStopAtLevel=1", "-XX:-UseFMA")));
    }

    @Test
    void withoutC2TheTwinAlone() {
        assertChoice(Kind.TWIN, true, "-Xint", auto(x86("interpreted mode, sharing", 512, true)));
        for (int level = 0; level <= 3; level++) {
            assertChoice(Kind.TWIN, true, "-XX:TieredStopAtLevel=" + level,
                    auto(x86("-XX:TieredStopAtLevel=" + level)));
        }
        assertChoice(Kind.GUARDED, false, "", auto(x86("-XX:TieredStopAtLevel=4")));
        assertChoice(Kind.GUARDED, false, "", auto(x86("-XX:TieredStopAtLevel=1", "-XX:-TieredCompilation")));
        assertChoice(Kind.TWIN, true, "C1 only", auto(x86("mixed mode, emulated-client, sharing", 512, true)));
        assertChoice(Kind.TWIN, true, "64 bits", auto(x86(MIXED, 64, true, "-XX:MaxVectorSize=8")));
        // the guard's property does not bring C2 back
        assertChoice(Kind.TWIN, true, "TieredStopAtLevel", KernelProvider.decide("auto", "off",
                x86("-XX:TieredStopAtLevel=1")));
    }

    @Test
    void simdForcedAgainstTheJudgementSaysSo() {
        assertChoice(Kind.GUARDED, false, "-Dvecmlp.kernels=simd", KernelProvider.decide(" SIMD ", null, x86()));
        Choice c1 = KernelProvider.decide("simd", null, x86("-XX:TieredStopAtLevel=1"));
        assertChoice(Kind.GUARDED, true, "against the provider's judgement: -XX:TieredStopAtLevel=1", c1);
        assertTrue(c1.forced);
        Choice noFma = KernelProvider.decide("simd", "off", x86("-XX:-UseFMA"));
        assertChoice(Kind.SIMD, true, "-XX:-UseFMA", noFma);
        assertTrue(noFma.forced);
        assertFalse(KernelProvider.decide("simd", null, x86()).forced);
    }

    @Test
    void scalarWhenAskedForWithoutAWarning() {
        assertChoice(Kind.SCALAR, false, "-Dvecmlp.kernels=scalar", KernelProvider.decide("scalar", null, x86()));
        assertChoice(Kind.SCALAR, false, "-Dvecmlp.kernels=scalar", KernelProvider.decide("scalar", null,
                new Platform(false, MIXED, "amd64", 0, true, List.of())));
    }

    @Test
    void unknownValuesAreNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KernelProvider.decide("gpu", null, x86()));
        assertTrue(e.getMessage().contains("'gpu'") && e.getMessage().contains("vecmlp.kernels"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> KernelProvider.decide(null, "maybe", x86()));
        assertTrue(e.getMessage().contains("'maybe'") && e.getMessage().contains("vecmlp.warmup"), e.getMessage());
    }

    @Test
    void eachChoiceHasItsKernels() {
        assertSame(Kernels.scalar(), KernelProvider.kernelsOf(KernelProvider.decide("scalar", null, x86())));
        assertTrue(KernelProvider.kernelsOf(auto(x86())) instanceof WarmingKernels);
        assertTrue(KernelProvider.kernelsOf(KernelProvider.decide(null, "off", x86())) instanceof SimdKernels);
        Kernels twin = KernelProvider.kernelsOf(auto(x86("-XX:TieredStopAtLevel=1")));
        assertTrue(twin instanceof WarmingKernels && twin.isSimd(), twin.description());
        assertTrue(twin.description().startsWith("simd twin"), twin.description());
    }

    @Test
    void flagsTheLastValueWins() {
        Platform p = x86("-XX:+UseFMA", "-XX:TieredStopAtLevel=1", "-XX:-UseFMA", "-XX:TieredStopAtLevel=x",
                "-XX:UseAVX=2");
        assertEquals(Boolean.FALSE, p.flag("UseFMA"));
        assertNull(p.flag("TieredCompilation"));
        assertNull(p.intFlag("TieredStopAtLevel"), "not a number");
        assertEquals(2, p.intFlag("UseAVX"));
        assertNull(p.intFlag("UseAV"), "a prefix is not the flag");
    }

    @Test
    void theCommandLineIsReadUpToTheMainClass() {
        assertEquals(List.of("-Xmx1g", "-XX:-UseFMA", "-cp", "--add-modules"), Platform.commandLineOptions(List.of(
                "/usr/bin/java", "-Xmx1g", "-XX:-UseFMA", "-cp", "a.jar:b", "--add-modules", "jdk.incubator.vector",
                "app.Main", "-XX:TieredStopAtLevel=1")));
        assertEquals(List.of("-XX:TieredStopAtLevel=1"), Platform.commandLineOptions(List.of("java",
                "-XX:TieredStopAtLevel=1", "-jar", "app.jar", "-XX:-UseFMA")));
        assertEquals(List.of(), Platform.commandLineOptions(List.of("java", "-m", "app/app.Main", "-Xint")));
        assertEquals(List.of(), Platform.commandLineOptions(List.of()));
    }

    @Test
    void optionVariablesAreSplitAtWhitespace() {
        assertEquals(List.of("-XX:-UseFMA", "-Xmx1g", "-Dx=y"), Platform.words("  -XX:-UseFMA\t-Xmx1g \n -Dx=y "));
        assertEquals(List.of(), Platform.words(""));
        assertEquals(List.of(), Platform.words(" \t "));
        assertEquals(List.of("fma"), Platform.words("fma"));
    }

    @Test
    void thisJvmsFactsAreRead() {
        Platform p = Platform.current();
        assertTrue(p.vectorModule);
        assertEquals(SimdKernels.SPECIES.vectorBitSize(), p.speciesBits);
        assertTrue(p.vmInfo.contains("mode"), p.vmInfo);
        if (System.getProperty("os.name").startsWith("Linux")) {
            // what the JVM reports through JMX as its -XX options, the provider read without JMX
            for (String o : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (o.startsWith("-XX:") || o.startsWith("-Xss")) {
                    assertTrue(p.options.contains(o), o + " in " + p);
                }
            }
        }
    }

    @Test
    void withThreadsKeepsTheImplementation() {
        Kernels two = Kernels.simd().withThreads(2);
        assertTrue(two.isSimd());
        assertTrue(two.threads() == 2 && two.description().contains("2 threads"), two.description());
        assertSame(Kernels.scalar(), Kernels.scalar().withThreads(4));
    }
}
