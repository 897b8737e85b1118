package vecmlp.kernel;

/**
 * The scalar reference: plain loops, written to be read and trusted. It is the oracle the SIMD kernels
 * are tested against and the fallback where the Vector API module is absent. Single-threaded.
 */
final class ScalarKernels extends Kernels {

    static final ScalarKernels INSTANCE = new ScalarKernels();
    private static final double GELU_C = Math.sqrt(2 / Math.PI);

    private ScalarKernels() {
    }

    @Override
    public Kernels withThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        return this;
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public String description() {
        return "scalar (reference loops)";
    }

    @Override
    public boolean isSimd() {
        return false;
    }

    @Override
    protected void sgemmK(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float beta, float[] c, int cOff, int ldc) {
        boolean ta = transA == Transpose.YES;
        boolean tb = transB == Transpose.YES;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                if (alpha != 0f) {
                    for (int p = 0; p < k; p++) {
                        float aip = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        float bpj = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        sum += aip * bpj;
                    }
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci];
            }
        }
    }

    @Override
    protected void activationForwardK(Activation act, int m, int n, float[] z, int zOff, int ldz,
                                      float[] a, int aOff, int lda) {
        for (int i = 0; i < m; i++) {
            int zr = zOff + i * ldz;
            int ar = aOff + i * lda;
            switch (act.kind()) {
                case IDENTITY:
                    System.arraycopy(z, zr, a, ar, n);
                    break;
                case RELU:
                    for (int j = 0; j < n; j++) {
                        float v = z[zr + j];
                        a[ar + j] = v > 0f ? v : 0f;
                    }
                    break;
                case LEAKY_RELU:
                    for (int j = 0; j < n; j++) {
                        float v = z[zr + j];
                        a[ar + j] = v > 0f ? v : act.slope() * v;
                    }
                    break;
                case SIGMOID:
                    for (int j = 0; j < n; j++) {
                        a[ar + j] = (float) (1.0 / (1.0 + Math.exp(-z[zr + j])));
                    }
                    break;
                case TANH:
                    for (int j = 0; j < n; j++) {
                        a[ar + j] = (float) Math.tanh(z[zr + j]);
                    }
                    break;
                case ELU:
                    for (int j = 0; j < n; j++) {
                        float v = z[zr + j];
                        a[ar + j] = v > 0f ? v : (float) (act.slope() * Math.expm1(v));
                    }
                    break;
                case SILU:
                    for (int j = 0; j < n; j++) {
                        double v = z[zr + j];
                        a[ar + j] = (float) (v / (1.0 + Math.exp(-v)));
                    }
                    break;
                case GELU_TANH:
                    for (int j = 0; j < n; j++) {
                        double v = z[zr + j];
                        a[ar + j] = (float) (0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v))));
                    }
                    break;
                case SOFTPLUS:
                    for (int j = 0; j < n; j++) {
                        double v = z[zr + j];
                        a[ar + j] = (float) (Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v))));
                    }
                    break;
                case GELU:
                    for (int j = 0; j < n; j++) {
                        a[ar + j] = (float) ReferenceMath.gelu(z[zr + j]);
                    }
                    break;
                case SOFTMAX:
                    softmaxRow(n, z, zr, a, ar);
                    break;
                default:
                    throw new AssertionError(act);
            }
        }
    }

    private static void softmaxRow(int n, float[] z, int zr, float[] a, int ar) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, z[zr + j]);
        }
        float sum = 0f;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(z[zr + j] - max);
            a[ar + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int j = 0; j < n; j++) {
            a[ar + j] *= inv;
        }
    }

    @Override
    protected void activationBackwardK(Activation act, int m, int n, float[] a, int aOff, int lda,
                                       float[] delta, int dOff, int ldd) {
        for (int i = 0; i < m; i++) {
            int ar = aOff + i * lda;
            int dr = dOff + i * ldd;
            switch (act.kind()) {
                case IDENTITY:
                    break;
                case RELU:
                    for (int j = 0; j < n; j++) {
                        if (!(a[ar + j] > 0f)) {
                            delta[dr + j] = 0f;
                        }
                    }
                    break;
                case LEAKY_RELU:
                    for (int j = 0; j < n; j++) {
                        if (!(a[ar + j] > 0f)) {
                            delta[dr + j] *= act.slope();
                        }
                    }
                    break;
                case SIGMOID:
                    for (int j = 0; j < n; j++) {
                        float s = a[ar + j];
                        delta[dr + j] *= s * (1f - s);
                    }
                    break;
                case TANH:
                    for (int j = 0; j < n; j++) {
                        float t = a[ar + j];
                        delta[dr + j] *= 1f - t * t;
                    }
                    break;
                case ELU:
                    eluBackwardRow(n, act.slope(), a, ar, delta, dr);
                    break;
                case SILU: // a holds Z
                    for (int j = 0; j < n; j++) {
                        double v = a[ar + j];
                        double s = 1.0 / (1.0 + Math.exp(-v));
                        delta[dr + j] = (float) (delta[dr + j] * (s * (1 + v * (1 - s))));
                    }
                    break;
                case GELU_TANH: // a holds Z
                    for (int j = 0; j < n; j++) {
                        double v = a[ar + j];
                        double t = Math.tanh(GELU_C * (v + 0.044715 * v * v * v));
                        double d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * v * v);
                        delta[dr + j] = (float) (delta[dr + j] * d);
                    }
                    break;
                case SOFTPLUS: // a holds Z; σ' = sigmoid(z)
                    for (int j = 0; j < n; j++) {
                        delta[dr + j] = (float) (delta[dr + j] / (1.0 + Math.exp(-(double) a[ar + j])));
                    }
                    break;
                case GELU: // a holds Z
                    for (int j = 0; j < n; j++) {
                        delta[dr + j] = (float) (delta[dr + j] * ReferenceMath.geluGrad(a[ar + j]));
                    }
                    break;
                case SOFTMAX: {
                    float dot = 0f;
                    for (int j = 0; j < n; j++) {
                        dot += delta[dr + j] * a[ar + j];
                    }
                    for (int j = 0; j < n; j++) {
                        delta[dr + j] = a[ar + j] * (delta[dr + j] - dot);
                    }
                    break;
                }
                default:
                    throw new AssertionError(act);
            }
        }
    }

    /** ELU's derivative from A, {@code 1} where {@code a > 0}, else {@code a + α} (the twin's too: one rounding each). */
    static void eluBackwardRow(int n, float alpha, float[] a, int ar, float[] delta, int dr) {
        for (int j = 0; j < n; j++) {
            float v = a[ar + j];
            if (!(v > 0f)) {
                delta[dr + j] *= v + alpha;
            }
        }
    }

    @Override
    protected void addBiasK(int m, int n, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int cr = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[cr + j] += bias[biasOff + j];
            }
        }
    }

    @Override
    protected void columnSumsK(int m, int n, float[] a, int aOff, int lda, float[] sums, int sOff) {
        for (int j = 0; j < n; j++) {
            sums[sOff + j] = 0f;
        }
        for (int i = 0; i < m; i++) {
            int ar = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                sums[sOff + j] += a[ar + j];
            }
        }
    }

    @Override
    protected void axpyK(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    protected void scaleK(int n, float alpha, float[] x, int xOff) {
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    protected float dotK(int n, float[] x, int xOff, float[] y, int yOff) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += x[xOff + i] * y[yOff + i];
        }
        return sum;
    }

    @Override
    protected float sumOfSquaresK(int n, float[] x, int xOff) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            sum += v * v;
        }
        return sum;
    }

    @Override
    protected void sgdStepK(int n, float lr, float weightDecay, float[] param, int pOff, float[] grad, int gOff) {
        for (int i = 0; i < n; i++) {
            float p = param[pOff + i];
            float g = grad[gOff + i] + weightDecay * p;
            param[pOff + i] = p - lr * g;
        }
    }

    @Override
    protected void momentumStepK(int n, float lr, float momentum, float weightDecay, boolean nesterov,
                                 float[] param, int pOff, float[] grad, int gOff, float[] velocity, int vOff) {
        for (int i = 0; i < n; i++) {
            float p = param[pOff + i];
            float g = grad[gOff + i] + weightDecay * p;
            float v = momentum * velocity[vOff + i] + g;
            velocity[vOff + i] = v;
            float step = nesterov ? g + momentum * v : v;
            param[pOff + i] = p - lr * step;
        }
    }

    @Override
    protected void adamStepK(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                             boolean decoupled, float biasCorrection1, float biasCorrection2Sqrt,
                             float[] param, int pOff, float[] grad, int gOff,
                             float[] m, int mOff, float[] v, int vOff) {
        float stepSize = lr / biasCorrection1;
        float decay = decoupled ? 1f - lr * weightDecay : 1f;
        float l2 = decoupled ? 0f : weightDecay;
        for (int i = 0; i < n; i++) {
            float p = param[pOff + i] * decay;
            float g = grad[gOff + i] + l2 * p;
            float mi = beta1 * m[mOff + i] + (1f - beta1) * g;
            float vi = beta2 * v[vOff + i] + (1f - beta2) * g * g;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float denom = (float) Math.sqrt(vi) / biasCorrection2Sqrt + eps;
            param[pOff + i] = p - stepSize * mi / denom;
        }
    }

    @Override
    protected void dropoutK(int m, int n, int threshold, float scale, int[] rowKeys, int kOff,
                            float[] a, int aOff, int lda, float[] out, int outOff, int ldo) {
        for (int i = 0; i < m; i++) {
            int key = rowKeys[kOff + i];
            for (int j = 0; j < n; j++) {
                out[outOff + i * ldo + j] = dropoutKeeps(key, j, threshold) ? a[aOff + i * lda + j] * scale : 0f;
            }
        }
    }

    @Override
    protected void columnMeanAndVarianceK(int m, int n, float[] z, int zOff, int ldz, float[] mean, int mOff,
                                          float[] var, int vOff) {
        for (int j = 0; j < n; j++) {
            float sum = 0f;
            for (int i = 0; i < m; i++) {
                sum += z[zOff + i * ldz + j];
            }
            float mu = sum / m;
            mean[mOff + j] = mu;
            var[vOff + j] = squaredDeviations(m, z, zOff + j, ldz, mu) / m;
        }
    }

    /** {@code Σ_i (z[off + i·ld] − mu)²} in row order: a column's squared deviations, the SIMD tail's too. */
    static float squaredDeviations(int m, float[] z, int off, int ld, float mu) {
        float squares = 0f;
        for (int i = 0; i < m; i++) {
            float d = z[off + i * ld] - mu;
            squares += d * d;
        }
        return squares;
    }

    @Override
    protected void normalizeColumnsK(int m, int n, float[] z, int zOff, int ldz, float[] mean, int mOff,
                                     float[] rstd, int rOff, float[] gamma, int gOff, float[] beta, int bOff,
                                     float[] xhat, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float x = (z[zOff + i * ldz + j] - mean[mOff + j]) * rstd[rOff + j];
                if (xhat != null) {
                    xhat[xOff + i * ldx + j] = x;
                }
                y[yOff + i * ldy + j] = x * gamma[gOff + j] + beta[bOff + j];
            }
        }
    }

    @Override
    protected void normalizeColumnsBackwardK(int m, int n, float[] xhat, int xOff, int ldx, float[] gamma, int gOff,
                                             float[] rstd, int rOff, float[] g, int gradOff, int ldg,
                                             float[] dGamma, int dgOff, float[] dBeta, int dbOff) {
        float rows = m;
        for (int j = 0; j < n; j++) {
            float sumG = 0f;
            float sumGx = 0f;
            for (int i = 0; i < m; i++) {
                float gij = g[gradOff + i * ldg + j];
                sumG += gij;
                sumGx += gij * xhat[xOff + i * ldx + j];
            }
            dBeta[dbOff + j] = sumG;
            dGamma[dgOff + j] = sumGx;
            float c = gamma[gOff + j] * rstd[rOff + j] / rows;
            for (int i = 0; i < m; i++) {
                int gi = gradOff + i * ldg + j;
                g[gi] = c * (rows * g[gi] - sumG - xhat[xOff + i * ldx + j] * sumGx);
            }
        }
    }
}
