package vecmlp.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fp32 FMA throughput loop behind {@link PeakBenchmark}: twelve independent accumulator chains
 * {@code acc ← acc·b + c}, enough to cover the FMA latency on two pipes (4 cycles × 2 = 8 in flight).
 * Kept apart from the benchmark class so that only the forked JVM, which has the Vector API module,
 * ever loads a class that names {@code FloatVector}.
 */
final class FmaPeak {

    /** Independent FMA chains per loop iteration. */
    static final int CHAINS = 12;

    private static final VectorSpecies<Float> PREFERRED = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;

    private FmaPeak() {
    }

    /**
     * The inputs of {@link #run}: {@code b} = 0.999999 and {@code c} = 10⁻⁶ (the accumulators stay bounded and
     * never become subnormal), then the twelve accumulators' starting values.
     */
    static float[] seed() {
        float[] seed = new float[2 + CHAINS];
        seed[0] = 0.999999f;
        seed[1] = 1e-6f;
        for (int i = 2; i < seed.length; i++) {
            seed[i] = i;
        }
        return seed;
    }

    /** Float lanes of the preferred species, or of the 256-bit one. */
    static int lanes(boolean preferred) {
        return (preferred ? PREFERRED : S256).length();
    }

    /**
     * {@code iterations × CHAINS} FMAs of the chosen species; returns a value that depends on all of them.
     * One method per species, each naming its species as a constant: the Vector API is intrinsified only
     * when C2 sees the species as a constant, which a species parameter is not unless the callee inlines.
     */
    static float run(boolean preferred, float[] seed, int iterations) {
        return preferred ? runPreferred(seed, iterations) : run256(seed, iterations);
    }

    private static float runPreferred(float[] seed, int iterations) {
        FloatVector b = FloatVector.broadcast(PREFERRED, seed[0]);
        FloatVector c = FloatVector.broadcast(PREFERRED, seed[1]);
        FloatVector a0 = FloatVector.broadcast(PREFERRED, seed[2]);
        FloatVector a1 = FloatVector.broadcast(PREFERRED, seed[3]);
        FloatVector a2 = FloatVector.broadcast(PREFERRED, seed[4]);
        FloatVector a3 = FloatVector.broadcast(PREFERRED, seed[5]);
        FloatVector a4 = FloatVector.broadcast(PREFERRED, seed[6]);
        FloatVector a5 = FloatVector.broadcast(PREFERRED, seed[7]);
        FloatVector a6 = FloatVector.broadcast(PREFERRED, seed[8]);
        FloatVector a7 = FloatVector.broadcast(PREFERRED, seed[9]);
        FloatVector a8 = FloatVector.broadcast(PREFERRED, seed[10]);
        FloatVector a9 = FloatVector.broadcast(PREFERRED, seed[11]);
        FloatVector a10 = FloatVector.broadcast(PREFERRED, seed[12]);
        FloatVector a11 = FloatVector.broadcast(PREFERRED, seed[13]);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(b, c);
            a1 = a1.fma(b, c);
            a2 = a2.fma(b, c);
            a3 = a3.fma(b, c);
            a4 = a4.fma(b, c);
            a5 = a5.fma(b, c);
            a6 = a6.fma(b, c);
            a7 = a7.fma(b, c);
            a8 = a8.fma(b, c);
            a9 = a9.fma(b, c);
            a10 = a10.fma(b, c);
            a11 = a11.fma(b, c);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9)
                .add(a10).add(a11);
        return sum.reduceLanes(VectorOperators.ADD);
    }

    private static float run256(float[] seed, int iterations) {
        FloatVector b = FloatVector.broadcast(S256, seed[0]);
        FloatVector c = FloatVector.broadcast(S256, seed[1]);
        FloatVector a0 = FloatVector.broadcast(S256, seed[2]);
        FloatVector a1 = FloatVector.broadcast(S256, seed[3]);
        FloatVector a2 = FloatVector.broadcast(S256, seed[4]);
        FloatVector a3 = FloatVector.broadcast(S256, seed[5]);
        FloatVector a4 = FloatVector.broadcast(S256, seed[6]);
        FloatVector a5 = FloatVector.broadcast(S256, seed[7]);
        FloatVector a6 = FloatVector.broadcast(S256, seed[8]);
        FloatVector a7 = FloatVector.broadcast(S256, seed[9]);
        FloatVector a8 = FloatVector.broadcast(S256, seed[10]);
        FloatVector a9 = FloatVector.broadcast(S256, seed[11]);
        FloatVector a10 = FloatVector.broadcast(S256, seed[12]);
        FloatVector a11 = FloatVector.broadcast(S256, seed[13]);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(b, c);
            a1 = a1.fma(b, c);
            a2 = a2.fma(b, c);
            a3 = a3.fma(b, c);
            a4 = a4.fma(b, c);
            a5 = a5.fma(b, c);
            a6 = a6.fma(b, c);
            a7 = a7.fma(b, c);
            a8 = a8.fma(b, c);
            a9 = a9.fma(b, c);
            a10 = a10.fma(b, c);
            a11 = a11.fma(b, c);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9)
                .add(a10).add(a11);
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
