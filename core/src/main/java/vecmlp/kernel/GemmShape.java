package vecmlp.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species and the block sizes of the SIMD GEMM, fixed once per JVM as {@code static final} constants
 * so that C2 folds them into the micro-kernel (a species that is not a compile-time constant makes every
 * Vector API operation a slow call).
 *
 * <p>The species is {@link FloatVector#SPECIES_PREFERRED} unless the system property {@value #BITS_PROPERTY}
 * is {@code 128}, {@code 256} or {@code 512}; the tests use it to run the whole GEMM with each species
 * (a 512-bit species on an AVX2 machine runs in the Vector API's slow Java fallback: correct, not fast).
 *
 * <p>Block sizes (Goto and van de Geijn, BLIS), with {@code L} float lanes per vector (4 bytes a lane). They
 * were set for AVX2 (L = 8) with a 32 KiB L1D and a 512 KiB L2, and are kept for AVX-512 (L = 16) on the
 * development machine, whose cores have a 48 KiB L1D and a 1 MiB L2:
 * <ul>
 * <li>{@code MR × NR = 6 × 2L} register block: 12 vector accumulators, 2 vectors of B and one broadcast
 *     of A, 15 of the 16 AVX2 registers. With 512-bit vectors (AVX-512 has 32 registers) {@code 8 × 2L}:
 *     16 accumulators, 19 registers. A 12-row block (24 accumulators, as BLIS's AVX-512 kernels) was
 *     faster than 6 rows on an Intel AVX-512 core; on the Zen 5, 8 rows run as fast per FMA as 12, batches
 *     of 8k rows fill whole panels (128 rows were 10 panels of 12 and one of 8 computed as 12), and their
 *     packing transposes 8 rows at a time without spilling registers: NN products of 128 rows 5–11%
 *     faster, of 32 and 64 rows 14–17%, TN 784×256×128 2–3% slower (bench/README.md, "Eight rows"). The
 *     system property {@value #ROWS_PROPERTY} ({@code 6} or {@code 8}) overrides the choice; the tests use it
 *     to run both on any machine.</li>
 * <li>{@code KC = 256} at most, and equal depth passes ({@code k = 784} is 4 × 196): a {@code KC × NR}
 *     panel of B is {@code 256 · 2L · 4} B = 16 KiB at L = 8 (half a 32 KiB L1D) and 32 KiB at L = 16 (two
 *     thirds of a 48 KiB L1D), so it stays in L1D while the MR-row panels of A ({@code MR · 256 · 4} B =
 *     6 or 8 KiB) stream past it. A larger KC would not fit at L = 16 (two passes of 392 for k = 784 make
 *     a 49 KiB panel).</li>
 * <li>{@code MC = 144} (a multiple of 6 and of 8): an {@code MC × KC} block of A is
 *     {@code 144 · 256 · 4} B = 144 KiB, inside the L2 (a quarter of 512 KiB, a seventh of 1 MiB) with the
 *     B panels streaming through.</li>
 * <li>{@code NC = 2048}: the packed {@code KC × NC} block of B is {@code 256 · 2048 · 4} B = 2 MiB, a
 *     slice of the shared 32 MiB L3.</li>
 * </ul>
 */
final class GemmShape {

    static final String BITS_PROPERTY = "vecmlp.gemm.bits";
    static final String ROWS_PROPERTY = "vecmlp.gemm.rows";

    static final VectorSpecies<Float> SPECIES = species(System.getProperty(BITS_PROPERTY));
    /** Float lanes per vector. */
    static final int L = SPECIES.length();
    /** Rows of the register block: 8 with 512-bit vectors (32 vector registers), else 6. */
    static final int MR = rows(System.getProperty(ROWS_PROPERTY), L);
    /** Columns of the register block: two vectors. */
    static final int NR = 2 * L;
    /** Depth of a packed panel (the inner dimension of one pass of the micro-kernel). */
    static final int KC = 256;
    /** Rows of a packed block of A: a multiple of MR. */
    static final int MC = 144;
    /** Columns of a packed block of B: a multiple of NR. */
    static final int NC = (2048 / NR) * NR;

    private GemmShape() {
    }

    static int rows(String rows, int lanes) {
        if (rows == null || rows.isBlank()) {
            return lanes >= 16 ? 8 : 6;
        }
        switch (rows.trim()) {
            case "6":
                return 6;
            case "8":
                return 8;
            default:
                throw new IllegalStateException("-D" + ROWS_PROPERTY + " must be 6 or 8: '" + rows + "'");
        }
    }

    static VectorSpecies<Float> species(String bits) {
        if (bits == null || bits.isBlank()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        switch (bits.trim()) {
            case "128":
                return FloatVector.SPECIES_128;
            case "256":
                return FloatVector.SPECIES_256;
            case "512":
                return FloatVector.SPECIES_512;
            default:
                throw new IllegalStateException("-D" + BITS_PROPERTY + " must be 128, 256 or 512: '" + bits + "'");
        }
    }
}
