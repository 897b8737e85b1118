package vecmlp.kernel;

/**
 * The large elementwise passes of {@link SimdKernels} shared between the GEMM's threads ({@link GemmPool}),
 * so that a training step on several threads runs little on one: optimizer updates over all parameters and
 * sums of squares (the gradient norm, the input check), cut into fixed blocks of {@link #BLOCK} elements;
 * and the activation derivative of a hidden layer's delta, cut into blocks of rows. Blocks are handed out
 * one at a time like the GEMM's chunks. An element's arithmetic is the same in any block, and a sum of
 * squares adds the blocks' sums in block order whatever thread computed them, so the bits never depend on
 * the thread count. Uses the calling thread's reusable {@link Gemm.Job}; allocates nothing after warm-up.
 */
final class ParallelElementwise {

    /** Elements per block: a multiple of 4 vectors of every species up to 2048 bits (about 0.5 µs of work). */
    static final int BLOCK = 8192;
    /**
     * From this many elements on, a 1-D pass is split: the 235k parameters of 784-256-128-10 and its input
     * batch of 128 × 784 (the finiteness check).
     */
    static final int PARALLEL_MIN = 1 << 16;
    /**
     * From this many elements on, an activation derivative is split: 128 × 256 (about 3 µs on one core; the
     * pool's workers are still spinning from the step's last product). At 128 × 128 splitting gained nothing.
     */
    static final int PARALLEL_MIN_2D = 1 << 15;

    static final int SGD = 1;
    static final int MOMENTUM = 2;
    static final int ADAM = 3;
    static final int SUM_OF_SQUARES = 4;
    static final int ACTIVATION_BACKWARD = 5;

    private ParallelElementwise() {
    }

    static void sgd(SimdKernels kernels, int threads, int n, float lr, float weightDecay,
                    float[] param, int pOff, float[] grad, int gOff) {
        GemmWorkspace ws = GemmWorkspace.local();
        Gemm.Job job = begin(ws, kernels, SGD, n);
        job.f0 = lr;
        job.f1 = weightDecay;
        job.x0 = param;
        job.o0 = pOff;
        job.x1 = grad;
        job.o1 = gOff;
        run(job, threads, ws);
    }

    static void momentum(SimdKernels kernels, int threads, int n, float lr, float momentum, float weightDecay,
                         boolean nesterov, float[] param, int pOff, float[] grad, int gOff, float[] velocity, int vOff) {
        GemmWorkspace ws = GemmWorkspace.local();
        Gemm.Job job = begin(ws, kernels, MOMENTUM, n);
        job.f0 = lr;
        job.f1 = momentum;
        job.f2 = weightDecay;
        job.flag = nesterov;
        job.x0 = param;
        job.o0 = pOff;
        job.x1 = grad;
        job.o1 = gOff;
        job.x2 = velocity;
        job.o2 = vOff;
        run(job, threads, ws);
    }

    static void adam(SimdKernels kernels, int threads, int n, float lr, float beta1, float beta2, float eps,
                     float weightDecay, boolean decoupled, float biasCorrection1, float biasCorrection2Sqrt,
                     float[] param, int pOff, float[] grad, int gOff, float[] m, int mOff, float[] v, int vOff) {
        GemmWorkspace ws = GemmWorkspace.local();
        Gemm.Job job = begin(ws, kernels, ADAM, n);
        job.f0 = lr;
        job.f1 = beta1;
        job.f2 = beta2;
        job.f3 = eps;
        job.f4 = weightDecay;
        job.f5 = biasCorrection1;
        job.f6 = biasCorrection2Sqrt;
        job.flag = decoupled;
        job.x0 = param;
        job.o0 = pOff;
        job.x1 = grad;
        job.o1 = gOff;
        job.x2 = m;
        job.o2 = mOff;
        job.x3 = v;
        job.o3 = vOff;
        run(job, threads, ws);
    }

