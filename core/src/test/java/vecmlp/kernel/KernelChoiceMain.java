package vecmlp.kernel;

import java.util.Arrays;

/**
 * Run in a forked JVM by {@link KernelChoiceForkTest}: prints the provider's choice for that JVM and a
 * digest of the bits of a short training run on {@link Kernels#get()}.
 */
public final class KernelChoiceMain {

    private KernelChoiceMain() {
    }

    /** Prints {@code kind=…}, {@code kernels=…} and {@code bits=…}. */
    public static void main(String[] args) {
        Kernels kernels = Kernels.get();
        System.out.println("kind=" + KernelProvider.defaultChoice().kind);
        System.out.println("kernels=" + kernels.description());
        System.out.println("bits=" + digest(WarmingKernelsTest.train(kernels)));
    }

    /** A digest of the exact bits of {@code values}. */
    static int digest(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return Arrays.hashCode(bits);
    }
}
