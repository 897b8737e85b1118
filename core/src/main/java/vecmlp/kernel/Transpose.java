package vecmlp.kernel;

/** Whether a GEMM operand is read as stored ({@link #NO}) or transposed ({@link #YES}), as BLAS's {@code 'N'}/{@code 'T'}. */
public enum Transpose {
    /** {@code op(X) = X}. */
    NO,
    /** {@code op(X) = Xᵀ}: the operand is read transposed; no copy is made. */
    YES
}