    /** The sum of {@code x[i]²}: the blocks' sums (each {@code dotK} over one block) added in block order. */
    static float sumOfSquares(SimdKernels kernels, int threads, int n, float[] x, int xOff) {
        GemmWorkspace ws = GemmWorkspace.local();
        Gemm.Job job = begin(ws, kernels, SUM_OF_SQUARES, n);
        job.x0 = x;
        job.o0 = xOff;
        job.partials = ws.partials(job.chunks);
        try {
            run(job, threads, ws);
            float[] partials = job.partials;
            float sum = 0f;
            for (int b = 0; b < job.chunks; b++) {
                sum += partials[b];
            }
            return sum;
        } finally {
            job.clear();
        }
    }

    /** {@code delta ← delta ⊙ σ'(Z)}: blocks of whole rows, about {@link #BLOCK} elements each. */
    static void activationBackward(SimdKernels kernels, int threads, Activation act, int m, int n,
                                   float[] a, int aOff, int lda, float[] delta, int dOff, int ldd) {
        GemmWorkspace ws = GemmWorkspace.local();
        int rows = Math.max(1, BLOCK / n);
        Gemm.Job job = begin(ws, kernels, ACTIVATION_BACKWARD, n);
        job.m = m;
        job.unit = rows;
        job.chunks = (m + rows - 1) / rows;
        job.activation = act;
        job.x0 = a;
        job.o0 = aOff;
        job.lda = lda;
        job.x1 = delta;
        job.o1 = dOff;
        job.ldc = ldd;
        run(job, threads, ws);
    }

    private static Gemm.Job begin(GemmWorkspace ws, SimdKernels kernels, int kind, int n) {
        Gemm.Job job = ws.job;
        job.kind = kind;
        job.kernels = kernels;
        job.n = n;
        job.chunks = (n + BLOCK - 1) / BLOCK;
        return job;
    }

    private static void run(Gemm.Job job, int threads, GemmWorkspace ws) {
        try {
            int parts = Math.min(threads, job.chunks);
            if (!GemmPool.run(job, parts, ws)) {
                job.nextChunk.set(0);
                work(job); // the pool is busy with another thread's call: alone, same bits
            }
        } finally {
            if (job.kind != SUM_OF_SQUARES) {
                job.clear(); // sumOfSquares clears after reading the partial sums
            }
        }
    }

    /** Takes blocks until none is left (every thread of the call runs this). */
    static void work(Gemm.Job job) {
        for (int b = job.nextChunk.getAndIncrement(); b < job.chunks; b = job.nextChunk.getAndIncrement()) {
            int lo = b * BLOCK; // block b of a 1-D pass
            int len = Math.min(BLOCK, job.n - lo);
            switch (job.kind) {
                case SGD:
                    SimdKernels.sgdRange(len, job.f0, job.f1, job.x0, job.o0 + lo, job.x1, job.o1 + lo);
                    break;
                case MOMENTUM:
                    SimdKernels.momentumRange(len, job.f0, job.f1, job.f2, job.flag, job.x0, job.o0 + lo,
                            job.x1, job.o1 + lo, job.x2, job.o2 + lo);
                    break;
                case ADAM:
                    SimdKernels.adamRange(len, job.f0, job.f1, job.f2, job.f3, job.f4, job.flag, job.f5, job.f6,
                            job.x0, job.o0 + lo, job.x1, job.o1 + lo, job.x2, job.o2 + lo, job.x3, job.o3 + lo);
                    break;
                case SUM_OF_SQUARES:
                    job.partials[b] = job.kernels.dotK(len, job.x0, job.o0 + lo, job.x0, job.o0 + lo);
                    break;
                case ACTIVATION_BACKWARD: {
                    int i0 = b * job.unit;
                    int rows = Math.min(job.unit, job.m - i0);
                    job.kernels.activationBackwardRows(job.activation, rows, job.n, job.x0, job.o0 + i0 * job.lda,
                            job.lda, job.x1, job.o1 + i0 * job.ldc, job.ldc);
                    break;
                }
                default:
                    throw new AssertionError(job.kind);
            }
        }
    }
}
