package vecmlp.kernel;

import java.util.Arrays;

/**
 * Run in a forked JVM by {@link KernelChoiceForkTest}: prints the provider's choice for that JVM and a
 * digest of the bits of a short training run on {@link Kernels#get()}.
 */
public final class KernelChoiceMain {

    private KernelChoiceMain() {
    }

    /**
     * Prints {@code kind=…}, {@code kernels=…} and {@code bits=…}; with the argument {@code explicit}, trains on
     * {@code Kernels.simd().withThreads(1)} given to the network and the optimizer instead, without asking for
     * {@link Kernels#get()}, and prints {@code warmupThread=} (whether the default kernels' warm-up thread was
     * started) and {@code bits=…}.
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("explicit")) {
            float[] bits = WarmingKernelsTest.train(Kernels.simd().withThreads(1));
            boolean warmup = false;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                warmup |= t.getName().equals(SimdWarmup.THREAD_NAME);
            }
            System.out.println("warmupThread=" + warmup);
            System.out.println("bits=" + digest(bits));
            return;
        }
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
