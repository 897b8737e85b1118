package vecmlp.bench.blas;

import dev.ludovic.netlib.blas.BLAS;

/** The BLAS peer of the benchmarks: netlib's {@code BLAS.getInstance()}. */
public final class Netlib {

    private Netlib() {
    }

    /**
     * {@code BLAS.getInstance()} (the system OpenBLAS through JNI when {@code libblas.so.3} loads, else netlib's
     * Java port), after printing which backend it is and {@code OPENBLAS_NUM_THREADS}.
     */
    public static BLAS instance() {
        BLAS blas = BLAS.getInstance();
        System.out.println("netlib backend: " + blas.getClass().getName()
                + ", OPENBLAS_NUM_THREADS=" + System.getenv("OPENBLAS_NUM_THREADS"));
        return blas;
    }
}
