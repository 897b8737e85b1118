package vecmlp.kernel;

import static vecmlp.kernel.Checks.finite;
import static vecmlp.kernel.Checks.matrix;
import static vecmlp.kernel.Checks.nonNegative;
import static vecmlp.kernel.Checks.positive;
import static vecmlp.kernel.Checks.notNull;
import static vecmlp.kernel.Checks.vector;

/**
 * Every numeric primitive of vecmlp, on flat row-major {@code float[]} buffers addressed by
 * (array, offset, leading dimension): element (i, j) of a matrix {@code X} is {@code x[xOff + i·ldx + j]}.
 *
 * <p>There are two implementations: a plain scalar one ({@link #scalar()}), which is also the test
 * oracle, and one on the Vector API ({@link #simd()}). {@link #get()} picks one once, at first use, from
 * what the JVM will do with vector code: SIMD when the {@code jdk.incubator.vector} module is present and the
 * JVM has hardware FMA, scalar otherwise (logged once, with the flag that changes it); the system property
 * {@code vecmlp.kernels=scalar|simd|auto} forces a choice. The SIMD choice comes behind a cold-start guard:
 * until the JIT has compiled a SIMD kernel (before that, Vector API code runs hundreds of times slower than
 * plain loops), its calls run an exact scalar twin that gives the same bits, and on a JVM without C2 (C1
 * only, {@code -Xint}) the twin runs every call; {@code -Dvecmlp.warmup=off} turns the guard off. Nothing
 * above this layer knows which one runs.
 *
 * <p>Every public method checks its arguments first and throws {@link IllegalArgumentException},
 * {@link IndexOutOfBoundsException} or {@link NullPointerException} with a message naming the argument
 * and its value, before anything is written; the protected {@code …K} methods behind them never check
 * (the netlib-java {@code AbstractBLAS} pattern). Output regions must not overlap inputs unless a method
 * says so. Instances are immutable and safe to share between threads; one call's result depends only on
 * its arguments, never on the thread count.
 */
public abstract class Kernels {

    /** Constructor for the implementations in this package. */
    Kernels() {
    }

    // ------------------------------------------------------------------ provider

    /**
     * The kernels chosen for this JVM (see the class comment); the same instance on every call. With the
     * Vector API, the first call also starts the background thread that brings the SIMD kernels to compiled
     * code.
     */
    public static Kernels get() {
        return KernelProvider.defaultKernels();
    }

    /** The scalar reference implementation (single-threaded). */
    public static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /**
     * The Vector API implementation with the default parallelism, without the cold-start guard of
     * {@link #get()}: until the JIT has compiled it, it runs the Vector API's slow Java fallback.
     *
     * @throws IllegalStateException if the JVM was started without {@code --add-modules jdk.incubator.vector}
     */
    public static Kernels simd() {
        return KernelProvider.simdKernels();
    }

    /** True if the {@code jdk.incubator.vector} module is present, so {@link #simd()} works. */
    public static boolean isSimdAvailable() {
        return KernelProvider.vectorModulePresent();
    }

    /**
     * These kernels, with matrix products (and, for SIMD, optimizer updates and sums of squares over long
     * ranges, and activation derivatives of large matrices) split over at most {@code threads} threads. The
     * split never divides the inner dimension {@code k} and sums fixed blocks in a fixed order, so results
     * are bit-identical for every thread count.
     *
     * @param threads ≥ 1
     */
    public abstract Kernels withThreads(int threads);

    /** How many threads a matrix product (or a long elementwise pass) may use. */
    public abstract int threads();

    /** A short description for logs and reports, e.g. {@code simd (256-bit, 8 float lanes, 1 thread)}. */
    public abstract String description();

    /** True for the Vector API implementation. */
    public abstract boolean isSimd();

    @Override
    public String toString() {
        return description();
    }

