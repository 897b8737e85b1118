package vecmlp.nn;

/**
 * vecmlp's own seeded pseudo-random generator (SplitMix64, Steele, Lea and Flood 2014): the whole state is
 * one {@code long}, which {@link #state()} reads and {@link #setState(long)} restores, so a checkpoint can
 * resume a random sequence exactly. The sequence for a seed is fixed by this class and never depends on the
 * JDK version. Not thread-safe: one instance per thread.
 */
public final class Rng {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /** A generator whose sequence is determined by {@code seed}. */
    public Rng(long seed) {
        this.state = seed;
    }

    /** The internal state; {@code new Rng(0).setState(s)} continues exactly where this generator is now. */
    public long state() {
        return state;
    }

    /** Restores a state read with {@link #state()}. */
    public void setState(long state) {
        this.state = state;
    }

    /** The next 64 uniformly distributed bits. */
    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform integer in {@code [0, bound)} without modulo bias (Lemire's multiply-and-reject). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0: " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** A uniform double in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** A uniform float in {@code [0, 1)} with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** A standard normal deviate (Box–Muller; consumes two draws, keeps no cached value). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Shuffles {@code a[0 .. n)} in place (Fisher–Yates); allocates nothing. */
    public void shuffle(int[] a, int n) {
        if (n < 0 || n > a.length) {
            throw new IllegalArgumentException("n must be in [0, " + a.length + "]: " + n);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * A seed derived from {@code seed} and a stream number by one SplitMix64 mixing step, for independent
     * per-purpose streams (initialisation, shuffling of epoch {@code e}, validation split).
     */
    public static long derive(long seed, long stream) {
        Rng r = new Rng(seed ^ (stream * 0xD1B54A32D192ED03L));
        r.nextLong();
        return r.nextLong();
    }

    /** SplitMix64's output function of {@code z + γ}: a bijective mix of all 64 bits, without state. */
    static long mix(long z) {
        z += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
