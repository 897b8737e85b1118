package vecmlp.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API implementation: {@link FloatVector#SPECIES_PREFERRED} lanes in a main loop, scalar
 * tails, no allocation. exp, sigmoid and tanh come from {@link VectorMath}, whose results depend on the
 * input alone (not on JIT compilation, lane position or vector width), so runs are reproducible bit for bit.
 *
 * <p>Only the kernel package knows this class exists; it is loaded by {@link KernelProvider} only when
 * the {@code jdk.incubator.vector} module is present.
 */
final class SimdKernels extends Kernels {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    /**
     * The shuffles and index vectors of {@link #dotK} and {@link #dropoutK}, made at their first use, not when
     * this class is initialized: the Vector API's first operations took 28–67 ms of a fresh JVM (ad-hoc timings,
     * bench/README.md, cold start), which {@link Kernels#get()} would otherwise spend on the caller's thread
     * before the first training step, although the twin runs that step ({@link WarmingKernels}).
     */
    private static final class Constants {
        // Lane rotations by 8, 4, 2 and 1 for dotK's fixed-order lane sum (rotating by LANES is the identity).
        static final VectorShuffle<Float> ROTATE_8 = VectorShuffle.iota(SPECIES, 8, 1, true);
        static final VectorShuffle<Float> ROTATE_4 = VectorShuffle.iota(SPECIES, 4, 1, true);
        static final VectorShuffle<Float> ROTATE_2 = VectorShuffle.iota(SPECIES, 2, 1, true);
        static final VectorShuffle<Float> ROTATE_1 = VectorShuffle.iota(SPECIES, 1, 1, true);

        static final VectorSpecies<Integer> INT_SPECIES = VectorSpecies.of(int.class, SPECIES.vectorShape());
        /** Lane indices 0, 1, …: the columns of a dropout vector relative to its first. */
        static final IntVector IOTA = IntVector.zero(INT_SPECIES).addIndex(1);
    }

    private final int threads;
    /**
     * Elements (1-D passes), elements (activation derivatives) and multiply-adds (products) from which a call on
     * more than one thread is split: {@link ParallelElementwise#PARALLEL_MIN}, {@link
     * ParallelElementwise#PARALLEL_MIN_2D} and {@link Gemm#PARALLEL_MIN_WORK}, or 0 in the warm-up's
     * {@link #splittingAlways} kernels.
     */
    final int parallelMin;
    final int parallelMin2d;
    final long parallelMinWork;

    SimdKernels(int threads) {
        this(threads, false);
    }

    private SimdKernels(int threads, boolean always) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        this.threads = threads;
        this.parallelMin = always ? 0 : ParallelElementwise.PARALLEL_MIN;
        this.parallelMin2d = always ? 0 : ParallelElementwise.PARALLEL_MIN_2D;
        this.parallelMinWork = always ? 0 : Gemm.PARALLEL_MIN_WORK;
    }

    /**
     * These kernels on {@code threads} threads that split every call they can, however small: the warm-up's
     * small calls then take the branches of the split that a caller's large calls take ({@link SimdWarmup}).
     * The same bits as any other thread count.
     */
    static SimdKernels splittingAlways(int threads) {
        return new SimdKernels(threads, true);
    }

    @Override
    public Kernels withThreads(int threads) {
        return threads == this.threads ? this : new SimdKernels(threads);
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public String description() {
        return "simd (" + SPECIES.vectorBitSize() + "-bit, " + LANES + " float lanes, "
                + threads + (threads == 1 ? " thread)" : " threads)");
    }

    @Override
    public boolean isSimd() {
        return true;
    }

    // ------------------------------------------------------------------ GEMM

    /** The blocked, packed, multi-threaded GEMM of {@link Gemm}. */
    @Override
    protected void sgemmK(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float beta, float[] c, int cOff, int ldc) {
        Gemm.sgemm(this, threads, transA == Transpose.YES, transB == Transpose.YES, m, n, k, alpha,
                a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, 0, Activation.IDENTITY);
    }

    /** {@link Gemm} with the bias and ReLU / leaky ReLU fused into the micro-kernel's stores. */
    @Override
    protected void sgemmBiasActivationK(Transpose transA, Transpose transB, int m, int n, int k,
                                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                        float[] bias, int biasOff, Activation act,
                                        float[] c, int cOff, int ldc) {
        Gemm.sgemm(this, threads, transA == Transpose.YES, transB == Transpose.YES, m, n, k, 1f,
                a, aOff, lda, b, bOff, ldb, 0f, c, cOff, ldc, bias, biasOff, act);
    }

    /** B's panels for the blocked GEMM, laid out once ({@link GemmPack#packWhole}). */
    @Override
    protected float[] panelsK(int k, int n, float[] values) {
        return GemmPack.packWhole(k, n, values);
    }

    /** {@link Gemm} reading the packed matrix's panels instead of packing B (the row-major copy elsewhere). */
    @Override
    protected void sgemmBiasActivationPackedK(Transpose transA, int m, int n, int k, float[] a, int aOff, int lda,
                                              PackedMatrix b, float[] bias, int biasOff, Activation act,
                                              float[] c, int cOff, int ldc) {
        Gemm.sgemm(this, threads, transA == Transpose.YES, false, m, n, k, 1f, a, aOff, lda, b.values, 0, n, 0f,
                c, cOff, ldc, bias, biasOff, act, b.panels);
    }

    // ------------------------------------------------------------------ activations

    @Override
    protected void activationForwardK(Activation act, int m, int n, float[] z, int zOff, int ldz,
                                      float[] a, int aOff, int lda) {
        int bound = SPECIES.loopBound(n);
        if (act.kind() == Activation.Kind.SOFTMAX && m > 1 && ldz == n && lda == n && n < 4 * LANES) {
            softmaxContiguous(m, n, z, zOff, a, aOff);
            return;
        }
        for (int i = 0; i < m; i++) {
            int zr = zOff + i * ldz;
            int ar = aOff + i * lda;
            switch (act.kind()) {
                case IDENTITY:
                    if (z != a || zr != ar) {
                        System.arraycopy(z, zr, a, ar, n);
                    }
                    break;
                case RELU: {
                    int j = 0;
                    for (; j < bound; j += LANES) {
                        FloatVector.fromArray(SPECIES, z, zr + j).max(0f).intoArray(a, ar + j);
                    }
                    for (; j < n; j++) {
                        float v = z[zr + j];
                        a[ar + j] = v > 0f ? v : 0f;
                    }
                    break;
                }
                case LEAKY_RELU: {
                    float slope = act.slope();
                    int j = 0;
                    for (; j < bound; j += LANES) {
                        FloatVector v = FloatVector.fromArray(SPECIES, z, zr + j);
                        v.blend(v.mul(slope), v.compare(VectorOperators.LE, 0f)).intoArray(a, ar + j);
                    }
                    for (; j < n; j++) {
                        float v = z[zr + j];
                        a[ar + j] = v > 0f ? v : slope * v;
                    }
                    break;
                }
                case SIGMOID:
                    VectorMath.map(VectorMath.SIGMOID, z, zr, 0f, a, ar, n);
                    break;
                case TANH:
                    VectorMath.map(VectorMath.TANH, z, zr, 0f, a, ar, n);
                    break;
                case ELU:
                    VectorMath.map(VectorMath.ELU, z, zr, act.slope(), a, ar, n);
                    break;
                case SILU:
                    VectorMath.map(VectorMath.SILU, z, zr, 0f, a, ar, n);
                    break;
                case GELU_TANH:
                    VectorMath.map(VectorMath.GELU, z, zr, 0f, a, ar, n);
                    break;
                case SOFTPLUS:
                    VectorMath.map(VectorMath.SOFTPLUS, z, zr, 0f, a, ar, n);
                    break;
                case GELU:
                    VectorMath.map(VectorMath.GELU_ERF, z, zr, 0f, a, ar, n);
                    break;
                case SOFTMAX:
                    softmaxRow(n, z, zr, a, ar);
                    break;
                default:
                    throw new AssertionError(act);
            }
        }
    }

    /**
     * Softmax of {@code m} short rows stored back to back (a 10-class output layer): each row shifted by its
     * maximum, then one exp pass over all {@code m·n} values, so the exps fill whole vectors instead of
     * running the scalar tail of every row (128 × 10: 6 → 2.5 µs). The same bits as {@link #softmaxRow}
     * row by row: {@code exp} sees the same rounded {@code z − max}, and its lanes and tail agree.
     */
    private void softmaxContiguous(int m, int n, float[] z, int zOff, float[] a, int aOff) {
        for (int i = 0; i < m; i++) {
            int r = i * n;
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                max = Math.max(max, z[zOff + r + k]);
            }
            for (int k = 0; k < n; k++) {
                a[aOff + r + k] = z[zOff + r + k] - max;
            }
        }
        VectorMath.map(VectorMath.EXP, a, aOff, 0f, a, aOff, m * n);
        for (int i = 0; i < m; i++) {
            int ar = aOff + i * n;
            float sum = 0f;
            for (int k = 0; k < n; k++) { // in index order, as softmaxRow
                sum += a[ar + k];
            }
            scaleK(n, 1f / sum, a, ar);
        }
    }

    private void softmaxRow(int n, float[] z, int zr, float[] a, int ar) {
        // The row maximum in a plain loop: max is exact in any order, and a vector loop with a
        // reduction here allocated on JDK 25's C2 (boxed vectors); rows are short next to the exps.
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, z[zr + k]);
        }
        VectorMath.map(VectorMath.EXP, z, zr, max, a, ar, n);
        float sum = 0f;
        for (int k = 0; k < n; k++) { // in index order: the same bits compiled or not, for every width
            sum += a[ar + k];
        }
        scaleK(n, 1f / sum, a, ar);
    }

    @Override
    protected void activationBackwardK(Activation act, int m, int n, float[] a, int aOff, int lda,
                                       float[] delta, int dOff, int ldd) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        if (act.kind() == Activation.Kind.IDENTITY) {
            return;
        }
        if (threads > 1 && m > 1 && (long) m * n >= parallelMin2d) {
            ParallelElementwise.activationBackward(this, threads, act, m, n, a, aOff, lda, delta, dOff, ldd);
        } else {
            activationBackwardRows(act, m, n, a, aOff, lda, delta, dOff, ldd);
        }
    }

    /** {@link #activationBackwardK} on one thread (rows are independent: any split gives the same bits). */
    void activationBackwardRows(Activation act, int m, int n, float[] a, int aOff, int lda,
                                float[] delta, int dOff, int ldd) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < m; i++) {
            int ar = aOff + i * lda;
            int dr = dOff + i * ldd;
            switch (act.kind()) {
                case RELU:
                case LEAKY_RELU: {
                    float slope = act.slope();
                    int j = 0;
                    for (; j < bound; j += LANES) {
                        FloatVector av = FloatVector.fromArray(SPECIES, a, ar + j);
                        FloatVector d = FloatVector.fromArray(SPECIES, delta, dr + j);
                        VectorMask<Float> off = av.compare(VectorOperators.GT, 0f).not();
                        d.blend(d.mul(slope), off).intoArray(delta, dr + j);
                    }
                    for (; j < n; j++) {
                        if (!(a[ar + j] > 0f)) {
                            delta[dr + j] *= slope;
                        }
                    }
                    break;
                }
                case SIGMOID: {
                    int j = 0;
                    for (; j < bound; j += LANES) {
                        FloatVector s = FloatVector.fromArray(SPECIES, a, ar + j);
                        FloatVector d = FloatVector.fromArray(SPECIES, delta, dr + j);
                        d.mul(s.mul(s.neg().add(1f))).intoArray(delta, dr + j);
                    }
                    for (; j < n; j++) {
                        float s = a[ar + j];
                        delta[dr + j] *= s * (1f - s);
                    }
                    break;
                }
                case TANH: {
                    int j = 0;
                    for (; j < bound; j += LANES) {
                        FloatVector t = FloatVector.fromArray(SPECIES, a, ar + j);
                        FloatVector d = FloatVector.fromArray(SPECIES, delta, dr + j);
                        d.mul(t.mul(t).neg().add(1f)).intoArray(delta, dr + j);
                    }
                    for (; j < n; j++) {
                        float t = a[ar + j];
                        delta[dr + j] *= 1f - t * t;
                    }
                    break;
                }
                case SILU: // a holds Z
                    VectorMath.map(VectorMath.SILU_GRAD, a, ar, 0f, delta, dr, n);
                    break;
                case GELU_TANH:
                    VectorMath.map(VectorMath.GELU_GRAD, a, ar, 0f, delta, dr, n);
                    break;
                case SOFTPLUS: // a holds Z
                    VectorMath.map(VectorMath.SOFTPLUS_GRAD, a, ar, 0f, delta, dr, n);
                    break;
                case GELU: // a holds Z
                    VectorMath.map(VectorMath.GELU_ERF_GRAD, a, ar, 0f, delta, dr, n);
                    break;
                case ELU: {
                    float alpha = act.slope();
                    int j = 0;
                    for (; j < bound; j += LANES) {
                        FloatVector av = FloatVector.fromArray(SPECIES, a, ar + j);
                        FloatVector d = FloatVector.fromArray(SPECIES, delta, dr + j);
                        d.blend(d.mul(av.add(alpha)), av.compare(VectorOperators.GT, 0f).not()).intoArray(delta, dr + j);
                    }
                    for (; j < n; j++) {
                        float v = a[ar + j];
                        if (!(v > 0f)) {
                            delta[dr + j] *= v + alpha;
                        }
                    }
                    break;
                }
                case SOFTMAX: {
                    float dot = dotK(n, delta, dr, a, ar);
                    int j = 0;
                    for (; j < bound; j += LANES) {
                        FloatVector s = FloatVector.fromArray(SPECIES, a, ar + j);
                        FloatVector d = FloatVector.fromArray(SPECIES, delta, dr + j);
                        s.mul(d.sub(dot)).intoArray(delta, dr + j);
                    }
                    for (; j < n; j++) {
                        delta[dr + j] = a[ar + j] * (delta[dr + j] - dot);
                    }
                    break;
                }
                default:
                    throw new AssertionError(act);
            }
        }
    }

    // ------------------------------------------------------------------ vectors and reductions

    @Override
    protected void addBiasK(int m, int n, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            axpyK(n, 1f, bias, biasOff, c, cOff + i * ldc);
        }
    }

    /**
     * Each column summed in row order, {@code 0 + a_0 + a_1 + …}: four vectors of columns at a time over all
     * rows in registers (a sum kept in memory row after row waits on its own store: 128 × 256 took 4 µs,
     * now 1.4), then single vectors, then a scalar tail, which rounds each sum the same way.
     */
    @Override
    protected void columnSumsK(int m, int n, float[] a, int aOff, int lda, float[] sums, int sOff) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        int j = 0;
        for (; j + 4 * LANES <= n; j += 4 * LANES) {
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = FloatVector.zero(SPECIES);
            FloatVector s2 = FloatVector.zero(SPECIES);
            FloatVector s3 = FloatVector.zero(SPECIES);
            for (int i = 0, ar = aOff + j; i < m; i++, ar += lda) {
                s0 = s0.add(FloatVector.fromArray(SPECIES, a, ar));
                s1 = s1.add(FloatVector.fromArray(SPECIES, a, ar + LANES));
                s2 = s2.add(FloatVector.fromArray(SPECIES, a, ar + 2 * LANES));
                s3 = s3.add(FloatVector.fromArray(SPECIES, a, ar + 3 * LANES));
            }
            s0.intoArray(sums, sOff + j);
            s1.intoArray(sums, sOff + j + LANES);
            s2.intoArray(sums, sOff + j + 2 * LANES);
            s3.intoArray(sums, sOff + j + 3 * LANES);
        }
        for (; j + LANES <= n; j += LANES) {
            FloatVector s0 = FloatVector.zero(SPECIES);
            for (int i = 0, ar = aOff + j; i < m; i++, ar += lda) {
                s0 = s0.add(FloatVector.fromArray(SPECIES, a, ar));
            }
            s0.intoArray(sums, sOff + j);
        }
        for (; j < n; j++) {
            float s0 = 0f;
            for (int i = 0, ar = aOff + j; i < m; i++, ar += lda) {
                s0 += a[ar];
            }
            sums[sOff + j] = s0;
        }
    }

    @Override
    protected void axpyK(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int bound = SPECIES.loopBound(n);
        FloatVector va = FloatVector.broadcast(SPECIES, alpha);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector xv = FloatVector.fromArray(SPECIES, x, xOff + i);
            FloatVector yv = FloatVector.fromArray(SPECIES, y, yOff + i);
            xv.fma(va, yv).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    @Override
    protected void scaleK(int n, float alpha, float[] x, int xOff) {
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        for (; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    protected float dotK(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        int bound = SPECIES.loopBound(n);
        int i = 0;
        float sum = 0f;
        if (bound > 0) {
            // Four independent accumulators hide the FMA latency; one reduction at the end.
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = FloatVector.zero(SPECIES);
            FloatVector s2 = FloatVector.zero(SPECIES);
            FloatVector s3 = FloatVector.zero(SPECIES);
            int bound4 = n - n % (4 * LANES);
            for (; i < bound4; i += 4 * LANES) {
                s0 = FloatVector.fromArray(SPECIES, x, xOff + i).fma(FloatVector.fromArray(SPECIES, y, yOff + i), s0);
                s1 = FloatVector.fromArray(SPECIES, x, xOff + i + LANES)
                        .fma(FloatVector.fromArray(SPECIES, y, yOff + i + LANES), s1);
                s2 = FloatVector.fromArray(SPECIES, x, xOff + i + 2 * LANES)
                        .fma(FloatVector.fromArray(SPECIES, y, yOff + i + 2 * LANES), s2);
                s3 = FloatVector.fromArray(SPECIES, x, xOff + i + 3 * LANES)
                        .fma(FloatVector.fromArray(SPECIES, y, yOff + i + 3 * LANES), s3);
            }
            for (; i < bound; i += LANES) {
                s0 = FloatVector.fromArray(SPECIES, x, xOff + i).fma(FloatVector.fromArray(SPECIES, y, yOff + i), s0);
            }
            // The lanes summed in one fixed order, a tree of rotate-and-add steps, then lane 0: not
            // reduceLanes(ADD), whose order Java leaves open and whose C2 intrinsic adds in another order
            // than the interpreter (the same call would change its bits once compiled); not lane(i) in a
            // loop, which allocates on JDK 17; and written here, not in a helper, because a helper left
            // un-inlined when C2's budget runs out (this method inlined deep in a training step) boxes.
            FloatVector t = s0.add(s1).add(s2.add(s3));
            if (LANES > 8) {
                t = t.add(t.rearrange(Constants.ROTATE_8));
            }
            if (LANES > 4) {
                t = t.add(t.rearrange(Constants.ROTATE_4));
            }
            if (LANES > 2) {
                t = t.add(t.rearrange(Constants.ROTATE_2));
            }
            if (LANES > 1) {
                t = t.add(t.rearrange(Constants.ROTATE_1));
            }
            sum = t.lane(0);
        }
        for (; i < n; i++) {
            sum = Math.fma(x[xOff + i], y[yOff + i], sum);
        }
        return sum;
    }

    /**
     * Above {@link ParallelElementwise#BLOCK} elements, the sum of squares is the sum, in block order, of the
     * sums of fixed blocks: the same bits whether one thread adds the blocks or several share them.
     */
    @Override
    protected float sumOfSquaresK(int n, float[] x, int xOff) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        if (n <= ParallelElementwise.BLOCK) {
            return dotK(n, x, xOff, x, xOff);
        }
        if (threads > 1 && n >= parallelMin) {
            return ParallelElementwise.sumOfSquares(this, threads, n, x, xOff);
        }
        float sum = 0f;
        for (int lo = 0; lo < n; lo += ParallelElementwise.BLOCK) {
            int len = Math.min(ParallelElementwise.BLOCK, n - lo);
            sum += dotK(len, x, xOff + lo, x, xOff + lo);
        }
        return sum;
    }

    // ------------------------------------------------------------------ optimizer updates

    // Above PARALLEL_MIN elements, several threads update fixed blocks of BLOCK elements (a multiple of the
    // vector length, so every element takes the vector or the tail path as in one call over all n).

    @Override
    protected void sgdStepK(int n, float lr, float weightDecay, float[] param, int pOff, float[] grad, int gOff) {
        if (threads > 1 && n >= parallelMin) {
            ParallelElementwise.sgd(this, threads, n, lr, weightDecay, param, pOff, grad, gOff);
        } else {
            sgdRange(n, lr, weightDecay, param, pOff, grad, gOff);
        }
    }

    static void sgdRange(int n, float lr, float weightDecay, float[] param, int pOff, float[] grad, int gOff) {
        int bound = SPECIES.loopBound(n);
        FloatVector wd = FloatVector.broadcast(SPECIES, weightDecay);
        FloatVector negLr = FloatVector.broadcast(SPECIES, -lr);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector p = FloatVector.fromArray(SPECIES, param, pOff + i);
            FloatVector g = p.fma(wd, FloatVector.fromArray(SPECIES, grad, gOff + i));
            g.fma(negLr, p).intoArray(param, pOff + i);
        }
        for (; i < n; i++) {
            float p = param[pOff + i];
            float g = Math.fma(weightDecay, p, grad[gOff + i]);
            param[pOff + i] = Math.fma(-lr, g, p);
        }
    }

    @Override
    protected void momentumStepK(int n, float lr, float momentum, float weightDecay, boolean nesterov,
                                 float[] param, int pOff, float[] grad, int gOff, float[] velocity, int vOff) {
        if (threads > 1 && n >= parallelMin) {
            ParallelElementwise.momentum(this, threads, n, lr, momentum, weightDecay, nesterov, param, pOff,
                    grad, gOff, velocity, vOff);
        } else {
            momentumRange(n, lr, momentum, weightDecay, nesterov, param, pOff, grad, gOff, velocity, vOff);
        }
    }

    static void momentumRange(int n, float lr, float momentum, float weightDecay, boolean nesterov,
                              float[] param, int pOff, float[] grad, int gOff, float[] velocity, int vOff) {
        int bound = SPECIES.loopBound(n);
        FloatVector wd = FloatVector.broadcast(SPECIES, weightDecay);
        FloatVector mu = FloatVector.broadcast(SPECIES, momentum);
        FloatVector negLr = FloatVector.broadcast(SPECIES, -lr);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector p = FloatVector.fromArray(SPECIES, param, pOff + i);
            FloatVector g = p.fma(wd, FloatVector.fromArray(SPECIES, grad, gOff + i));
            FloatVector v = FloatVector.fromArray(SPECIES, velocity, vOff + i).fma(mu, g);
            v.intoArray(velocity, vOff + i);
            FloatVector step = nesterov ? v.fma(mu, g) : v;
            step.fma(negLr, p).intoArray(param, pOff + i);
        }
        for (; i < n; i++) {
            float p = param[pOff + i];
            float g = Math.fma(weightDecay, p, grad[gOff + i]);
            float v = Math.fma(momentum, velocity[vOff + i], g);
            velocity[vOff + i] = v;
            float step = nesterov ? Math.fma(momentum, v, g) : v;
            param[pOff + i] = Math.fma(-lr, step, p);
        }
    }

    @Override
    protected void adamStepK(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                             boolean decoupled, float biasCorrection1, float biasCorrection2Sqrt,
                             float[] param, int pOff, float[] grad, int gOff,
                             float[] m, int mOff, float[] v, int vOff) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        if (threads > 1 && n >= parallelMin) {
            ParallelElementwise.adam(this, threads, n, lr, beta1, beta2, eps, weightDecay, decoupled,
                    biasCorrection1, biasCorrection2Sqrt, param, pOff, grad, gOff, m, mOff, v, vOff);
        } else {
            adamRange(n, lr, beta1, beta2, eps, weightDecay, decoupled, biasCorrection1, biasCorrection2Sqrt,
                    param, pOff, grad, gOff, m, mOff, v, vOff);
        }
    }

    static void adamRange(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                          boolean decoupled, float biasCorrection1, float biasCorrection2Sqrt,
                          float[] param, int pOff, float[] grad, int gOff,
                          float[] m, int mOff, float[] v, int vOff) {
        for (int jit = 0; jit < SimdWarmup.COUNTED_LOOP; jit++) { // see SimdWarmup.COUNTED_LOOP
        }
        float stepSize = lr / biasCorrection1;
        float decay = decoupled ? 1f - lr * weightDecay : 1f;
        float l2 = decoupled ? 0f : weightDecay;
        float invBc2 = 1f / biasCorrection2Sqrt;
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector p = FloatVector.fromArray(SPECIES, param, pOff + i).mul(decay);
            FloatVector g = p.mul(l2).add(FloatVector.fromArray(SPECIES, grad, gOff + i));
            FloatVector mi = FloatVector.fromArray(SPECIES, m, mOff + i).mul(beta1).add(g.mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromArray(SPECIES, v, vOff + i).mul(beta2).add(g.mul(g).mul(oneMinusBeta2));
            mi.intoArray(m, mOff + i);
            vi.intoArray(v, vOff + i);
            FloatVector denom = vi.sqrt().mul(invBc2).add(eps);
            p.sub(mi.mul(stepSize).div(denom)).intoArray(param, pOff + i);
        }
        for (; i < n; i++) {
            float p = param[pOff + i] * decay;
            float g = Math.fma(l2, p, grad[gOff + i]);
            float mi = beta1 * m[mOff + i] + oneMinusBeta1 * g;
            float vi = beta2 * v[vOff + i] + oneMinusBeta2 * g * g;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float denom = (float) Math.sqrt(vi) * invBc2 + eps;
            param[pOff + i] = p - stepSize * mi / denom;
        }
    }

    /** {@link Kernels#dropoutKeeps}'s hash on int lanes of the float species' width; scalar tails. */
    @Override
    protected void dropoutK(int m, int n, int threshold, float scale, int[] rowKeys, int kOff,
                            float[] a, int aOff, int lda, float[] out, int outOff, int ldo) {
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < m; i++) {
            int key = rowKeys[kOff + i];
            int ar = aOff + i * lda;
            int or = outOff + i * ldo;
            int j = 0;
            for (; j < bound; j += LANES) {
                IntVector h = Constants.IOTA.add(j).mul(DROPOUT_WEYL).add(key);
                h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).mul(DROPOUT_M1);
                h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 13)).mul(DROPOUT_M2);
                h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16));
                VectorMask<Integer> keep = h.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.GE, threshold);
                // the kept products' bits, +0 elsewhere, selected on int lanes (AllocationTest: a mask cast to the
                // float species, or a zero vector made outside the loop, allocated on every call on JDK 17)
                IntVector v = FloatVector.fromArray(SPECIES, a, ar + j).mul(scale).reinterpretAsInts();
                v.blend(0, keep.not()).reinterpretAsFloats().intoArray(out, or + j);
            }
            for (; j < n; j++) {
                out[or + j] = dropoutKeeps(key, j, threshold) ? a[ar + j] * scale : 0f;
            }
        }
    }

    /**
     * The sums by {@link #columnSumsK} (each column from 0 in row order, the scalar reference's bits), then a
     * row-major pass with the squared deviations summed in {@code var}, each lane in row order too.
     */
    @Override
    protected void columnMeanAndVarianceK(int m, int n, float[] z, int zOff, int ldz, float[] mean, int mOff,
                                          float[] var, int vOff) {
        columnSumsK(m, n, z, zOff, ldz, mean, mOff);
        int bound = SPECIES.loopBound(n);
        float rows = m;
        for (int j = 0; j < bound; j += LANES) {
            FloatVector.fromArray(SPECIES, mean, mOff + j).div(rows).intoArray(mean, mOff + j);
            FloatVector.zero(SPECIES).intoArray(var, vOff + j);
        }
        for (int i = 0; i < m; i++) {
            int zr = zOff + i * ldz;
            for (int j = 0; j < bound; j += LANES) {
                FloatVector d = FloatVector.fromArray(SPECIES, z, zr + j).sub(FloatVector.fromArray(SPECIES, mean, mOff + j));
                FloatVector.fromArray(SPECIES, var, vOff + j).add(d.mul(d)).intoArray(var, vOff + j);
            }
        }
        for (int j = 0; j < bound; j += LANES) {
            FloatVector.fromArray(SPECIES, var, vOff + j).div(rows).intoArray(var, vOff + j);
        }
        for (int j = bound; j < n; j++) {
            float mu = mean[mOff + j] / rows;
            mean[mOff + j] = mu;
            var[vOff + j] = ScalarKernels.squaredDeviations(m, z, zOff + j, ldz, mu) / rows;
        }
    }

    @Override
    protected void normalizeColumnsK(int m, int n, float[] z, int zOff, int ldz, float[] mean, int mOff,
                                     float[] rstd, int rOff, float[] gamma, int gOff, float[] beta, int bOff,
                                     float[] xhat, int xOff, int ldx, float[] y, int yOff, int ldy) {
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < m; i++) {
            int zr = zOff + i * ldz;
            int yr = yOff + i * ldy;
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector x = FloatVector.fromArray(SPECIES, z, zr + j).sub(FloatVector.fromArray(SPECIES, mean, mOff + j))
                        .mul(FloatVector.fromArray(SPECIES, rstd, rOff + j));
                if (xhat != null) {
                    x.intoArray(xhat, xOff + i * ldx + j);
                }
                x.mul(FloatVector.fromArray(SPECIES, gamma, gOff + j)).add(FloatVector.fromArray(SPECIES, beta, bOff + j))
                        .intoArray(y, yr + j);
            }
            for (; j < n; j++) {
                float x = (z[zr + j] - mean[mOff + j]) * rstd[rOff + j];
                if (xhat != null) {
                    xhat[xOff + i * ldx + j] = x;
                }
                y[yr + j] = x * gamma[gOff + j] + beta[bOff + j];
            }
        }
    }

    @Override
    protected void normalizeColumnsBackwardK(int m, int n, float[] xhat, int xOff, int ldx, float[] gamma, int gOff,
                                             float[] rstd, int rOff, float[] g, int gradOff, int ldg,
                                             float[] dGamma, int dgOff, float[] dBeta, int dbOff) {
        int bound = SPECIES.loopBound(n);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int j = 0; j < bound; j += LANES) {
            zero.intoArray(dBeta, dbOff + j);
            zero.intoArray(dGamma, dgOff + j);
        }
        for (int i = 0; i < m; i++) {
            int gr = gradOff + i * ldg;
            int xr = xOff + i * ldx;
            for (int j = 0; j < bound; j += LANES) {
                FloatVector gv = FloatVector.fromArray(SPECIES, g, gr + j);
                FloatVector.fromArray(SPECIES, dBeta, dbOff + j).add(gv).intoArray(dBeta, dbOff + j);
                FloatVector.fromArray(SPECIES, dGamma, dgOff + j).add(gv.mul(FloatVector.fromArray(SPECIES, xhat, xr + j)))
                        .intoArray(dGamma, dgOff + j);
            }
        }
        float rows = m;
        for (int i = 0; i < m; i++) {
            int gr = gradOff + i * ldg;
            int xr = xOff + i * ldx;
            for (int j = 0; j < bound; j += LANES) {
                FloatVector c = FloatVector.fromArray(SPECIES, gamma, gOff + j)
                        .mul(FloatVector.fromArray(SPECIES, rstd, rOff + j)).div(rows);
                FloatVector v = FloatVector.fromArray(SPECIES, g, gr + j).mul(rows)
                        .sub(FloatVector.fromArray(SPECIES, dBeta, dbOff + j))
                        .sub(FloatVector.fromArray(SPECIES, xhat, xr + j).mul(FloatVector.fromArray(SPECIES, dGamma, dgOff + j)));
                c.mul(v).intoArray(g, gr + j);
            }
        }
        if (bound < n) {
            ScalarKernels.INSTANCE.normalizeColumnsBackwardK(m, n - bound, xhat, xOff + bound, ldx, gamma, gOff + bound,
                    rstd, rOff + bound, g, gradOff + bound, ldg, dGamma, dgOff + bound, dBeta, dbOff + bound);
        }
    }
}
