package vecmlp.kernel;

import static vecmlp.kernel.Gemm.EDGE_MAX_COLS;
import static vecmlp.kernel.Gemm.SMALL_M;
import static vecmlp.kernel.GemmShape.KC;
import static vecmlp.kernel.GemmShape.NR;

/**
 * The SIMD kernels behind a cold-start guard, what {@link Kernels#get()} returns when the Vector API is
 * present: each call runs {@link SimdKernels} once the JIT has compiled the code that call needs, and its
 * exact scalar twin ({@link TwinKernels}) until then. Until C2 has compiled a Vector API method, each vector
 * operation runs the API's Java fallback, hundreds of times slower than plain loops; the twin's loops
 * compile within the first few hundred milliseconds. Because the twin gives the same bits, which of the two
 * runs a call, and when the switch happens, never changes a result.
 *
 * <p>Readiness is kept per group of kernels ({@link SimdWarmup}'s bits) and decided by {@link SimdWarmup}: the
 * first call that finds a group cold asks for it, and a background thread runs that group's SIMD kernels on
 * small inputs until they are compiled and at least as fast as the twin.
 */
final class WarmingKernels extends Kernels {

    /** Whether the SIMD code of a group of kernels may run, and the way to ask for it. */
    interface Readiness {
        /** True if every group in {@code groups} (bits of {@link SimdWarmup}) runs compiled SIMD code. */
        boolean ready(int groups);

        /** Asks for the groups in {@code groups} to be brought to compiled SIMD code (cheap when already asked). */
        void want(int groups);

        /**
         * Says that the caller's calls are split over {@code threads} threads, so that the warm-up takes the
         * branches of the split too (cheap when already said).
         */
        default void splitsOver(int threads) {
        }
    }

    /** Never ready: the twin runs every call (a JVM that does not compile the Vector API to vector code). */
    static final Readiness NEVER = new Readiness() {
        @Override
        public boolean ready(int groups) {
            return false;
        }

        @Override
        public void want(int groups) {
        }
    };

    private final SimdKernels simd;
    private final TwinKernels twin;
    private final Readiness readiness;

    WarmingKernels(SimdKernels simd, TwinKernels twin, Readiness readiness) {
        this.simd = simd;
        this.twin = twin;
        this.readiness = readiness;
    }

    @Override
    public Kernels withThreads(int threads) {
        return threads == simd.threads() ? this : new WarmingKernels((SimdKernels) simd.withThreads(threads), twin,
                readiness);
    }

    @Override
    public int threads() {
        return simd.threads();
    }

    @Override
    public String description() {
        return readiness == NEVER ? twin.description() + " for " + simd.description() : simd.description();
    }

    @Override
    public boolean isSimd() {
        return true;
    }

    /**
     * The SIMD kernels if {@code groups} are ready, else the twin (and {@code groups} are asked for, with the
     * thread count they will run on).
     */
    private Kernels pick(int groups) {
        if (readiness.ready(groups)) {
            return simd;
        }
        readiness.want(groups);
        if (simd.threads() > 1) {
            readiness.splitsOver(simd.threads());
        }
        return twin;
    }

    /**
     * The groups a product needs, from the path {@link Gemm} takes for its shape, alpha and beta: the few-row
     * path, or the blocked one and, for the narrow last columns of a deep product, the few-row path too;
     * sigmoid, tanh and softmax epilogues run the activation kernels. (With B laid out once, {@link Gemm} never
     * swaps the product; the groups are the same: a packed B is not transposed, and a narrow product is swapped
     * only where its transposed form has one depth pass or no GEMV edge.)
     */
    static int gemmGroups(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                          Activation act) {
        boolean swapped = Gemm.swapsOperands(transA, transB, m, n, k, alpha, beta, GemmShape.L);
        int rows = swapped ? n : m;
        int cols = swapped ? m : n;
        int groups;
        if (rows <= SMALL_M) {
            groups = SimdWarmup.GEMM_SMALL;
        } else {
            groups = SimdWarmup.GEMM_BLOCKED;
            int edge = cols % NR;
            if (edge != 0 && edge <= EDGE_MAX_COLS && k > KC) {
                groups |= SimdWarmup.GEMM_SMALL;
            }
        }
        if (act.usesMath() || act.kind() == Activation.Kind.SOFTMAX) {
            groups |= SimdWarmup.ACTIVATION_FORWARD;
        }
        return groups;
    }