    // ------------------------------------------------------------------ matrix products

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C} (BLAS {@code SGEMM}, row-major), where {@code op(A)} is
     * {@code m × k}, {@code op(B)} is {@code k × n} and {@code C} is {@code m × n}. A transposed operand is
     * read transposed in place: {@code A} is stored {@code m × k} for {@link Transpose#NO} and
     * {@code k × m} for {@link Transpose#YES}. When {@code beta == 0}, {@code C} is not read, so NaN in it
     * does not propagate; when {@code alpha == 0} or {@code k == 0}, {@code A} and {@code B} are not read.
     */
    public final void sgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        checkGemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        sgemmK(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * The forward pass of a dense layer in one call, {@code C = σ(op(A) · op(B) + 1 · biasᵀ)}
     * (MATH.md: {@code Z = A·W + b}, {@code A = σ(Z)}), with the bias add and the activation applied
     * while {@code C} is written where the implementation can fuse them. {@code C} is not read.
     *
     * @param bias    {@code n} values at {@code biasOff}, or {@code null} for no bias
     * @param act     the activation; {@link Activation#IDENTITY} leaves {@code Z}
     */
    public final void sgemmBiasActivation(Transpose transA, Transpose transB, int m, int n, int k,
                                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                          float[] bias, int biasOff, Activation act,
                                          float[] c, int cOff, int ldc) {
        checkGemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        notNull("act", act);
        if (bias != null) {
            vector("bias", bias, biasOff, n);
        }
        if (m == 0 || n == 0) {
            return;
        }
        sgemmBiasActivationK(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, bias, biasOff, act, c, cOff, ldc);
    }

    /**
     * A copy of the {@code k × n} matrix {@code b} (a layer's weights), laid out once for these kernels'
     * products by it ({@link #sgemmBiasActivation(Transpose, int, int, int, float[], int, int, PackedMatrix,
     * float[], int, Activation, float[], int, int)}): the SIMD kernels keep the panels their blocked GEMM
     * would pack from {@code b} in each call. Allocates a copy of the matrix and, for the SIMD kernels, its panels
     * (about as large again); later changes to {@code b} do not reach either.
     */
    public final PackedMatrix pack(int k, int n, float[] b, int bOff, int ldb) {
        nonNegative("k", k);
        nonNegative("n", n);
        matrix("b", b, bOff, ldb, k, n);
        float[] values = new float[Math.multiplyExact(k, n)];
        for (int p = 0; p < k; p++) {
            System.arraycopy(b, bOff + p * ldb, values, p * n, n);
        }
        return new PackedMatrix(k, n, values, k == 0 || n == 0 ? null : panelsK(k, n, values));
    }

    /**
     * {@link #sgemmBiasActivation(Transpose, Transpose, int, int, int, float[], int, int, float[], int, int,
     * float[], int, Activation, float[], int, int)} with a packed {@code B} ({@code k × n}, not transposed):
     * {@code C = σ(op(A) · B + 1 · biasᵀ)}, the same bits as with the matrix {@code b} was made from.
     *
     * @param b a matrix from {@link #pack} with {@code k} rows and {@code n} columns
     */
    public final void sgemmBiasActivation(Transpose transA, int m, int n, int k, float[] a, int aOff, int lda,
                                          PackedMatrix b, float[] bias, int biasOff, Activation act,
                                          float[] c, int cOff, int ldc) {
        notNull("b", b);
        if (b.rows() != k || b.columns() != n) {
            throw new IllegalArgumentException("b must be k x n = " + k + " x " + n + ": " + b.rows() + " x "
                    + b.columns());
        }
        checkGemm(transA, Transpose.NO, m, n, k, a, aOff, lda, b.values, 0, Math.max(1, n), c, cOff, ldc);
        notNull("act", act);
        if (bias != null) {
            vector("bias", bias, biasOff, n);
        }
        if (m == 0 || n == 0) {
            return;
        }
        sgemmBiasActivationPackedK(transA, m, n, k, a, aOff, lda, b, bias, biasOff, act, c, cOff, ldc);
    }

    private static void checkGemm(Transpose transA, Transpose transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc) {
        notNull("transA", transA);
        notNull("transB", transB);
        nonNegative("m", m);
        nonNegative("n", n);
        nonNegative("k", k);
        boolean ta = transA == Transpose.YES;
        boolean tb = transB == Transpose.YES;
        matrix("a", a, aOff, lda, ta ? k : m, ta ? m : k);
        matrix("b", b, bOff, ldb, tb ? n : k, tb ? k : n);
        matrix("c", c, cOff, ldc, m, n);
    }

    // ------------------------------------------------------------------ elementwise and reductions

    /**
     * {@code A = σ(Z)} over an {@code m × n} matrix (softmax: per row). {@code A} may be {@code Z} itself
     * (same array, offset and leading dimension) to apply the activation in place.
     */
    public final void activationForward(Activation act, int m, int n, float[] z, int zOff, int ldz,
                                        float[] a, int aOff, int lda) {
        notNull("act", act);
        nonNegative("m", m);
        nonNegative("n", n);
        matrix("z", z, zOff, ldz, m, n);
        matrix("a", a, aOff, lda, m, n);
        if (m == 0 || n == 0) {
            return;
        }
        activationForwardK(act, m, n, z, zOff, ldz, a, aOff, lda);
    }

    /**
     * {@code delta ← delta ⊙ σ'(Z)} over an {@code m × n} matrix, with σ' evaluated from the activation
     * {@code A = σ(Z)} (see {@link Activation}), or, for an activation that
     * {@link Activation#needsPreactivation() needs the pre-activation} (SiLU, GELU), from {@code Z} passed as
     * {@code a}. For softmax each row becomes
     * {@code s ⊙ (delta − (delta · s))}, the product with the Jacobian {@code diag(s) − s sᵀ}.
     */
    public final void activationBackward(Activation act, int m, int n, float[] a, int aOff, int lda,
                                         float[] delta, int dOff, int ldd) {
        notNull("act", act);
        nonNegative("m", m);
        nonNegative("n", n);
        matrix("a", a, aOff, lda, m, n);
        matrix("delta", delta, dOff, ldd, m, n);
        if (m == 0 || n == 0) {
            return;
        }
        activationBackwardK(act, m, n, a, aOff, lda, delta, dOff, ldd);
    }

    /** {@code C ← C + 1 · biasᵀ}: adds the {@code n}-vector {@code bias} to every row of the {@code m × n} matrix {@code C}. */
    public final void addBias(int m, int n, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        nonNegative("m", m);
        nonNegative("n", n);
        vector("bias", bias, biasOff, n);
        matrix("c", c, cOff, ldc, m, n);
        if (m == 0 || n == 0) {
            return;
        }
        addBiasK(m, n, bias, biasOff, c, cOff, ldc);
    }

    /**
     * {@code sums[j] = Σ_i A[i][j]} for the {@code m × n} matrix {@code A} (MATH.md: {@code db = Σ_rows G});
     * the {@code n} sums are overwritten (zero when {@code m == 0}).
     */
    public final void columnSums(int m, int n, float[] a, int aOff, int lda, float[] sums, int sOff) {
        nonNegative("m", m);
        nonNegative("n", n);
        matrix("a", a, aOff, lda, m, n);
        vector("sums", sums, sOff, n);
        if (n == 0) {
            return;
        }
        columnSumsK(m, n, a, aOff, lda, sums, sOff);
    }

    /** {@code y ← alpha · x + y} over {@code n} elements. */
    public final void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        vector("x", x, xOff, n);
        vector("y", y, yOff, n);
        if (n == 0) {
            return;
        }
        axpyK(n, alpha, x, xOff, y, yOff);
    }

    /** {@code x ← alpha · x} over {@code n} elements. */
    public final void scale(int n, float alpha, float[] x, int xOff) {
        vector("x", x, xOff, n);
        if (n == 0) {
            return;
        }
        scaleK(n, alpha, x, xOff);
    }

    /** {@code Σ x_i y_i} over {@code n} elements (0 for {@code n == 0}). */
    public final float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        vector("x", x, xOff, n);
        vector("y", y, yOff, n);
        return n == 0 ? 0f : dotK(n, x, xOff, y, yOff);
    }

    /** {@code Σ x_i²} over {@code n} elements (0 for {@code n == 0}); its square root is the Euclidean norm. */
    public final float sumOfSquares(int n, float[] x, int xOff) {
        vector("x", x, xOff, n);
        return n == 0 ? 0f : sumOfSquaresK(n, x, xOff);
    }

    // ------------------------------------------------------------------ dropout

    /**
     * Inverted dropout over an {@code m × n} matrix: {@code out[i][j] = a[i][j] · dropoutScale(p)} where
     * {@link #dropoutKeeps dropoutKeeps}{@code (rowKeys[kOff + i], j, dropoutThreshold(p))}, else {@code 0}.
     * The mask is a function of the row's key, the column and {@code p} alone, so a backward pass applies the
     * same mask to the error signal by calling this again with the same keys, and every implementation,
     * thread count and vector width gives the same bits. {@code out} may be {@code a} itself (same array,
     * offset and leading dimension).
     *
     * @param p the drop probability, in {@code [0, 1)}
     */
    public final void dropout(int m, int n, float p, int[] rowKeys, int kOff, float[] a, int aOff, int lda,
                              float[] out, int outOff, int ldo) {
        nonNegative("m", m);
        nonNegative("n", n);
        int threshold = dropoutThreshold(p);
        notNull("rowKeys", rowKeys);
        if (kOff < 0 || (long) kOff + m > rowKeys.length) {
            throw new IndexOutOfBoundsException("rowKeys: " + m + " keys from offset " + kOff + " exceed length "
                    + rowKeys.length);
        }
        matrix("a", a, aOff, lda, m, n);
        matrix("out", out, outOff, ldo, m, n);
        if (m == 0 || n == 0) {
            return;
        }
        dropoutK(m, n, threshold, dropoutScale(p), rowKeys, kOff, a, aOff, lda, out, outOff, ldo);
    }

    /**
     * The threshold of drop probability {@code p}: an element is kept when its 24 hash bits
     * ({@link #dropoutKeeps}) are at least this, {@code ⌊p · 2^24⌋}, so with probability
     * {@code 1 − threshold / 2^24}, within {@code 2^-24} of {@code 1 − p}.
     *
     * @throws IllegalArgumentException unless {@code 0 ≤ p < 1}
     */
    public static int dropoutThreshold(float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("p (the drop probability) must be in [0, 1): " + p);
        }
        return (int) (p * 16777216.0);
    }

    /** The factor {@code 1 / (1 − p)} kept elements are multiplied by (rounded once to float). */
    public static float dropoutScale(float p) {
        dropoutThreshold(p);
        return (float) (1.0 / (1.0 - p));
    }

    /**
     * Whether dropout keeps column {@code column} of a row with key {@code rowKey}: the top 24 bits of
     * {@code fmix32(rowKey + column · 0x9E3779B9)} (MurmurHash3's 32-bit finalizer, a counter-based
     * generator: no state, any element in any order) are at least {@code threshold}.
     */
    public static boolean dropoutKeeps(int rowKey, int column, int threshold) {
        int h = rowKey + column * DROPOUT_WEYL;
        h ^= h >>> 16;
        h *= DROPOUT_M1;
        h ^= h >>> 13;
        h *= DROPOUT_M2;
        h ^= h >>> 16;
        return h >>> 8 >= threshold;
    }

    /** The hash constants of {@link #dropoutKeeps}: the golden-ratio step and MurmurHash3's multipliers. */
    static final int DROPOUT_WEYL = 0x9E3779B9;
    static final int DROPOUT_M1 = 0x85EBCA6B;
    static final int DROPOUT_M2 = 0xC2B2AE35;

    // ------------------------------------------------------------------ batch normalization

    /**
     * The batch statistics of an {@code m × n} matrix {@code Z} ({@code m ≥ 1}), column by column:
     * {@code mean[j] = (Σ_i z_ij) / m} and the biased variance {@code var[j] = (Σ_i (z_ij − mean_j)²) / m}, the
     * sums taken in row order (so every implementation and vector width gives the same bits).
     */
    public final void columnMeanAndVariance(int m, int n, float[] z, int zOff, int ldz, float[] mean, int mOff,
                                            float[] var, int vOff) {
        positive("m", m);
        nonNegative("n", n);
        matrix("z", z, zOff, ldz, m, n);
        vector("mean", mean, mOff, n);
        vector("var", var, vOff, n);
        if (n == 0) {
            return;
        }
        columnMeanAndVarianceK(m, n, z, zOff, ldz, mean, mOff, var, vOff);
    }

    /**
     * Column-wise normalization and affine map of an {@code m × n} matrix: {@code x̂_ij = (z_ij − mean_j) · rstd_j}
     * and {@code y_ij = x̂_ij · gamma_j + beta_j}, each a rounded product then a rounded sum (no fused
     * multiply-add, so every implementation gives the same bits). {@code x̂} is stored unless {@code xhat} is
     * null; {@code y} may be {@code z} itself (same array, offset and leading dimension).
     */
    public final void normalizeColumns(int m, int n, float[] z, int zOff, int ldz, float[] mean, int mOff,
                                       float[] rstd, int rOff, float[] gamma, int gOff, float[] beta, int bOff,
                                       float[] xhat, int xOff, int ldx, float[] y, int yOff, int ldy) {
        nonNegative("m", m);
        nonNegative("n", n);
        matrix("z", z, zOff, ldz, m, n);
        vector("mean", mean, mOff, n);
        vector("rstd", rstd, rOff, n);
        vector("gamma", gamma, gOff, n);
        vector("beta", beta, bOff, n);
        if (xhat != null) {
            matrix("xhat", xhat, xOff, ldx, m, n);
        }
        matrix("y", y, yOff, ldy, m, n);
        if (m == 0 || n == 0) {
            return;
        }
        normalizeColumnsK(m, n, z, zOff, ldz, mean, mOff, rstd, rOff, gamma, gOff, beta, bOff, xhat, xOff, ldx,
                y, yOff, ldy);
    }

    /**
     * The training-mode backward pass of {@link #normalizeColumns} with batch statistics, from
     * {@code G = ∂L/∂Y} ({@code m ≥ 1} rows): {@code dBeta[j] = Σ_i g_ij} and {@code dGamma[j] = Σ_i g_ij · x̂_ij}
     * (row order, overwritten), then {@code G} is overwritten with
     * {@code ∂L/∂Z = (gamma_j · rstd_j / m) · (m · g_ij − dBeta_j − x̂_ij · dGamma_j)} (the derivative through
     * the batch's mean and variance included; Ioffe and Szegedy 2015), evaluated in that order.
     */
    public final void normalizeColumnsBackward(int m, int n, float[] xhat, int xOff, int ldx, float[] gamma,
                                               int gOff, float[] rstd, int rOff, float[] g, int gradOff, int ldg,
                                               float[] dGamma, int dgOff, float[] dBeta, int dbOff) {
        positive("m", m);
        nonNegative("n", n);
        matrix("xhat", xhat, xOff, ldx, m, n);
        vector("gamma", gamma, gOff, n);
        vector("rstd", rstd, rOff, n);
        matrix("g", g, gradOff, ldg, m, n);
        vector("dGamma", dGamma, dgOff, n);
        vector("dBeta", dBeta, dbOff, n);
        if (n == 0) {
            return;
        }
        normalizeColumnsBackwardK(m, n, xhat, xOff, ldx, gamma, gOff, rstd, rOff, g, gradOff, ldg, dGamma, dgOff,
                dBeta, dbOff);
    }

    // ------------------------------------------------------------------ layer normalization

    /**
     * Layer normalization of each row of an {@code m × n} matrix ({@code n ≥ 1}): {@code μ_i = Σ_j z_ij / n},
     * {@code σ²_i = Σ_j (z_ij − μ_i)² / n}, {@code rstd_i = 1/√(σ²_i + eps)} (rounded once from double),
     * {@code x̂_ij = (z_ij − μ_i) · rstd_i} and {@code y_ij = x̂_ij · gamma_j + beta_j}. The row sums are this
     * implementation's {@link #dot} and {@link #sumOfSquares} (so the SIMD kernels and their twin agree bit for
     * bit; the scalar reference may differ in the last bits); everything else is one rounding per operation, in
     * the order written. {@code x̂} and {@code rstd} are kept for {@link #layerNormBackward}; {@code y} may be
     * {@code z} itself (same array, offset and leading dimension).
     */
    public final void layerNorm(int m, int n, float eps, float[] z, int zOff, int ldz, float[] gamma, int gOff,
                                float[] beta, int bOff, float[] xhat, int xOff, int ldx, float[] rstd, int rOff,
                                float[] y, int yOff, int ldy) {
        nonNegative("m", m);
        positive("n", n);
        if (!(eps > 0f) || !Float.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be finite and > 0: " + eps);
        }
        matrix("z", z, zOff, ldz, m, n);
        vector("gamma", gamma, gOff, n);
        vector("beta", beta, bOff, n);
        matrix("xhat", xhat, xOff, ldx, m, n);
        vector("rstd", rstd, rOff, m);
        matrix("y", y, yOff, ldy, m, n);
        float[] ones = ones(n);
        for (int i = 0; i < m; i++) {
            int zr = zOff + i * ldz;
            int xr = xOff + i * ldx;
            int yr = yOff + i * ldy;
            float mean = dotK(n, z, zr, ones, 0) / n;
            for (int j = 0; j < n; j++) {
                xhat[xr + j] = z[zr + j] - mean;
            }
            float r = (float) (1.0 / Math.sqrt((double) (sumOfSquaresK(n, xhat, xr) / n) + eps));
            rstd[rOff + i] = r;
            for (int j = 0; j < n; j++) {
                float x = xhat[xr + j] * r;
                xhat[xr + j] = x;
                y[yr + j] = x * gamma[gOff + j] + beta[bOff + j];
            }
        }
    }

    /**
     * The backward pass of {@link #layerNorm}, from {@code G = ∂L/∂Y}: {@code dBeta[j] = Σ_i g_ij} and
     * {@code dGamma[j] = Σ_i g_ij · x̂_ij} (row order, overwritten), then, with {@code g'_ij = g_ij · gamma_j},
     * {@code G} is overwritten with {@code ∂L/∂Z = (rstd_i / n) · (n · g'_ij − Σ_j g'_ij − x̂_ij · Σ_j g'_ij x̂_ij)}
     * (the row sums by {@link #dot}).
     */
    public final void layerNormBackward(int m, int n, float[] xhat, int xOff, int ldx, float[] gamma, int gOff,
                                        float[] rstd, int rOff, float[] g, int gradOff, int ldg, float[] dGamma,
                                        int dgOff, float[] dBeta, int dbOff) {
        nonNegative("m", m);
        positive("n", n);
        matrix("xhat", xhat, xOff, ldx, m, n);
        vector("gamma", gamma, gOff, n);
        vector("rstd", rstd, rOff, m);
        matrix("g", g, gradOff, ldg, m, n);
        vector("dGamma", dGamma, dgOff, n);
        vector("dBeta", dBeta, dbOff, n);
        java.util.Arrays.fill(dGamma, dgOff, dgOff + n, 0f);
        java.util.Arrays.fill(dBeta, dbOff, dbOff + n, 0f);
        float[] ones = ones(n);
        float width = n;
        for (int i = 0; i < m; i++) {
            int xr = xOff + i * ldx;
            int gr = gradOff + i * ldg;
            for (int j = 0; j < n; j++) {
                float gij = g[gr + j];
                dBeta[dbOff + j] += gij;
                dGamma[dgOff + j] += gij * xhat[xr + j];
                g[gr + j] = gij * gamma[gOff + j];
            }
            float s1 = dotK(n, g, gr, ones, 0);
            float s2 = dotK(n, g, gr, xhat, xr);
            float c = rstd[rOff + i] / width;
            for (int j = 0; j < n; j++) {
                g[gr + j] = c * (width * g[gr + j] - s1 - xhat[xr + j] * s2);
            }
        }
    }

    private static volatile float[] ones = new float[0];

    /** At least {@code n} ones (shared, never written after publication): a dot product with it is a sum. */
    private static float[] ones(int n) {
        float[] o = ones;
        if (o.length < n) {
            o = new float[Math.max(n, 2 * o.length)];
            java.util.Arrays.fill(o, 1f);
            ones = o;
        }
        return o;
    }

    // ------------------------------------------------------------------ optimizer updates

    /**
     * Plain SGD (PyTorch {@code SGD} without momentum): {@code g ← grad + weightDecay·θ},
     * {@code θ ← θ − lr·g}, over {@code n} parameters. {@code grad} is not modified.
     */
    public final void sgdStep(int n, float lr, float weightDecay, float[] param, int pOff, float[] grad, int gOff) {
        finite("lr", lr);
        finite("weightDecay", weightDecay);
        vector("param", param, pOff, n);
        vector("grad", grad, gOff, n);
        if (n == 0) {
            return;
        }
        sgdStepK(n, lr, weightDecay, param, pOff, grad, gOff);
    }

    /**
     * SGD with momentum μ (PyTorch {@code SGD}, dampening 0): {@code g ← grad + weightDecay·θ},
     * {@code v ← μ·v + g}, then {@code θ ← θ − lr·(g + μ·v)} with Nesterov or {@code θ ← θ − lr·v} without.
     * {@code velocity} starts at zero; {@code grad} is not modified.
     */
    public final void momentumStep(int n, float lr, float momentum, float weightDecay, boolean nesterov,
                                   float[] param, int pOff, float[] grad, int gOff, float[] velocity, int vOff) {
        finite("lr", lr);
        finite("momentum", momentum);
        finite("weightDecay", weightDecay);
        vector("param", param, pOff, n);
        vector("grad", grad, gOff, n);
        vector("velocity", velocity, vOff, n);
        if (n == 0) {
            return;
        }
        momentumStepK(n, lr, momentum, weightDecay, nesterov, param, pOff, grad, gOff, velocity, vOff);
    }

    /**
     * One Adam step (PyTorch {@code Adam}; with {@code decoupled}, {@code AdamW}) at step {@code t ≥ 1}:
     * <pre>
     *   AdamW: θ ← θ·(1 − lr·weightDecay)          Adam: g ← grad + weightDecay·θ
     *   m ← β₁·m + (1 − β₁)·g
     *   v ← β₂·v + (1 − β₂)·g²
     *   θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
     * </pre>
     * {@code m} and {@code v} start at zero; {@code grad} is not modified.
     */
    public final void adamStep(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                               boolean decoupled, long t, float[] param, int pOff, float[] grad, int gOff,
                               float[] m, int mOff, float[] v, int vOff) {
        finite("lr", lr);
        if (!(beta1 >= 0f && beta1 < 1f)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1): " + beta1);
        }
        if (!(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1): " + beta2);
        }
        if (!(eps > 0f) || !Float.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be finite and > 0: " + eps);
        }
        finite("weightDecay", weightDecay);
        positive("t", t);
        vector("param", param, pOff, n);
        vector("grad", grad, gOff, n);
        vector("m", m, mOff, n);
        vector("v", v, vOff, n);
        if (n == 0) {
            return;
        }
        // Bias corrections in double, once per call: (1 − β^t) loses every digit in float for β near 1.
        float biasCorrection1 = (float) (1.0 - Math.pow(beta1, t));
        float biasCorrection2Sqrt = (float) Math.sqrt(1.0 - Math.pow(beta2, t));
        adamStepK(n, lr, beta1, beta2, eps, weightDecay, decoupled, biasCorrection1, biasCorrection2Sqrt,
                param, pOff, grad, gOff, m, mOff, v, vOff);
    }

    /**
     * Flush to zero: every subnormal among {@code x[xOff .. xOff+n)} (nonzero, magnitude below
     * {@link Float#MIN_NORMAL}) becomes a zero of its sign, as x86's flush-to-zero mode would make it; returns
     * how many did. Java cannot set that mode, and on x86 each operation on a subnormal costs a microcode assist:
     * an Adam update whose moments sit in the subnormal range takes many times as long
     * ({@code KernelBenchmark.adamDeadUnits}). The optimizers flush their state with it. One plain loop for
     * every implementation, so all give the same bits.
     */
    public final int flushSubnormals(int n, float[] x, int xOff) {
        vector("x", x, xOff, n);
        int flushed = 0;
        for (int i = xOff, end = xOff + n; i < end; i++) {
            float value = x[i];
            if (Math.abs(value) < Float.MIN_NORMAL && value != 0f) {
                x[i] = Math.copySign(0f, value);
                flushed++;
            }
        }
        return flushed;
    }

    // ------------------------------------------------------------------ implementations (never check)

    protected abstract void sgemmK(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc);

    /**
     * The panels of the row-major {@code k × n} {@code values} ({@code k, n > 0}) that these kernels' GEMM reads
     * instead of packing B, or null (the default: the product reads {@code values}).
     */
    protected float[] panelsK(int k, int n, float[] values) {
        return null;
    }

    /**
     * {@link #sgemmBiasActivation(Transpose, int, int, int, float[], int, int, PackedMatrix, float[], int,
     * Activation, float[], int, int)}; by default the product with its row-major copy.
     */
    protected void sgemmBiasActivationPackedK(Transpose transA, int m, int n, int k, float[] a, int aOff, int lda,
                                              PackedMatrix b, float[] bias, int biasOff, Activation act,
                                              float[] c, int cOff, int ldc) {
        sgemmBiasActivationK(transA, Transpose.NO, m, n, k, a, aOff, lda, b.values, 0, n, bias, biasOff, act,
                c, cOff, ldc);
    }

    /** Default: the product, then the bias, then the activation, as three passes. */
    protected void sgemmBiasActivationK(Transpose transA, Transpose transB, int m, int n, int k,
                                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                        float[] bias, int biasOff, Activation act,
                                        float[] c, int cOff, int ldc) {
        sgemmK(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, c, cOff, ldc);
        if (bias != null) {
            addBiasK(m, n, bias, biasOff, c, cOff, ldc);
        }
        if (act.kind() != Activation.Kind.IDENTITY) {
            activationForwardK(act, m, n, c, cOff, ldc, c, cOff, ldc);
        }
    }

    protected abstract void activationForwardK(Activation act, int m, int n, float[] z, int zOff, int ldz,
                                               float[] a, int aOff, int lda);

    protected abstract void activationBackwardK(Activation act, int m, int n, float[] a, int aOff, int lda,
                                                float[] delta, int dOff, int ldd);

    protected abstract void addBiasK(int m, int n, float[] bias, int biasOff, float[] c, int cOff, int ldc);

    protected abstract void columnSumsK(int m, int n, float[] a, int aOff, int lda, float[] sums, int sOff);

    protected abstract void axpyK(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    protected abstract void scaleK(int n, float alpha, float[] x, int xOff);

    protected abstract float dotK(int n, float[] x, int xOff, float[] y, int yOff);

    protected abstract float sumOfSquaresK(int n, float[] x, int xOff);

    protected abstract void columnMeanAndVarianceK(int m, int n, float[] z, int zOff, int ldz, float[] mean,
                                                   int mOff, float[] var, int vOff);

    protected abstract void normalizeColumnsK(int m, int n, float[] z, int zOff, int ldz, float[] mean, int mOff,
                                              float[] rstd, int rOff, float[] gamma, int gOff, float[] beta, int bOff,
                                              float[] xhat, int xOff, int ldx, float[] y, int yOff, int ldy);

    protected abstract void normalizeColumnsBackwardK(int m, int n, float[] xhat, int xOff, int ldx, float[] gamma,
                                                      int gOff, float[] rstd, int rOff, float[] g, int gradOff,
                                                      int ldg, float[] dGamma, int dgOff, float[] dBeta, int dbOff);

    /** {@link #dropout} with {@code p} resolved to its threshold and scale. */
    protected abstract void dropoutK(int m, int n, int threshold, float scale, int[] rowKeys, int kOff,
                                     float[] a, int aOff, int lda, float[] out, int outOff, int ldo);

    protected abstract void sgdStepK(int n, float lr, float weightDecay, float[] param, int pOff, float[] grad, int gOff);

    protected abstract void momentumStepK(int n, float lr, float momentum, float weightDecay, boolean nesterov,
                                          float[] param, int pOff, float[] grad, int gOff, float[] velocity, int vOff);

    protected abstract void adamStepK(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                                      boolean decoupled, float biasCorrection1, float biasCorrection2Sqrt,
                                      float[] param, int pOff, float[] grad, int gOff,
                                      float[] m, int mOff, float[] v, int vOff);
}
