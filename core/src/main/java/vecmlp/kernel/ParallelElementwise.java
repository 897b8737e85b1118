package vecmlp.kernel;

/**
 * The large elementwise passes of {@link SimdKernels} (optimizer updates over all parameters, sums of
 * squares) shared between the GEMM's threads ({@link GemmPool}): the range is cut into fixed blocks of
 * {@link #BLOCK} elements, handed out one at a time like the GEMM's chunks. An update's element is the same
 * arithmetic in any block, and a sum of squares adds the blocks' sums in block order whatever thread
 * computed them, so the bits never depend on the thread count. Uses the calling thread's reusable
 * {@link Gemm.Job}; allocates nothing after warm-up.
 */
final class ParallelElementwise {

    /** Elements per block: a multiple of 4 vectors of every species up to 2048 bits (about 0.5 µs of work). */
    static final int BLOCK = 8192;
    /** From this many elements on, a pass is split (the 235k parameters of 784-256-128-10 are; 100k are not). */
    static final int PARALLEL_MIN = 1 << 17;

    static final int SGD = 1;
    static final int MOMENTUM = 2;
    static final int ADAM = 3;
    static final int SUM_OF_SQUARES = 4;

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
            int lo = b * BLOCK;
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
                default:
                    throw new AssertionError(job.kind);
            }
        }
    }
}