    @Override
    protected void sgemmK(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float beta, float[] c, int cOff, int ldc) {
        int groups = gemmGroups(transA == Transpose.YES, transB == Transpose.YES, m, n, k, alpha, beta,
                Activation.IDENTITY);
        pick(groups).sgemmK(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    protected void sgemmBiasActivationK(Transpose transA, Transpose transB, int m, int n, int k,
                                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                        float[] bias, int biasOff, Activation act,
                                        float[] c, int cOff, int ldc) {
        pick(gemmGroups(transA == Transpose.YES, transB == Transpose.YES, m, n, k, 1f, 0f, act))
                .sgemmBiasActivationK(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, bias, biasOff, act,
                        c, cOff, ldc);
    }

    /** The SIMD kernels' panels (plain copies, fast while the Vector API is cold); the twin reads the copy. */
    @Override
    protected float[] panelsK(int k, int n, float[] values) {
        return simd.panelsK(k, n, values);
    }

    @Override
    protected void sgemmBiasActivationPackedK(Transpose transA, int m, int n, int k, float[] a, int aOff, int lda,
                                              PackedMatrix b, float[] bias, int biasOff, Activation act,
                                              float[] c, int cOff, int ldc) {
        pick(gemmGroups(transA == Transpose.YES, false, m, n, k, 1f, 0f, act))
                .sgemmBiasActivationPackedK(transA, m, n, k, a, aOff, lda, b, bias, biasOff, act, c, cOff, ldc);
    }

    @Override
    protected void activationForwardK(Activation act, int m, int n, float[] z, int zOff, int ldz,
                                      float[] a, int aOff, int lda) {
        pick(SimdWarmup.ACTIVATION_FORWARD).activationForwardK(act, m, n, z, zOff, ldz, a, aOff, lda);
    }

    @Override
    protected void activationBackwardK(Activation act, int m, int n, float[] a, int aOff, int lda,
                                       float[] delta, int dOff, int ldd) {
        int groups = SimdWarmup.ACTIVATION_BACKWARD;
        if (act.needsPreactivation()) {
            groups |= SimdWarmup.ACTIVATION_BACKWARD_MATH;
        }
        if (act.kind() == Activation.Kind.SOFTMAX) {
            groups |= SimdWarmup.DOT;
        }
        pick(groups).activationBackwardK(act, m, n, a, aOff, lda, delta, dOff, ldd);
    }

    @Override
    protected void addBiasK(int m, int n, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        pick(SimdWarmup.AXPY).addBiasK(m, n, bias, biasOff, c, cOff, ldc);
    }

    @Override
    protected void columnSumsK(int m, int n, float[] a, int aOff, int lda, float[] sums, int sOff) {
        pick(SimdWarmup.COLUMN_SUMS).columnSumsK(m, n, a, aOff, lda, sums, sOff);
    }

    @Override
    protected void axpyK(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        pick(SimdWarmup.AXPY).axpyK(n, alpha, x, xOff, y, yOff);
    }

    @Override
    protected void scaleK(int n, float alpha, float[] x, int xOff) {
        pick(SimdWarmup.SCALE).scaleK(n, alpha, x, xOff);
    }

    @Override
    protected float dotK(int n, float[] x, int xOff, float[] y, int yOff) {
        return pick(SimdWarmup.DOT).dotK(n, x, xOff, y, yOff);
    }

    @Override
    protected float sumOfSquaresK(int n, float[] x, int xOff) {
        return pick(SimdWarmup.DOT).sumOfSquaresK(n, x, xOff);
    }

    @Override
    protected void sgdStepK(int n, float lr, float weightDecay, float[] param, int pOff, float[] grad, int gOff) {
        pick(SimdWarmup.SGD).sgdStepK(n, lr, weightDecay, param, pOff, grad, gOff);
    }

    @Override
    protected void momentumStepK(int n, float lr, float momentum, float weightDecay, boolean nesterov,
                                 float[] param, int pOff, float[] grad, int gOff, float[] velocity, int vOff) {
        pick(SimdWarmup.MOMENTUM).momentumStepK(n, lr, momentum, weightDecay, nesterov, param, pOff, grad, gOff,
                velocity, vOff);
    }

    @Override
    protected void adamStepK(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                             boolean decoupled, float biasCorrection1, float biasCorrection2Sqrt,
                             float[] param, int pOff, float[] grad, int gOff,
                             float[] m, int mOff, float[] v, int vOff) {
        pick(SimdWarmup.ADAM).adamStepK(n, lr, beta1, beta2, eps, weightDecay, decoupled, biasCorrection1,
                biasCorrection2Sqrt, param, pOff, grad, gOff, m, mOff, v, vOff);
    }

    @Override
    protected void dropoutK(int m, int n, int threshold, float scale, int[] rowKeys, int kOff,
                            float[] a, int aOff, int lda, float[] out, int outOff, int ldo) {
        pick(SimdWarmup.DROPOUT).dropoutK(m, n, threshold, scale, rowKeys, kOff, a, aOff, lda, out, outOff, ldo);
    }

    @Override
    protected void columnMeanAndVarianceK(int m, int n, float[] z, int zOff, int ldz, float[] mean, int mOff,
                                          float[] var, int vOff) {
        pick(SimdWarmup.BATCH_NORM).columnMeanAndVarianceK(m, n, z, zOff, ldz, mean, mOff, var, vOff);
    }

    @Override
    protected void normalizeColumnsK(int m, int n, float[] z, int zOff, int ldz, float[] mean, int mOff,
                                     float[] rstd, int rOff, float[] gamma, int gOff, float[] beta, int bOff,
                                     float[] xhat, int xOff, int ldx, float[] y, int yOff, int ldy) {
        pick(SimdWarmup.BATCH_NORM).normalizeColumnsK(m, n, z, zOff, ldz, mean, mOff, rstd, rOff, gamma, gOff, beta,
                bOff, xhat, xOff, ldx, y, yOff, ldy);
    }

    @Override
    protected void normalizeColumnsBackwardK(int m, int n, float[] xhat, int xOff, int ldx, float[] gamma, int gOff,
                                             float[] rstd, int rOff, float[] g, int gradOff, int ldg,
                                             float[] dGamma, int dgOff, float[] dBeta, int dbOff) {
        pick(SimdWarmup.BATCH_NORM).normalizeColumnsBackwardK(m, n, xhat, xOff, ldx, gamma, gOff, rstd, rOff, g,
                gradOff, ldg, dGamma, dgOff, dBeta, dbOff);
    }
}
