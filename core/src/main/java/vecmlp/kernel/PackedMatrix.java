package vecmlp.kernel;

/**
 * A constant {@code k × n} matrix, a layer's weights, copied and laid out once for the products that multiply
 * by it ({@link Kernels#pack}; {@link Kernels#sgemmBiasActivation(Transpose, int, int, int, float[], int, int,
 * PackedMatrix, float[], int, Activation, float[], int, int) sgemmBiasActivation}): besides a row-major copy it
 * holds, where the kernels that made it use one, the panels their blocked GEMM would otherwise pack from the
 * matrix in every call, so a product of more than a few rows skips that packing. A product with it gives the
 * same bits as the product with the matrix it was made from. Immutable: later changes to that matrix do not
 * reach it.
 */
public final class PackedMatrix {

    private final int k;
    private final int n;
    /** The matrix, row-major, {@code k × n}. */
    final float[] values;
    /** The SIMD GEMM's panels of it ({@link GemmPack#packWhole}), or null for kernels that read it in place. */
    final float[] panels;

    PackedMatrix(int k, int n, float[] values, float[] panels) {
        this.k = k;
        this.n = n;
        this.values = values;
        this.panels = panels;
    }

    /** Rows: the depth {@code k} of the products it takes part in. */
    public int rows() {
        return k;
    }

    /** Columns: the width {@code n} of the products' results. */
    public int columns() {
        return n;
    }

    /** True if it holds panels laid out for the SIMD GEMM (made by SIMD kernels). */
    public boolean isLaidOut() {
        return panels != null;
    }

    @Override
    public String toString() {
        return "PackedMatrix[" + k + " x " + n + (panels != null ? ", laid out for the SIMD GEMM]" : "]");
    }
}
