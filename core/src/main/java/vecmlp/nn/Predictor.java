package vecmlp.nn;

/**
 * An inference-only snapshot of an {@link Mlp} ({@link Mlp#predictor()}): its own copy of the parameters, with
 * each layer's weights laid out once for the kernels, so that a prediction of more than four rows does not
 * pack them in every call. The outputs are those of {@link Mlp#predict}, bit for bit, with the parameters the
 * network had when the snapshot was taken. Thread-safe with one {@link Workspace} per thread; allocates
 * nothing per call.
 */
public final class Predictor {

    private final Mlp mlp;

    Predictor(Mlp mlp) {
        this.mlp = mlp;
    }

    /** Width of an input row. */
    public int inputSize() {
        return mlp.inputSize();
    }

    /** Width of an output row. */
    public int outputSize() {
        return mlp.outputSize();
    }

    /** A workspace for batches of up to {@code maxBatch} rows. */
    public Workspace newWorkspace(int maxBatch) {
        return mlp.newWorkspace(maxBatch);
    }

    /**
     * The outputs of {@code rows} inputs: {@code out[outOff ..]} receives {@code rows × outputSize()} values
     * ({@link Mlp#predict(float[], int, int, float[], int, Workspace)}).
     */
    public void predict(float[] x, int xOff, int rows, float[] out, int outOff, Workspace ws) {
        mlp.predict(x, xOff, rows, out, outOff, ws);
    }

    /** The predicted class of each of {@code rows} inputs ({@link Mlp#predictClasses}). */
    public void predictClasses(float[] x, int xOff, int rows, int[] classes, int cOff, Workspace ws) {
        mlp.predictClasses(x, xOff, rows, classes, cOff, ws);
    }

    @Override
    public String toString() {
        return "Predictor[" + mlp + "]";
    }
}
