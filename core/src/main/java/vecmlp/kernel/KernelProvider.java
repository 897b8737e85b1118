package vecmlp.kernel;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Picks the kernels once, at first use (Lucene's {@code VectorizationProvider} pattern): SIMD when the
 * {@code jdk.incubator.vector} module is in the boot layer, scalar otherwise, with one warning that names
 * the flag that enables SIMD. The system property {@value #PROPERTY} ({@code auto}, {@code scalar},
 * {@code simd}) forces a choice; {@value #THREADS_PROPERTY} sets the default GEMM parallelism. The SIMD
 * choice comes behind the cold-start guard {@link WarmingKernels} (the same bits, fast from the first
 * call) unless {@value #WARMUP_PROPERTY} is {@code off}.
 */
final class KernelProvider {

    static final String PROPERTY = "vecmlp.kernels";
    static final String THREADS_PROPERTY = "vecmlp.threads";
    static final String WARMUP_PROPERTY = "vecmlp.warmup";
    static final String MODULE = "jdk.incubator.vector";

    private static final System.Logger LOG = System.getLogger("vecmlp.kernel");

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

    /** The choice, as a pure function of the property value and module presence (tested directly). */
    static Kernels choose(String property, boolean modulePresent) {
        String wanted = property == null ? "auto" : property.trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "scalar":
                return Kernels.scalar();
            case "simd":
                if (!modulePresent) {
                    throw new IllegalStateException("-D" + PROPERTY + "=simd, but the module " + MODULE
                            + " is not present: start the JVM with --add-modules " + MODULE);
                }
                return guardedSimd(System.getProperty(WARMUP_PROPERTY));
            case "":
            case "auto":
                if (modulePresent) {
                    return guardedSimd(System.getProperty(WARMUP_PROPERTY));
                }
                LOG.log(Level.WARNING, "vecmlp: the Vector API module " + MODULE + " is not present; using the slow"
                        + " scalar kernels. Start the JVM with --add-modules " + MODULE + " to enable SIMD.");
                return Kernels.scalar();
            default:
                throw new IllegalStateException("-D" + PROPERTY + " must be auto, scalar or simd: '" + property + "'");
        }
    }

    /**
     * The SIMD kernels behind the cold-start guard ({@link WarmingKernels}), or without it when the
     * property {@value #WARMUP_PROPERTY} is {@code off} (to measure the unguarded cold start).
     */
    static Kernels guardedSimd(String warmup) {
        String value = warmup == null ? "on" : warmup.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "":
            case "on":
                return WarmingHolder.INSTANCE;
            case "off":
                return simdKernels();
            default:
                throw new IllegalStateException("-D" + WARMUP_PROPERTY + " must be on or off: '" + warmup + "'");
        }
    }

    private static final class WarmingHolder {
        static final TwinKernels TWIN = new TwinKernels(SimdKernels.SPECIES.length(), GemmShape.L);
        static final SimdWarmup WARMUP = new SimdWarmup(new SimdKernels(1), TWIN);
        static final Kernels INSTANCE = new WarmingKernels((SimdKernels) simdKernels(), TWIN, WARMUP);

        static {
            // What every network runs, asked for at once, so that warming overlaps the caller's own start-up
            // (loading data, building the network); the optimizers' kernels are asked for at their first call.
            WARMUP.want(SimdWarmup.GEMM_BLOCKED | SimdWarmup.GEMM_SMALL | SimdWarmup.ACTIVATION_FORWARD
                    | SimdWarmup.ACTIVATION_BACKWARD | SimdWarmup.COLUMN_SUMS | SimdWarmup.DOT);
        }
    }

    private static final class DefaultHolder {
        static final Kernels INSTANCE = choose(System.getProperty(PROPERTY), vectorModulePresent());
    }

    private static final class SimdHolder {
        static final Kernels INSTANCE = new SimdKernels(defaultThreads());
    }
}
