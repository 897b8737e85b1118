package vecmlp.bench;

import vecmlp.kernel.Kernels;

/**
 * The {@code impl} parameter of the benchmarks: {@code scalar} (the reference kernels), {@code simd} (the
 * Vector API kernels on one thread), {@code auto} (what {@code Kernels.get()} gives, on one thread: the SIMD
 * kernels behind the cold-start guard that runs their exact scalar twin until they are compiled; the same
 * bits as {@code simd}) and {@code simd-2t} (the SIMD kernels, with matrix products, optimizer updates
 * and sums of squares over 2^16+ values, and activation derivatives of 2^15+ values split over two threads;
 * smaller passes run on one). The report tool reads the thread count
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
            case "auto":
                return Kernels.get().withThreads(1);
            case "simd-2t":
                return Kernels.simd().withThreads(2);
            default:
                throw new IllegalArgumentException("impl must be scalar, simd, auto or simd-2t: '" + impl + "'");
        }
    }
}
