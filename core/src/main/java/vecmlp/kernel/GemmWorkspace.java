package vecmlp.kernel;

import static vecmlp.kernel.GemmShape.KC;
import static vecmlp.kernel.GemmShape.MC;
import static vecmlp.kernel.GemmShape.MR;
import static vecmlp.kernel.GemmShape.NC;
import static vecmlp.kernel.GemmShape.NR;

/**
 * The buffers one thread needs for the GEMM: the packed blocks of A ({@code MC × KC}, 144 KiB) and B
 * ({@code KC × NC}, 2 MiB), allocated at the thread's first blocked product (a thread that only multiplies
 * single rows never allocates them); the micro-kernel's accumulator tile; other scratch, which grows to the
 * largest size the thread has needed (a row for the small path, a swapped product's {@code Cᵀ}, …); and the
 * reusable {@link Gemm.Job} of a calling thread. No allocation per call once grown. Confined to its thread.
 *
 * <p>A branch taken only on a thread's first products (allocating or growing) is a trap in code compiled from
 * another thread's profile: the SIMD warm-up's. The JIT then throws away the compiled GEMM that the branch is
 * inlined into, and the caller's next products run in the Vector API's Java fallback until it has compiled
 * them again (784-256-128-10's cold start: about ten steps at 20–110 ms each, where the compiled step takes
 * 3). So the warm-up drops its thread's scratch at each round and its packed blocks every eighth
 * ({@link #forgetGrown}), and its next products take those branches too.
 */
final class GemmWorkspace {

    private static final ThreadLocal<GemmWorkspace> LOCAL = ThreadLocal.withInitial(GemmWorkspace::new);
    private static final float[] EMPTY = new float[0];

    final Gemm.Job job = new Gemm.Job();
    /** The transposed few-row product of a narrow last column panel ({@link GemmSmall#edgeColumns}). */
    final Gemm.Job edgeJob = new Gemm.Job();
    final float[] tile = new float[MR * NR];
    /** Sums of a row block of the small-m path. */
    final float[] sums = new float[GemmSmall.WIDTH];
    /** The second row's block of sums when the few-row path takes two rows at once. */
    final float[] sums2 = new float[GemmSmall.WIDTH];
    private float[] packA = EMPTY;
    private float[] packB = EMPTY;
    private float[] row = EMPTY;
    private float[] sharedA = EMPTY;
    private float[] transposed = EMPTY;
    private float[] edge = EMPTY;
    private float[] partials = EMPTY;

    /** The workspace of the calling thread. */
    static GemmWorkspace local() {
        return LOCAL.get();
    }

    /** The packed block of A, allocated at the thread's first blocked product. */
    float[] packA() {
        if (packA.length == 0) {
            packA = new float[MC * KC];
        }
        return packA;
    }

    /** The packed block of B, allocated at the thread's first blocked product. */
    float[] packB() {
        if (packB.length == 0) {
            packB = new float[KC * NC];
        }
        return packB;
    }

    /**
     * Drops the buffers allocated or grown at first use, so that the next products take those branches again:
     * the SIMD warm-up does this on its own thread, so that the branches are in the profile the JIT compiles
     * from (see the class comment); the packed blocks (2.2 MiB) only with {@code packedToo}.
     */
    void forgetGrown(boolean packedToo) {
        if (packedToo) {
            packA = EMPTY;
            packB = EMPTY;
        }
        row = EMPTY;
        sharedA = EMPTY;
        transposed = EMPTY;
        edge = EMPTY;
        partials = EMPTY;
    }

    /**
     * The buffer for op(A) packed once and read by every thread of a parallel call of this thread (grows
     * to the largest size seen).
     */
    float[] sharedA(int size) {
        if (sharedA.length < size) {
            sharedA = new float[size];
        }
        return sharedA;
    }

    /**
     * The scratch {@code Cᵀ} of a swapped product of this thread, read and written by every thread of the
     * call (grows to the largest size seen).
     */
    float[] transposed(int size) {
        if (transposed.length < size) {
            transposed = new float[size];
        }
        return transposed;
    }

    /** The sums of a narrow last column panel, at least {@code size} floats (grows to the largest seen). */
    float[] edge(int size) {
        if (edge.length < size) {
            edge = new float[size];
        }
        return edge;
    }

    /** A buffer of at least {@code count} per-block partial sums (grows to the largest count seen). */
    float[] partials(int count) {
        if (partials.length < count) {
            partials = new float[count];
        }
        return partials;
    }

    /** A scratch row of at least {@code k} floats (grows to the largest k seen). */
    float[] row(int k) {
        if (row.length < k) {
            row = new float[k];
        }
        return row;
    }
}
