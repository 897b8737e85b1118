package vecmlp.check;

import java.util.Objects;
import vecmlp.nn.Mlp;

/**
 * The Jacobian of a network's outputs with respect to its input, {@code J_ij = ∂A_L[i]/∂x[j]}
 * ({@code outputSize() × inputSize()}): by backpropagation ({@link Mlp#inputJacobian}) and, as its check,
 * by float64 central differences of an independent double forward pass. Thread-safe (reads the model only).
 */
public final class NetworkJacobian {

    private NetworkJacobian() {
    }

    /** {@code J} at the input {@code x} ({@code inputSize()} values) by one batched backward pass; row-major. */
    public static float[] of(Mlp mlp, float[] x) {
        Objects.requireNonNull(mlp, "mlp");
        float[] jac = new float[mlp.outputSize() * mlp.inputSize()];
        mlp.inputJacobian(x, 0, 1, jac, 0, mlp.newWorkspace(mlp.outputSize()));
        return jac;
    }

    /** {@code J} at {@code x} by central differences with step {@code h}, in float64; {@code outputSize()} rows. */
    public static double[][] numerical(Mlp mlp, float[] x, double h) {
        Objects.requireNonNull(mlp, "mlp");
        if (x.length != mlp.inputSize()) {
            throw new IllegalArgumentException("x.length must be inputSize() = " + mlp.inputSize() + ": " + x.length);
        }
        DoubleNetwork net = new DoubleNetwork(mlp);
        float[] p = mlp.parameters();
        double[] theta = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            theta[i] = p[i];
        }
        double[] x0 = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            x0[j] = x[j];
        }
        return Numerical.jacobian(v -> net.forwardRow(theta, v)[1], x0, h);
    }
}
