package vecmlp.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Picks the kernels once, at first use, from what the JVM will really do with Vector API code (Lucene's
 * {@code VectorizationProvider} checks, our own code): the scalar reference kernels without the
 * {@code jdk.incubator.vector} module or without hardware FMA; the SIMD kernels' bits otherwise, computed by
 * their exact scalar twin alone where no C2 compiles vector code (C1 only, {@code -Xint}), and behind the
 * cold-start guard {@link WarmingKernels} (twin first, SIMD once compiled) where it does. The decision is
 * {@link #decide}, a pure function of the properties and of {@link Platform}'s facts, so it is the same for
 * the same JVM, flags and CPU; its reason is logged (one warning line, naming the flag that changes it)
 * wherever the kernels are slower than SIMD could be. The system property {@value #PROPERTY} ({@code auto},
 * {@code scalar}, {@code simd}) forces a choice; {@value #THREADS_PROPERTY} sets the default GEMM
 * parallelism; {@value #WARMUP_PROPERTY}{@code =off} removes the guard.
 */
final class KernelProvider {

    static final String PROPERTY = "vecmlp.kernels";
    static final String THREADS_PROPERTY = "vecmlp.threads";
    static final String WARMUP_PROPERTY = "vecmlp.warmup";
    static final String MODULE = "jdk.incubator.vector";

    private KernelProvider() {
    }

    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    static Kernels simdKernels() {
        if (!vectorModulePresent()) { // checked here: a failed class initialisation would be an Error
            throw new IllegalStateException("the module " + MODULE + " is not present: start the JVM with"
                    + " --add-modules " + MODULE);
        }
        return SimdHolder.INSTANCE;
    }

    static Kernels defaultKernels() {
        return DefaultHolder.INSTANCE;
    }

    /** The decision behind {@link #defaultKernels()}. */
    static Choice defaultChoice() {
        return DefaultHolder.CHOICE;
    }

    static int defaultThreads() {
        String value = System.getProperty(THREADS_PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int threads = Integer.parseInt(value.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalStateException("-D" + THREADS_PROPERTY + " must be a whole number >= 1: '" + value + "'");
    }

    /** What the provider runs: the kernels' bits and how they are computed. */
    enum Kind {
        /** The scalar reference kernels (their own bits). */
        SCALAR,
        /** The SIMD kernels' bits: their scalar twin until the JIT has compiled them, then the SIMD kernels. */
        GUARDED,
        /** The SIMD kernels' bits, always from their scalar twin: this JVM does not compile vector code. */
        TWIN,
        /** The SIMD kernels without the guard ({@code -Dvecmlp.warmup=off}). */
        SIMD
    }

    /**
     * A decision: what runs, why (one line, naming the flag that changes it), whether
     * {@code -Dvecmlp.kernels=simd} forced it against a different judgement, and whether the reason is logged
     * (a warning wherever the kernels run slower than SIMD could, or were forced).
     */
    static final class Choice {
        final Kind kind;
        final String reason;
        final boolean forced;
        final boolean warn;

        Choice(Kind kind, String reason, boolean forced, boolean warn) {
            this.kind = kind;
            this.reason = reason;
            this.forced = forced;
            this.warn = warn;
        }

        @Override
        public String toString() {
            return kind + (forced ? " (forced)" : "") + ": " + reason;
        }
    }

    /**
     * The choice, as a pure function of the properties {@value #PROPERTY} and {@value #WARMUP_PROPERTY} and
     * of what the JVM will do with vector code (tested directly, every branch). Its bits depend only on the
     * JVM, its flags and the CPU, never on a clock: SCALAR where the JVM cannot run a fused multiply-add in
     * hardware (the Vector API and the twin would emulate each one in software: -XX:-UseFMA, -XX:UseAVX=0, a
     * CPU or virtual machine without FMA); the SIMD kernels' bits otherwise, from the twin alone where no
     * C2 compiles the Vector API to vector instructions (-Xint, -XX:TieredStopAtLevel=1 to 3, or a
     * preferred species narrower than 128 bits), behind the guard where it does.
     */
    static Choice decide(String property, String warmup, Platform p) {
        String wanted = property == null ? "auto" : property.trim().toLowerCase(Locale.ROOT);
        String guard = warmup == null ? "on" : warmup.trim().toLowerCase(Locale.ROOT);
        if (!guard.isEmpty() && !guard.equals("on") && !guard.equals("off")) {
            throw new IllegalStateException("-D" + WARMUP_PROPERTY + " must be on or off: '" + warmup + "'");
        }
        Kind simd = guard.equals("off") ? Kind.SIMD : Kind.GUARDED;
        switch (wanted) {
            case "scalar":
                return new Choice(Kind.SCALAR, "-D" + PROPERTY + "=scalar", false, false);
            case "simd": {
                if (!p.vectorModule) {
                    throw new IllegalStateException("-D" + PROPERTY + "=simd, but the module " + MODULE
                            + " is not present: start the JVM with --add-modules " + MODULE);
                }
                Choice auto = judge(p, simd);
                return auto.kind == simd ? new Choice(simd, "-D" + PROPERTY + "=simd", false, false)
                        : new Choice(simd, "-D" + PROPERTY + "=simd forces the SIMD kernels against the provider's"
                                + " judgement: " + auto.reason, true, true);
            }
            case "":
            case "auto":
                return judge(p, simd);
            default:
                throw new IllegalStateException("-D" + PROPERTY + " must be auto, scalar or simd: '" + property + "'");
        }
    }

    /** The provider's own judgement ({@code auto}); {@code simd} is what runs where all is well. */
    private static Choice judge(Platform p, Kind simd) {
        if (!p.vectorModule) {
            return new Choice(Kind.SCALAR, "the Vector API module " + MODULE + " is not present, so the slow scalar"
                    + " reference kernels run; start the JVM with --add-modules " + MODULE + " to enable SIMD", false, true);
        }
        String noFma = noFma(p);
        if (noFma != null) {
            return new Choice(Kind.SCALAR, noFma + ": this JVM has no fused multiply-add in hardware, which the SIMD"
                    + " kernels and their twin would emulate in software, so the scalar reference kernels run"
                    + " (other bits than SIMD's); a JVM with FMA enables SIMD", false, true);
        }
        String noC2 = noVectorCompiler(p);
        if (noC2 != null) {
            return new Choice(Kind.TWIN, noC2 + ", so the Vector API would run its slow Java fallback: the SIMD"
                    + " kernels' scalar twin runs instead (the same bits, several times slower than SIMD compiled by"
                    + " C2, faster than the scalar reference)", false, true);
        }
        return new Choice(simd, "SIMD, " + p.speciesBits + "-bit vectors, fused multiply-add and C2", false, false);
    }

    /** Why this JVM has no hardware FMA (with the flag or fact behind it), or null if it has. */
    static String noFma(Platform p) {
        if (Boolean.FALSE.equals(p.flag("UseFMA"))) {
            return "-XX:-UseFMA";
        }
        if (p.x86()) {
            Integer avx = p.intFlag("UseAVX");
            if (avx != null && avx == 0) {
                return "-XX:UseAVX=0";
            }
            if (Boolean.FALSE.equals(p.cpuFma)) {
                return "the CPU does not report FMA (/proc/cpuinfo)";
            }
        }
        return null;
    }

    /** Why no C2 compiles the Vector API to vector instructions here (with the flag behind it), or null. */
    static String noVectorCompiler(Platform p) {
        if (p.vmInfo.contains("interpreted mode")) {
            return "-Xint: nothing is compiled";
        }
        Integer level = p.intFlag("TieredStopAtLevel");
        boolean tiered = !Boolean.FALSE.equals(p.flag("TieredCompilation"));
        if (tiered && level != null && level < 4) {
            return "-XX:TieredStopAtLevel=" + level + ": C2 never compiles";
        }
        if (p.vmInfo.contains("emulated-client")) {
            return "C1 only (java.vm.info: " + p.vmInfo + "; -XX:TieredStopAtLevel=1?): C2 never compiles";
        }
        if (p.speciesBits < 128) {
            return "the preferred vector species is " + p.speciesBits + " bits (-XX:MaxVectorSize?)";
        }
        return null;
    }

    /**
     * Why the Vector API will not become vector code here, judged again from the flags as HotSpot reports
     * them through JMX ({@code UseFMA}, {@code TieredCompilation}, {@code TieredStopAtLevel}, {@code UseAVX}),
     * which see what {@link Platform} may not (an argument file, a JVM started by other means than the
     * launcher, another operating system); null if it will, or where JMX is not there. Costs 35–50 ms, so
     * {@link SimdWarmup} asks it on its own thread: it can only stop the warm-up, never change the bits
     * chosen at start.
     */
    static String noVectorCodePerJmx(Platform p) {
        List<String> options = new ArrayList<>(p.options);
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            addFlag(bean, "UseFMA", true, options);
            addFlag(bean, "TieredCompilation", true, options);
            addFlag(bean, "TieredStopAtLevel", false, options);
            if (p.x86()) {
                addFlag(bean, "UseAVX", false, options);
            }
        } catch (RuntimeException | LinkageError e) { // no java.management, or no HotSpot
            return null;
        }
        Platform seen = new Platform(p.vectorModule, p.vmInfo, p.arch, p.speciesBits, p.cpuFma, options);
        String noFma = noFma(seen);
        if (noFma != null) {
            return noFma + ", no fused multiply-add in hardware, which the twin emulates in software too (slowly;"
                    + " -D" + PROPERTY + "=scalar runs the faster scalar reference, with other bits)";
        }
        return noVectorCompiler(seen);
    }

    private static void addFlag(HotSpotDiagnosticMXBean bean, String name, boolean bool, List<String> options) {
        String value;
        try {
            value = bean.getVMOption(name).getValue();
        } catch (IllegalArgumentException e) { // not a flag of this JVM
            return;
        }
        options.add(bool ? "-XX:" + (Boolean.parseBoolean(value) ? "+" : "-") + name : "-XX:" + name + "=" + value);
    }

    /** The kernels of a choice, its reason logged as a warning where {@link Choice#warn} says so. */
    static Kernels kernelsOf(Choice choice) {
        if (choice.warn) {
            KernelLog.get().log(Level.WARNING, "vecmlp: " + choice.reason);
        }
        switch (choice.kind) {
            case SCALAR:
                return Kernels.scalar();
            case TWIN:
                return TwinOnlyHolder.INSTANCE;
            case SIMD:
                return simdKernels();
            default:
                return WarmingHolder.INSTANCE;
        }
    }

    /** The scalar twin of the preferred species' SIMD kernels. */
    private static final class TwinHolder {
        static final TwinKernels TWIN = new TwinKernels(SimdKernels.SPECIES.length(), GemmShape.L);
    }

    /** The SIMD kernels' bits from their twin alone, on a JVM that does not compile vector code. */
    private static final class TwinOnlyHolder {
        static final Kernels INSTANCE = new WarmingKernels((SimdKernels) simdKernels(), TwinHolder.TWIN,
                WarmingKernels.NEVER);
    }

    /**
     * Why the Vector API will not become vector code, from the JVM's flags as JMX reports them (null unless
     * the choice was forced). A class, not a lambda: the JVM's first lambda costs about 10 ms (ad hoc), and
     * {@link Kernels#get()} may meet it first, on the way to a first training step.
     */
    private static final class JmxRecheck implements Supplier<String> {
        @Override
        public String get() {
            return DefaultHolder.CHOICE.forced ? null : noVectorCodePerJmx(Platform.current());
        }
    }

    private static final class WarmingHolder {
        static final SimdWarmup WARMUP = new SimdWarmup(new SimdKernels(1), TwinHolder.TWIN, new JmxRecheck());
        static final Kernels INSTANCE = new WarmingKernels((SimdKernels) simdKernels(), TwinHolder.TWIN, WARMUP);

        static {
            // What every network runs, asked for at once, so that warming overlaps the caller's own start-up
            // (loading data, building the network); the optimizers' kernels are asked for at their first call.
            WARMUP.expect(SimdWarmup.GEMM_BLOCKED | SimdWarmup.GEMM_SMALL | SimdWarmup.ACTIVATION_FORWARD
                    | SimdWarmup.ACTIVATION_BACKWARD | SimdWarmup.COLUMN_SUMS | SimdWarmup.DOT | SimdWarmup.PACKING);
        }
    }

    private static final class DefaultHolder {
        static final Choice CHOICE = decide(System.getProperty(PROPERTY), System.getProperty(WARMUP_PROPERTY),
                Platform.current());
        static final Kernels INSTANCE = kernelsOf(CHOICE);
    }

    private static final class SimdHolder {
        static final Kernels INSTANCE = new SimdKernels(defaultThreads());
    }
}
