package vecmlp.kernel;

/**
 * The kernel layer's logger ({@code vecmlp.kernel}), obtained at its first use: {@code System.getLogger} starts
 * the JDK's logging back end, 27 ms of a fresh JVM in an ad-hoc timing (bench/README.md, cold start), which
 * would otherwise be spent in {@link Kernels#get()} on the way to the first training step, where nothing is
 * logged unless something is wrong. {@link SimdWarmup} reports groups ready (DEBUG), abandoned (INFO) and
 * every round's timings (TRACE, for tuning) on its own thread.
 */
final class KernelLog {

    private KernelLog() {
    }

    private static final class Holder {
        static final System.Logger LOG = System.getLogger("vecmlp.kernel");
    }

    /** The logger. */
    static System.Logger get() {
        return Holder.LOG;
    }
}
