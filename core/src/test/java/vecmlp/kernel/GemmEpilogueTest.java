package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused forward epilogue, {@link Kernels#sgemmBiasActivation}, against the three separate passes it
 * replaces (SIMD {@code sgemm} with beta 0, {@code addBias}, {@code activationForward} in place): the fused
 * path performs the same roundings in the same order, so the results must be bit-identical, for every
 * activation, with and without bias, over the blocked path (several depth passes, edge tiles) and the
 * small-m path, all transposes, on 1 and 2 threads. C starts full of NaN (it must not be read) and the
 * poison around it must survive.
 */
class GemmEpilogueTest {

    static final Activation[] ACTIVATIONS = {
        Activation.IDENTITY, Activation.RELU, Activation.LEAKY_RELU, Activation.leakyRelu(0.2f),
        Activation.SIGMOID, Activation.TANH, Activation.SOFTMAX, Activation.ELU, Activation.SILU,
        Activation.GELU_TANH, Activation.SOFTPLUS, Activation.GELU,
    };

    static Stream<Arguments> cases() {
        int nr = GemmShape.NR;
        int[][] shapes = {{1, 3 * nr + 5, 37}, {3, 2 * nr - 1, 300}, {GemmShape.MR + 1, nr + 1, GemmShape.KC + 3},
            {GemmShape.MC + 5, 2 * nr + 3, 40}, {70, 5 * nr + 7, 260}};
        List<Arguments> out = new ArrayList<>();
        int variant = 0;
        for (int[] s : shapes) {
            for (Activation act : ACTIVATIONS) {
                Transpose ta = (variant & 1) == 0 ? Transpose.NO : Transpose.YES;
                Transpose tb = (variant & 2) == 0 ? Transpose.NO : Transpose.YES;
                boolean bias = variant % 3 != 2;
                variant++;
                out.add(Arguments.of(ta, tb, s[0], s[1], s[2], act, bias));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}{1} {2}x{3}x{4} {5} bias={6}")
    @MethodSource("cases")
    void fusedEqualsThreePasses(Transpose ta, Transpose tb, int m, int n, int k, Activation act, boolean withBias) {
        SplittableRandom rnd = new SplittableRandom(m * 31L + n * 7L + k);
        GemmTest.Mat a = (ta == Transpose.YES ? new GemmTest.Mat(k, m) : new GemmTest.Mat(m, k)).fill(rnd);
        GemmTest.Mat b = (tb == Transpose.YES ? new GemmTest.Mat(n, k) : new GemmTest.Mat(k, n)).fill(rnd);
        float[] bias = null;
        if (withBias) {
            bias = new float[n + 6];
            java.util.Arrays.fill(bias, Float.NaN);
            for (int j = 0; j < n; j++) {
                bias[3 + j] = (float) (rnd.nextDouble() - 0.5);
            }
        }
        Kernels one = Kernels.simd().withThreads(1);
        GemmTest.Mat expected = new GemmTest.Mat(m, n);
        one.sgemm(ta, tb, m, n, k, 1f, a.a, a.off, a.ld, b.a, b.off, b.ld, 0f, expected.a, expected.off, expected.ld);
        if (withBias) {
            one.addBias(m, n, bias, 3, expected.a, expected.off, expected.ld);
        }
        one.activationForward(act, m, n, expected.a, expected.off, expected.ld, expected.a, expected.off, expected.ld);
        for (int threads = 1; threads <= 2; threads++) {
            GemmTest.Mat fused = new GemmTest.Mat(m, n);
            Kernels.simd().withThreads(threads).sgemmBiasActivation(ta, tb, m, n, k, a.a, a.off, a.ld,
                    b.a, b.off, b.ld, bias, 3, act, fused.a, fused.off, fused.ld);
            String what = ta + "" + tb + " " + m + "x" + n + "x" + k + " " + act.kind() + " " + threads + " threads";
            fused.assertPoisonIntact(what);
            for (int x = 0; x < fused.a.length; x++) {
                if (Float.floatToRawIntBits(fused.a[x]) != Float.floatToRawIntBits(expected.a[x])) {
                    fail(what + ": fused " + fused.a[x] + " != three passes " + expected.a[x] + " at index " + x);
                }
            }
        }
    }
}
