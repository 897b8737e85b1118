package vecmlp.bench;

import vecmlp.kernel.Kernels;

/**
 * The {@code impl} parameter of the benchmarks: {@code scalar} (the reference kernels), {@code simd} (the
 * Vector API kernels on one thread) and {@code simd-2t} (the same, with matrix products split over two
 * threads; the other kernels are single-threaded either way). The report tool reads the thread count
 * from the {@code -Nt} suffix.
 */
final class Impls {

    private Impls() {
    }

    /** The kernels named by {@code impl}. */
    static Kernels kernels(String impl) {
        switch (impl) {
            case "scalar":
                return Kernels.scalar();
            case "simd":
                return Kernels.simd().withThreads(1);
            case "simd-2t":
                return Kernels.simd().withThreads(2);
            default:
                throw new IllegalArgumentException("impl must be scalar, simd or simd-2t: '" + impl + "'");
        }
    }
}
