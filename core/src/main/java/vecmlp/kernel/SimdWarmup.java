package vecmlp.kernel;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Brings the SIMD kernels to compiled code in the background and says when each group of them is ready
 * ({@link WarmingKernels.Readiness}). The JIT compiles a method after it has been called and has looped
 * thousands of times; until then Vector API code runs the API's slow Java fallback. So the first call that
 * finds a group cold asks for it ({@link #want}; groups asked for at start-up, {@link #expect}, come after
 * the groups called), and a daemon thread, {@code vecmlp-simd-warmup}, runs that group's SIMD kernels on
 * small inputs that take every branch the real calls take (so the compiled code has no untaken branch left to
 * deoptimize on), round after round, until a round of SIMD calls is both
 * within a budget that the Java fallback cannot meet and at most {@link #TWIN_SLACK} times as long as the
 * same calls on the scalar twin, {@link #CONFIRMATIONS} rounds in a row; on two cores or fewer it rests
 * after each round as long as the round took, leaving the JIT's compiler thread the time it needs. Then the
 * group is ready and stays ready. A group that is not ready after {@link #GIVE_UP_NANOS} (a JIT kept busy,
 * or one that does not compile the Vector API to vector instructions) is left to the twin, with one log
 * line, and warmed again later, at ever longer intervals ({@link #retryDelayNanos}); a group whose warm-up
 * throws, or every group when the JVM's flags rule vector code out, is left to the twin for good.
 *
 * <p>The decision uses a clock, which is safe only because the twin and the SIMD kernels give the same
 * bits: timing decides how fast a result comes, never what it is.
 */
final class SimdWarmup implements WarmingKernels.Readiness {

    /** The name of the background thread. */
    static final String THREAD_NAME = "vecmlp-simd-warmup";

    /** The GEMM's blocked path (more than {@link Gemm#SMALL_M} rows). */
    static final int GEMM_BLOCKED = 1;
    /** The GEMM's few-row (GEMV) path, also used for the narrow last columns of deep products. */
    static final int GEMM_SMALL = 1 << 1;
    /** Every activation, forward (exp, sigmoid, tanh, softmax). */
    static final int ACTIVATION_FORWARD = 1 << 2;
    /** Every activation's derivative. */
    static final int ACTIVATION_BACKWARD = 1 << 3;
    static final int COLUMN_SUMS = 1 << 4;
    /** axpy and the bias add. */
    static final int AXPY = 1 << 5;
    static final int SCALE = 1 << 6;
    /** dot and sums of squares. */
    static final int DOT = 1 << 7;
    static final int SGD = 1 << 8;
    static final int MOMENTUM = 1 << 9;
    static final int ADAM = 1 << 10;
    static final int DROPOUT = 1 << 11;
    /** Batch normalization: statistics, normalization and its backward pass. */
    static final int BATCH_NORM = 1 << 12;
    /**
     * The derivatives computed with {@link VectorMath#map} (SiLU, both GELUs, softplus: the activations that
     * {@link Activation#needsPreactivation}): a group of their own, so that a ReLU network's backward pass does not
     * wait for the largest method C2 compiles for vecmlp.
     */
    static final int ACTIVATION_BACKWARD_MATH = 1 << 13;
    /**
     * The packing's register transposes ({@link GemmPack#transposeRows}, {@link GemmPack#transposeColumns}), which
     * the blocked GEMM uses only once
     * this group is ready ({@link GemmPack#transposes}): warmed last, since their compilation would otherwise
     * hold the blocked GEMM back, and only the time of a product depends on them.
     */
    static final int PACKING = 1 << 14;
    static final String[] NAMES = {"gemm-blocked", "gemm-small", "activation-forward", "activation-backward",
        "column-sums", "axpy", "scale", "dot", "sgd", "momentum", "adam", "dropout", "batch-norm",
        "activation-backward-math", "packing"};
    static final int GROUPS = NAMES.length;

    /**
     * The groups in the order they are warmed, the most work of a training step first, one group at a time:
     * the next starts when the one before is ready (or set aside, or abandoned). Warming them side by side
     * put every group's Vector API fallback code in the one C2 thread's queue at once; one at a time, the
     * blocked GEMM was ready after 1.5–1.7 s of warm-up instead of 2.1–2.2 s, and the first 1,000 steps of
     * 784-256-128-10 took 3.6–3.8 s instead of 3.9–4.0 s (three fresh JVMs each, ad hoc, 2 vCPUs). The groups
     * the caller has called come first, in this order ({@link #next}), so that a program that only predicts
     * gets its few-row GEMM (third here: a training step with more than four rows calls it only for narrow
     * last columns of deep products) before the training step's groups.
     */
    static final int[] PRIORITY = {0, 10, 1, 3, 13, 7, 4, 2, 5, 11, 12, 6, 8, 9, 14};
    /** How long a round runs the SIMD calls of the group being warmed, before timing them: 12 ms. */
    static final long SLICE_NANOS = 12_000_000L;
    /** The longest wait for the twin to be compiled before the SIMD warm-up starts: 400 ms. */
    static final long TWIN_FIRST_NANOS = 400_000_000L;
    /**
     * With two cores or fewer, the SIMD warm-up pauses for this long from the caller's first kernel call:
     * 0.5 s. Its thread and the JIT's would share the caller's cores while the caller runs the twin and the JIT
     * compiles it (README's main job, three runs each: trained in 0.6–0.9 s with the warm-up from 0.4 s on,
     * 0.4 s from 1 s on), and a short job gains nothing from warming then. Before the caller's first call
     * (while it loads its data and builds its network, a core it does not use for kernels) the warm-up runs at
     * once. With {@link #COUNTED_LOOP} the warm-up takes half as long as before, and a pause of 0.5 s instead
     * of 1 s brought the SIMD kernels to 784-256-128-10 sooner: its first 1,023 steps took 2.5–2.6 s instead
     * of 2.9–3.4, its first 127 as long (0.48–0.51 s), while with no pause those took 0.53–0.58 s
     * ({@code ColdStartCurve --run auto}, three fresh JVMs each, interleaved, 2-vCPU Zen 5).
     */
    static final long FEW_CORES_DELAY_NANOS = 500_000_000L;
    /**
     * How much longer than the twin's a good round of SIMD calls may take: compiled, the two take about as
     * long on the warm-up's small inputs (per-call work, not arithmetic, dominates; single rounds differed by
     * up to 1.3× either way on two busy cores), while code still in the Java fallback takes 2× to 400× as
     * long.
     */
    static final double TWIN_SLACK = 1.5;
    /** Good rounds in a row before a group is ready. */
    static final int CONFIRMATIONS = 3;
    /** How long a group is warmed before it is left to the twin for a while ({@link #retryDelayNanos}): 30 s. */
    static final long GIVE_UP_NANOS = 30_000_000_000L;
    /** The longest wait before a group set aside is warmed again: 32 min. */
    static final long MAX_RETRY_DELAY_NANOS = 64 * GIVE_UP_NANOS;

    /**
     * How long a group waits, after its {@code failures}-th window of {@link #GIVE_UP_NANOS} without being
     * compiled, before it is warmed again: 30 s, then twice as long each time up to
     * {@link #MAX_RETRY_DELAY_NANOS}. A busy machine (other JVMs, a Spark executor's many threads) can keep
     * the JIT from compiling the kernels for a while; a JVM whose JIT never compiles them gets ever rarer
     * attempts, not a core taken for good.
     */
    static long retryDelayNanos(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be >= 1: " + failures);
        }
        return failures > 6 ? MAX_RETRY_DELAY_NANOS
                : Math.min(MAX_RETRY_DELAY_NANOS, GIVE_UP_NANOS << (failures - 1));
    }
    /**
     * The budget of a round, a ceiling that only the Java fallback exceeds: this much per call ... Compiled
     * SIMD code takes 1–5 µs a call on the warm-up's small inputs, the fallback 100 µs or more (code only
     * partly compiled is caught by {@link #TWIN_SLACK}). (A tight budget, 3 µs a call and SIMD no slower
     * than the twin, left the blocked GEMM group hovering at it on a slower Intel AVX-512 machine: 35–49 µs
     * a round against 35 µs, the twin 31–46 µs, for the 8 s of a 64-128-10 run, so that no group after it
     * was ever warmed.)
     */
    static final long NANOS_PER_CALL = 12_000;
    /** ... plus this much per vector operation's worth of work (the Java fallback takes 50 or more). */
    static final double NANOS_PER_VECTOR_OP = 1.0;

    private final SimdKernels simd;
    private final TwinKernels twin;
    /** Why the Vector API will not become vector code, from the JVM's flags as JMX reports them, or null. */
    private final Supplier<String> recheck;
    private volatile int ready;
    /** Groups the caller has called ({@link #want}) and groups it is expected to call ({@link #expect}). */
    private volatile int wanted;
    private volatile int expected;
    private volatile int abandoned;
    /** The most threads the caller's calls are split over ({@link #splitsOver}); 1 until it says more. */
    private volatile int splitThreads = 1;
    /** The SIMD kernels on {@link #splitThreads} threads, as a caller gets them and splitting always (warm-up thread). */
    private SimdKernels simdSplit;
    private SimdKernels simdSplitAlways;
    /** When the caller first asked whether a group is ready (its first kernel call), or 0. */
    private volatile long firstCall;
    private Thread thread;
    /** When each group was first wanted, and its good rounds in a row (warm-up thread only). */
    private final long[] since = new long[GROUPS];
    private final int[] good = new int[GROUPS];
    private final long[] readyAfter = new long[GROUPS];
    /** Groups set aside after a window without compiling; when each is warmed again; how often (warm-up thread). */
    private int setAside;
    private final long[] retryAt = new long[GROUPS];
    private final int[] failures = new int[GROUPS];
    /** Rounds run so far (warm-up thread). */
    private int rounds;

    SimdWarmup(SimdKernels simd, TwinKernels twin, Supplier<String> recheck) {
        this.simd = simd;
        this.twin = twin;
        this.recheck = recheck;
    }

    @Override
    public boolean ready(int groups) {
        if (firstCall == 0) {
            long now = System.nanoTime();
            firstCall = now == 0 ? 1 : now;
        }
        return (ready & groups) == groups;
    }

    @Override
    public void splitsOver(int threads) {
        if (threads > splitThreads) {
            splitThreads = threads;
        }
    }

    @Override
    public void want(int groups) {
        if ((wanted & groups) == groups) {
            return;
        }
        synchronized (this) {
            wanted |= groups;
            startOrWake();
        }
    }

    /**
     * Asks for groups that the caller is expected to use but has not called yet: they are warmed after the
     * groups it has called ({@link #want}), so that a program that only predicts gets its few-row GEMM first,
     * not the training step's kernels.
     */
    void expect(int groups) {
        synchronized (this) {
            expected |= groups;
            startOrWake();
        }
    }

    /** Starts the warm-up thread, or wakes it if it waits for work. Holds the lock. */
    private void startOrWake() {
        if (thread == null) {
            thread = new Thread(new Runnable() { // not a lambda: see KernelProvider.JmxRecheck
                @Override
                public void run() {
                    SimdWarmup.this.run();
                }
            }, THREAD_NAME);
            thread.setDaemon(true);
            thread.start();
        } else {
            LockSupport.unpark(thread);
        }
    }

    /**
     * The decision of one round, a pure function: the SIMD calls took {@code simdNanos} (the fastest of a few
     * repetitions), the twin's {@code twinNanos}, and compiled SIMD code needs at most {@code budgetNanos}.
     */
    static boolean compiled(long simdNanos, long twinNanos, long budgetNanos) {
        return simdNanos <= TWIN_SLACK * twinNanos && simdNanos <= budgetNanos;
    }

    private void run() {
        Workloads work = new Workloads(SimdKernels.SPECIES.length(), GemmShape.L);
        GemmPack.transposes = false; // until the PACKING group is ready
        letTheTwinCompile(work);
        boolean checked = false;
        while (true) {
            int todo = (wanted | expected) & ~ready & ~abandoned;
            if (todo == 0) {
                LockSupport.park(this);
                continue;
            }
            long wait = backFromTheSide();
            if ((todo & ~setAside) == 0) {
                LockSupport.parkNanos(this, wait); // a want() of another group wakes it at once
                continue;
            }
            todo &= ~setAside;
            pauseInTheCallersFirstSecond();
            if (!checked) {
                checked = true;
                if (!vectorCodeConfirmed()) {
                    return;
                }
            }
            int g = next(todo, wanted);
            long start = System.nanoTime();
            round(g, work, SLICE_NANOS);
            restOnFewCores(System.nanoTime() - start);
        }
    }

    /**
     * The group to warm next among {@code todo} (not empty): the first in {@link #PRIORITY} order that the
     * caller has called ({@code called}), else the first.
     */
    static int next(int todo, int called) {
        int first = -1;
        for (int g : PRIORITY) {
            if ((todo & (1 << g)) != 0) {
                if ((called & (1 << g)) != 0) {
                    return g;
                }
                first = first < 0 ? g : first;
            }
        }
        return first;
    }

    /** Takes back the groups set aside whose time has come; returns the wait for the next one, at most 1 s. */
    private long backFromTheSide() {
        long now = System.nanoTime();
        long wait = 1_000_000_000L;
        for (int g = 0; g < GROUPS; g++) {
            if ((setAside & (1 << g)) != 0) {
                long left = retryAt[g] - now;
                if (left <= 0) {
                    setAside &= ~(1 << g);
                    since[g] = 0;
                    good[g] = 0;
                } else {
                    wait = Math.min(wait, left);
                }
            }
        }
        return wait;
    }

    /**
     * The flags as HotSpot reports them (35–50 ms of JMX, so here, on this thread, and not at start): where
     * they show that the Vector API will not become vector code, every group is abandoned, the twin keeps
     * every call (the same bits), and no time goes into a warm-up that cannot succeed.
     */
    private boolean vectorCodeConfirmed() {
        String noVectorCode = recheck.get();
        if (noVectorCode != null) {
            abandoned = (1 << GROUPS) - 1;
            KernelLog.get().log(Level.WARNING, "vecmlp: the SIMD kernels' scalar twin (the same bits) runs every"
                    + " call from now on, because the JVM's flags, as JMX reports them, say: " + noVectorCode);
            return false;
        }
        KernelLog.get().log(Level.DEBUG, "vecmlp: the JVM's flags allow vector code; warming the SIMD kernels up");
        return true;
    }

    /**
     * Waits, at most {@link #TWIN_FIRST_NANOS}, until the twin's GEMM is compiled (its time on the warm-up
     * calls has stopped falling) or the caller makes its first kernel call, calling it now and then, before any
     * SIMD warm-up: the caller runs on the twin meanwhile, and the JIT's threads (one C1 and one C2 on two
     * cores) then compile the twin's loops first instead of queueing them behind the Vector API's methods,
     * which take far longer to compile. The calls are a small MLP's training step ({@link Workloads#runTwinFirst}):
     * C2 compiles the twin's loops with the profile of the calls made before, and the warm-up's GEMM calls,
     * which take every branch of the SIMD GEMM on rows of a few dozen columns, had it compile more than a
     * caller needs (ColdStartBenchmark, 15 forks each: 784-256-128-10's first 100 steps 349 ms against 358 with
     * the GEMM group's calls; README's main job level).
     * On two cores or fewer it waits the whole {@link #TWIN_FIRST_NANOS}: a caller whose first kernel call
     * comes within it (a short job, README's main job) then keeps its cores (see
     * {@link #FEW_CORES_DELAY_NANOS}); one that is still loading its data after it gets the warm-up at once.
     */
    private void letTheTwinCompile(Workloads work) {
        long start = System.nanoTime();
        twinFirst(work, start);
        if (Runtime.getRuntime().availableProcessors() <= 2) {
            parkUntil(start + TWIN_FIRST_NANOS);
        }
    }

    /** On two cores or fewer, waits while the caller is in its first {@link #FEW_CORES_DELAY_NANOS} of kernel calls. */
    private void pauseInTheCallersFirstSecond() {
        if (Runtime.getRuntime().availableProcessors() > 2) {
            return;
        }
        long first = firstCall;
        if (first != 0) {
            parkUntil(first + FEW_CORES_DELAY_NANOS);
        }
    }

    /**
     * On two cores or fewer, rests as long as the round took: half the time on a core, which the JIT's
     * compiler threads and the caller need more. While the warm-up runs, the caller, this thread and the C2
     * thread (busy all along) share two cores, and the SIMD kernels are ready only once C2 has compiled
     * them: warming without a rest, the first 1,023 steps of 784-256-128-10 took 8.5–9.2 s and the blocked
     * GEMM was ready 4.1–5.1 s in; resting 12 ms after each round (about as long as one takes), 7.1–8.8 s
     * and 4.0–5.0 s; resting 36 ms, 6.7–8.4 s and 5.0–5.8 s (Intel AVX-512 machine, JDK 17, 4, 7 and 4
     * fresh JVMs, interleaved).
     */
    private static void restOnFewCores(long roundNanos) {
        if (Runtime.getRuntime().availableProcessors() <= 2) {
            parkUntil(System.nanoTime() + roundNanos);
        }
    }

    /** Sleeps until {@code System.nanoTime()} reaches {@code deadline}. */
    private static void parkUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private void twinFirst(Workloads work, long start) {
        long best = Long.MAX_VALUE;
        int stable = 0;
        // Once the caller calls kernels, its own calls compile the twin's paths it takes; these calls would only
        // add compilations it does not need to the JIT's queue (ColdStartBenchmark, with the earlier calls:
        // 64-128-10's first 1,000 steps 157 ms median instead of 165, 12 forks each; 784-256-128-10's first 100
        // steps 398 instead of 411, 8 forks each).
        while (stable < 3 && System.nanoTime() - start < TWIN_FIRST_NANOS && firstCall == 0) {
            long t0 = System.nanoTime();
            work.runTwinFirst(twin);
            long t = System.nanoTime() - t0;
            stable = t < best * 0.9 ? 0 : stable + 1;
            best = Math.min(best, t);
            LockSupport.parkNanos(10_000_000L);
        }
    }

    /** One round for group {@code g}: warm calls, then the timed SIMD and twin calls and the decision. */
    private void round(int g, Workloads work, long slice) {
        int bit = 1 << g;
        long now = System.nanoTime();
        if (since[g] == 0) {
            since[g] = now;
        }
        try {
            Workloads.Load load = work.loads[g];
            // A caller's thread starts with empty scratch: the allocating branches must be in the profile too
            // (the packed blocks, 2.2 MiB, one round in eight).
            GemmWorkspace.local().forgetGrown(++rounds % 8 == 0);
            // Compilation counts calls and loop iterations: many cheap calls in a slice of time.
            long end = now + slice;
            int n = 0;
            work.runShared(g, simd);
            splitToo(g, work);
            work.runShared(g, twin);
            do {
                work.run(g, simd, (n++ & 7) == 0);
            } while (System.nanoTime() < end);
            long s = Long.MAX_VALUE;
            long t = Long.MAX_VALUE;
            for (int r = 0; r < 3; r++) {
                long t0 = System.nanoTime();
                work.run(g, simd, true);
                long t1 = System.nanoTime();
                work.run(g, twin, true);
                long t2 = System.nanoTime();
                s = Math.min(s, t1 - t0);
                t = Math.min(t, t2 - t1);
            }
            long budget = load.calls * NANOS_PER_CALL + (long) (load.vectorOps * NANOS_PER_VECTOR_OP);
            good[g] = compiled(s, t, budget) ? good[g] + 1 : 0;
            long simdNanos = s;
            long twinNanos = t;
            KernelLog.get().log(Level.TRACE, () -> String.format(
                    "vecmlp warm-up %.0f ms %s: simd %d ns, twin %d ns, budget %d ns",
                    (now - since[g]) / 1e6, NAMES[g], simdNanos, twinNanos, budget));
            if (good[g] >= CONFIRMATIONS) {
                readyAfter[g] = System.nanoTime() - since[g];
                ready |= bit;
                if (bit == PACKING) {
                    GemmPack.transposes = true;
                }
                KernelLog.get().log(Level.DEBUG, () -> "vecmlp: SIMD " + NAMES[g] + " compiled after "
                        + readyAfter[g] / 1_000_000 + " ms of warm-up");
            } else if (now - since[g] > GIVE_UP_NANOS) {
                setAside(g);
            }
        } catch (RuntimeException | Error e) {
            abandon(g, "its warm-up failed: " + e);
        }
    }

    /**
     * Once a round, where the caller's calls are split over several threads: group {@code g}'s split calls on
     * the SIMD kernels with that many threads, as the caller has them (small calls, not split) and splitting
     * always. The warm-up's other calls run on one thread, and its compiled code met the caller's first split
     * product after the switch with traps: HotSpot threw away {@code Gemm.sgemm}, {@code partition},
     * {@code runChunk} and {@code blocked} and compiled them again (361 ms of C2 in one JIT log), and later the
     * split optimizer updates' methods (bench/README.md, "Split calls in the warm-up").
     */
    private void splitToo(int g, Workloads work) {
        int threads = splitThreads;
        if (threads <= 1) {
            return;
        }
        if (simdSplit == null || simdSplit.threads() != threads) {
            simdSplit = new SimdKernels(threads);
            simdSplitAlways = SimdKernels.splittingAlways(threads);
        }
        work.runSplit(g, simdSplit);
        work.runSplit(g, simdSplitAlways);
    }

    /**
     * The iterations of the empty loop that opens each method on the blocked GEMM's path (and the SIMD Adam,
     * derivative and reduction methods), so that each call counts that many loop iterations towards the
     * method's compilation. HotSpot compiles a method with C1
     * after 200 calls, or 100 and 2,000 calls plus loop iterations, and with C2 after 5,000 calls, or 600 and
     * 15,000 calls plus loop iterations, counted in code that runs the Vector API's slow Java fallback; the
     * warm-up's calls loop little (small inputs), so each method needed thousands of calls. With 24 iterations a
     * call, 600 calls make 15,000: C2 is asked for a method about as soon as it may be (HotSpot checks at every
     * 8,192nd iteration and 1,024th call); at 40,000 iterations it would compile the loop alone (on-stack
     * replacement), well past that point. Compiled, the empty loop is gone. {@code ColdStartCurve --run auto
     * 784-256-128-10:128} on the 2-vCPU Zen 5, fresh JVMs interleaved: the blocked GEMM ready after 1.2–1.5 s of
     * warm-up instead of 2.1–2.8 s (JDK 17; {@code -XX:+PrintTieredEvents}: {@code GemmKernel.kernel12}, the
     * 12-row kernel of the time, sent to C2 after 940 calls instead of 5,504).
     */
    static final int COUNTED_LOOP = 24;

    /** Leaves group {@code g} to the twin for {@link #retryDelayNanos}; the next group is warmed meanwhile. */
    private void setAside(int g) {
        int n = ++failures[g];
        long delay = retryDelayNanos(n);
        setAside |= 1 << g;
        retryAt[g] = System.nanoTime() + delay;
        KernelLog.get().log(n == 1 ? Level.INFO : Level.DEBUG, "vecmlp: the SIMD " + NAMES[g] + " kernels were not"
                + " compiled to vector code after " + GIVE_UP_NANOS / 1_000_000_000 + " s of warm-up; their scalar"
                + " twin (the same results) runs them, and the warm-up tries again in " + delay / 1_000_000_000 + " s");
    }

    private void abandon(int g, String why) {
        abandoned |= 1 << g;
        KernelLog.get().log(Level.INFO, "vecmlp: the SIMD " + NAMES[g] + " kernels were " + why
                + "; their scalar twin (the same results) runs them instead");
    }

    /**
     * The warm-up calls of each group: small inputs shaped so that every branch the real calls may take is
     * taken (each transpose, partial and narrow panels, several depth passes, every epilogue, every
     * activation, vector bodies and scalar tails), their mutable buffers restored before each run so values
     * stay in range (no denormals, which would slow any code).
     */
    static final class Workloads {

        /** One group's calls: how many, and their work in vector operations. */
        static final class Load {
            final int calls;
            final long vectorOps;

            Load(int calls, long vectorOps) {
                this.calls = calls;
                this.vectorOps = vectorOps;
            }
        }

        private static final Transpose NO = Transpose.NO;
        private static final Transpose YES = Transpose.YES;
        private static final int DROP_THRESHOLD = Kernels.dropoutThreshold(0.25f);
        private static final float DROP_SCALE = Kernels.dropoutScale(0.25f);
        /** {@link Kernels#adamStep}'s bias corrections at step 3 with betas 0.9 and 0.999. */
        private static final float ADAM_CORRECTION1 = (float) (1.0 - Math.pow(0.9f, 3));
        private static final float ADAM_CORRECTION2_SQRT = (float) Math.sqrt(1.0 - Math.pow(0.999f, 3));
        private static final Activation[] ACTIVATIONS = {Activation.IDENTITY, Activation.RELU,
            Activation.leakyRelu(0.1f), Activation.SIGMOID, Activation.TANH, Activation.SOFTMAX, Activation.ELU,
            Activation.SILU, Activation.GELU_TANH, Activation.SOFTPLUS, Activation.GELU};
        /** The activations whose derivatives {@link VectorMath#map} computes ({@link #ACTIVATION_BACKWARD_MATH}). */
        private static final Activation[] MAPPED_DERIVATIVES = {Activation.SILU, Activation.GELU_TANH,
            Activation.SOFTPLUS, Activation.GELU};

        final Load[] loads = new Load[GROUPS];
        private final float[] in = new float[BUFFER];
        private final float[] pristine = new float[BUFFER];
        final float[] out = new float[BUFFER];
        final float[] out2 = new float[BUFFER];
        private final int[] keys = {0x12345678, -7, 99};
        /** A packed B ({@link PackedMatrix}): the blocked path's branch that reads its panels. */
        private final PackedMatrix packedB;
        /** Ten columns laid out once: the narrow product a predictor's output layer makes. */
        private final PackedMatrix packedNarrow;
        /** Float lanes of the elementwise kernels' and of the GEMM's species. */
        private final int lanes;
        private final int l;
        /** The shapes of the calls, from the lane counts. */
        private final int deep;
        /** Rows of C in two blocks of {@link GemmShape#MC}. */
        private final int tall;
        private final int n3;
        private final int n4;
        private final int nPacked;
        private final int wide;
        private final int dotK;
        private final int n;
        private final int ld;
        private final int n5;
        /** A 1-D pass of two blocks of {@link ParallelElementwise#BLOCK} elements ({@link #runSplit}). */
        private final int big;
        /** The buffers' length: two passes of {@link #big} elements (Adam's two moments). */
        static final int BUFFER = 2 * ParallelElementwise.BLOCK + 1024;

        Workloads(int lanes, int gemmLanes) {
            Random rnd = new Random(1);
            for (int i = 0; i < in.length; i++) {
                in[i] = rnd.nextFloat() * 2f - 1f;
                pristine[i] = rnd.nextFloat() * 0.5f + 0.25f;
            }
            this.lanes = lanes;
            l = gemmLanes;
            int nr = 2 * l;
            deep = GemmShape.KC + 1;
            tall = GemmShape.MC + 8;
            n3 = nr + 3;
            n4 = nr + l + 2;
            nPacked = Gemm.PACK_A_MIN_PANELS * nr + 2; // A packed whole (GemmKernel.kernelPacked)
            wide = GemmSmall.WIDTH + 8 * l + l + 3; // every register path of GemmSmall.rowTimesB, then the rest
            dotK = 5 * l + 3;
            n = 2 * lanes + 3;
            ld = n + 1;
            n5 = 5 * lanes + 3;
            big = ParallelElementwise.BLOCK + n;
            float[] w = Arrays.copyOfRange(in, 5, 5 + 2 * nPacked);
            packedB = new PackedMatrix(2, nPacked, w, GemmPack.packWhole(2, nPacked, w));
            float[] w10 = Arrays.copyOfRange(in, 7, 7 + 3 * 10);
            packedNarrow = new PackedMatrix(3, 10, w10, GemmPack.packWhole(3, 10, w10));
            loads[0] = new Load(21, gemmOps(l, 2 * 7 * n3 * 3 + 50 * n4 * 2 + 2 * 13 * nPacked * 2 + 7 * n4 * 3
                    + 13 * n3 * 2 + 2 * 7 * n3 * 3 + 5 * n3 * 10 + 7 * 10 * 3 + 5 * l * deep
                    + 25 * nPacked * 2 + 50 * 20 * 2 + (4 * l + 8) * 2 * nr * 2 + 3 * (4 * l + 8) * 10 * 3
                    + 5 * nr * deep + tall * n3 * 2));
            loads[1] = new Load(6, gemmOps(l, (2 * l + 3) * 6 + 2 * wide * 5 + 3 * (2 * l + 3) * 6 + 3 * 5 * dotK
                    + 2 * 5 * dotK + (2 * l + 3) * deep));
            loads[2] = new Load(ACTIVATIONS.length + 5, (long) (3 * n * 60) / lanes
                    + gemmOps(l, 2 * 7 * n3 * 3 + 7 * 10 * 3));
            loads[3] = new Load(ACTIVATIONS.length, (long) (3 * n * 12) / lanes);
            loads[4] = new Load(1, (long) (3 * n5) / lanes);
            loads[5] = new Load(2, (long) (3 * n) / lanes);
            loads[6] = new Load(1, n / lanes);
            loads[7] = new Load(3, (long) (2 * n5) / lanes);
            loads[8] = new Load(1, (long) (3 * n) / lanes);
            loads[9] = new Load(2, (long) (8 * n) / lanes);
            loads[10] = new Load(2, (long) (2 * 16 * n) / lanes);
            loads[11] = new Load(1, (long) (3 * n * 4) / lanes);
            loads[12] = new Load(3, (long) (3 * n * 12) / lanes);
            loads[13] = new Load(MAPPED_DERIVATIVES.length, (long) (3 * n * 12) / lanes);
            loads[14] = new Load(2, 4 * 80 + 8 * 160); // transposes: 4 blocks of 8 rows, 8 of 16 × 16
        }

        /**
         * Runs group {@code g}'s calls on {@code k}. A switch, not a lambda per group: in a fresh JVM the
         * thirteen lambdas' classes were spun over about 50 ms of the warm-up thread's start (class-load log
         * of README's main job), while the caller loaded its data on the other core (eight interleaved pairs of
         * the main job: no difference beyond the noise).
         *
         * <p>The calls go to the kernels' hooks ({@link Kernels#sgemmK} and the like), not through the public
         * methods that check arguments: the caller's compiled code shares those, and calls on two more classes
         * of kernels there (the SIMD kernels and their twin, besides the caller's {@link WarmingKernels}) made
         * HotSpot throw it away once each while the caller trained (JIT log: class-check traps in
         * {@code Kernels.columnSums} and {@code Kernels.sumOfSquares}). The calls are valid all the same.
         *
         * <p>The blocked GEMM's calls use no sigmoid, tanh or softmax epilogue on whole vectors: a product with
         * one needs the activation-forward group too ({@link WarmingKernels#gemmGroups}), and warming it with the
         * GEMM put the exp polynomials ({@link VectorMath#map}, the largest method C2 compiles for vecmlp) and
         * their Vector API fallback into the JIT's queue ahead of the GEMM's own methods. Those products are
         * warmed with the activation-forward group instead, once the GEMM is compiled (784-256-128-10, six
         * interleaved fresh JVMs of {@code ColdStartCurve --run auto}: the GEMM ready after 2.3–2.9 s of warm-up
         * instead of 3.4–4.2 s); the driver's branches for them are taken on three columns ({@link #runShared}).
         *
         * <p>With {@code deepToo} false the GEMM's deep products (two depth passes, a few thousand loop
         * iterations in the packing per call) are left out: a round runs them in one of every eight runs of the
         * group's calls in its slice, and in every timed run, so their branches are in the profile while their
         * loops count for less towards on-stack-replacement compilations (HotSpot compiles a method whose calls
         * loop more than about 55 times each first that way, one compilation per hot loop, then again as a
         * standard method; see {@link TwinKernels#PIECE}). Four interleaved pairs of fresh JVMs as above: the
         * GEMM ready after 2.1–2.6 s instead of 2.5–2.9 s; the compilation log still shows such compilations of
         * the packing, {@code mergeEdge} and {@code blocked} (the other calls loop enough too).
         *
         * <p>The calls run with them, as rarely, are there for their branches alone: each takes a branch of
         * the packing or of the driver that a training step takes and the other calls do not. Compiled code
         * meets a branch its profile never saw with a trap: the JIT throws the method away, and until it has
         * compiled it again the caller's products run in the interpreter and the Vector API's Java fallback.
         * So it was when the caller switched to these kernels (784-256-128-10 at batch 128, JFR's
         * deoptimization events: {@code GemmPack.packA}, {@code Gemm.partition}, {@code Gemm.edgeColumns} and
         * the workspace's first allocation, {@link GemmWorkspace#forgetGrown}): about ten steps took 20–110 ms
         * instead of 3, and with these calls none did (bench/README.md, "The switch to the SIMD kernels").
         */
        void run(int g, Kernels k, boolean deepToo) {
            switch (g) {
                case 0:
                    restore(50 * n4);
                    k.sgemmBiasActivationK(NO, NO, 7, n3, 3, in, 1, 3, in, 2, n3, in, 3, Activation.RELU, out, 0, n3);
                    k.sgemmBiasActivationK(NO, NO, 7, n3, 3, in, 1, 3, in, 2, n3, in, 3, Activation.IDENTITY,
                            out, 0, n3);
                    k.sgemmK(NO, NO, 50, n4, 2, 1f, in, 0, 2, in, 5, n4, 0f, out, 0, n4);
                    k.sgemmK(NO, YES, 13, nPacked, 2, 1f, in, 0, 2, in, 5, 2, 0f, out, 0, nPacked);
                    k.sgemmBiasActivationPackedK(NO, 13, nPacked, 2, in, 0, 2, packedB, in, 3, Activation.RELU, out, 0,
                            nPacked);
                    k.sgemmK(YES, NO, 7, n4, 3, 0.5f, in, 0, 7, in, 1, n4, 0.25f, out, 0, n4);
                    // lda 128: A packed whole; 13 rows: a full panel of the transposed A (a vector copy) too
                    k.sgemmK(YES, NO, 13, n3, 2, 1f, in, 0, 128, in, 3, n3, 0f, out, 0, n3);
                    k.sgemmBiasActivationK(NO, YES, 7, n3, 3, in, 0, 3, in, 1, 3, in, 2, Activation.leakyRelu(0.1f),
                            out, 0, n3);
                    k.sgemmBiasActivationK(YES, YES, 7, n3, 3, in, 0, 7, in, 1, 3, in, 2, Activation.IDENTITY,
                            out, 0, n3);
                    k.sgemmBiasActivationK(YES, YES, 5, n3, 10, in, 0, 5, in, 1, 10, in, 2, Activation.RELU,
                            out, 0, n3);
                    k.sgemmBiasActivationK(NO, NO, 7, 10, 3, in, 0, 3, in, 1, 10, in, 2, Activation.RELU,
                            out, 0, 10);
                    if (deepToo) {
                        k.sgemmK(NO, NO, 5, l, deep, 1f, in, 0, deep, in, 1, l, 0f, out, 0, l); // two depth passes
                        k.sgemmK(NO, NO, 5, 2 * l, deep, 1f, in, 0, deep, in, 1, 2 * l, 0f, out, 0, 2 * l); // no edge
                        // The branches a training step takes that the calls above do not: a transposed A whose
                        // last rows end its array (the vector copies stop short of it), a packed full panel that
                        // is the last one, more rows than columns (with one column panel, and with two), and a
                        // narrow C computed as its transpose.
                        k.sgemmK(YES, NO, 13, nPacked, 2, 1f, in, in.length - 141, 128, in, 5, nPacked, 0f, out, 0,
                                nPacked);
                        k.sgemmK(NO, NO, 12, nPacked, 2, 1f, in, 0, 2, in, 5, nPacked, 0f, out, 0, nPacked);
                        k.sgemmK(NO, NO, 50, 20, 2, 1f, in, 0, 2, in, 5, 20, 0f, out, 0, 20);
                        k.sgemmK(NO, NO, 4 * l + 8, 4 * l, 2, 1f, in, 0, 2, in, 5, 4 * l, 0f, out, 0, 4 * l);
                        k.sgemmBiasActivationK(NO, NO, 4 * l + 8, 10, 3, in, 0, 3, in, 1, 10, in, 2, Activation.RELU,
                                out, 0, 10);
                        k.sgemmK(YES, NO, 4 * l + 8, 10, 3, 1f, in, 0, 4 * l + 8, in, 1, 10, 0f, out, 0, 10);
                        // The same narrow C with B laid out once, which is never swapped (a predictor's output
                        // layer at a batch of 2L rows or more).
                        k.sgemmBiasActivationPackedK(NO, 4 * l + 8, 10, 3, in, 0, 3, packedNarrow, in, 1,
                                Activation.RELU, out, 0, 10);
                        // More rows than one block of A (a training step's dW = Aᵀ·G of a layer of more than
                        // MC units): without it, the blocked driver compiled from the calls above met its first
                        // such product with a loop-predicate trap (JFR, every fresh JVM training 784-256-128-10).
                        k.sgemmK(NO, NO, tall, n3, 2, 1f, in, 0, 2, in, 5, n3, 0f, out, 0, n3);
                    }
                    return;
                case 1:
                    restore(2 * wide);
                    k.sgemmBiasActivationK(NO, NO, 1, 2 * l + 3, 6, in, 0, 6, in, 1, 2 * l + 3, in, 2,
                            Activation.RELU, out, 0, 2 * l + 3);
                    k.sgemmBiasActivationK(NO, NO, 2, wide, 5, in, 0, 5, in, 1, wide, in, 2,
                            Activation.leakyRelu(0.1f), out, 0, wide);
                    k.sgemmK(YES, NO, 3, 2 * l + 3, 6, 0.5f, in, 0, 3, in, 1, 2 * l + 3, 0.25f, out, 0, 2 * l + 3);
                    k.sgemmBiasActivationK(NO, YES, 3, 5, dotK, in, 0, dotK, in, 1, dotK, in, 2, Activation.RELU,
                            out, 0, 5);
                    k.sgemmBiasActivationK(YES, YES, 2, 5, dotK, in, 0, 2, in, 1, dotK, in, 2, Activation.SIGMOID,
                            out, 0, 5);
                    // Deeper than KC (a batch-1 prediction's 784-wide input layer): the driver's test for a
                    // narrow last panel of a deep product then takes its other outcome too (JFR: a trap).
                    k.sgemmBiasActivationK(NO, NO, 1, 2 * l + 3, deep, in, 0, deep, in, 1, 2 * l + 3, in, 2,
                            Activation.RELU, out, 0, 2 * l + 3);
                    return;
                case 2:
                    for (Activation act : ACTIVATIONS) {
                        k.activationForwardK(act, 3, n, in, 0, ld, out, 0, ld);
                    }
                    k.activationForwardK(Activation.SOFTMAX, 3, 10, in, 0, 10, out, 0, 10);
                    // One row (a batch-1 prediction's output layer): without it, its first call trapped (JFR).
                    k.activationForwardK(Activation.SOFTMAX, 1, 10, in, 0, 10, out, 0, 10);
                    k.sgemmBiasActivationK(NO, NO, 7, n3, 3, in, 1, 3, in, 2, n3, in, 3, Activation.SIGMOID,
                            out, 0, n3);
                    k.sgemmBiasActivationK(YES, YES, 7, n3, 3, in, 0, 7, in, 1, 3, in, 2, Activation.TANH,
                            out, 0, n3);
                    k.sgemmBiasActivationK(NO, NO, 7, 10, 3, in, 0, 3, in, 1, 10, in, 2, Activation.SOFTMAX,
                            out, 0, 10);
                    return;
                case 3:
                    // The mapped derivatives on three columns (scalar tails, no vector work): their branches of
                    // the shared method are in its profile, and compiled code never traps on them.
                    for (Activation act : ACTIVATIONS) {
                        restore(3 * ld);
                        k.activationBackwardK(act, 3, act.needsPreactivation() ? 3 : n, pristine, 0, ld, out, 0, ld);
                    }
                    return;
                case 4:
                    k.columnSumsK(3, n5, in, 0, n5, out, 0);
                    return;
                case 5:
                    restore(3 * ld);
                    k.axpyK(n, -0.3f, in, 0, out, 0);
                    k.addBiasK(2, n, in, 0, out, 0, ld);
                    return;
                case 6:
                    restore(3 * ld);
                    k.scaleK(n, 0.999f, out, 0);
                    return;
                case 7:
                    out2[0] = k.dotK(n5, in, 0, pristine, 0) + k.dotK(lanes - 1, in, 0, pristine, 0)
                            + k.sumOfSquaresK(n5, in, 1);
                    return;
                case 8:
                    restore(3 * ld);
                    k.sgdStepK(n, 0.01f, 0.001f, out, 0, in, 0);
                    return;
                case 9:
                    restore(3 * ld);
                    k.momentumStepK(n, 0.01f, 0.9f, 0.001f, false, out, 0, in, 0, out2, 0);
                    k.momentumStepK(n, 0.01f, 0.9f, 0.001f, true, out, 0, in, 0, out2, 0);
                    return;
                case 10:
                    restore(3 * ld);
                    k.adamStepK(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, false, ADAM_CORRECTION1, ADAM_CORRECTION2_SQRT,
                            out, 0, in, 0, out2, 0, out2, n);
                    k.adamStepK(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, ADAM_CORRECTION1, ADAM_CORRECTION2_SQRT,
                            out, 0, in, 0, out2, 0, out2, n);
                    return;
                case 11:
                    k.dropoutK(3, n, DROP_THRESHOLD, DROP_SCALE, keys, 0, in, 0, ld, out, 0, ld);
                    return;
                case 12:
                    restore(4 * n + 3 * ld);
                    k.columnMeanAndVarianceK(3, n, in, 0, ld, out2, 0, out2, n);
                    k.normalizeColumnsK(3, n, in, 0, ld, out2, 0, pristine, 0, pristine, n, in, 0, out, 0, ld, out2,
                            4 * n, ld);
                    k.normalizeColumnsBackwardK(3, n, pristine, 0, ld, pristine, 1, pristine, 2, out, 0, ld, out2,
                            2 * n, out2, 3 * n);
                    return;
                case 13:
                    for (Activation act : MAPPED_DERIVATIVES) {
                        restore(3 * ld);
                        k.activationBackwardK(act, 3, n, pristine, 0, ld, out, 0, ld);
                    }
                    return;
                case 14:
                    // A full panel of 64 depths (four blocks of transposes each) and a partial one, of A and
                    // of a transposed B; the twin's side copies the same floats one by one, the time the
                    // transposes must beat.
                    GemmPack.packA(false, in, 0, 64, 0, 0, 13, 64, out, 0, !(k instanceof TwinKernels));
                    GemmPack.packB(true, in, 0, 64, 0, 0, 64, 2 * l + 1, out2, !(k instanceof TwinKernels));
                    return;
                default:
                    throw new IllegalArgumentException("group " + g + " is not in [0, " + GROUPS + ")");
            }
        }

        /**
         * Once a round, before group {@code g}'s calls: for the blocked GEMM, the branches of its driver
         * ({@link Gemm#sgemm}, shared by every product) that only other groups' products take: an activation
         * computed after the blocks (sigmoid), softmax, and a few rows (the GEMV path). Without them the driver
         * was compiled without those branches, and the first such product, warming another group while the
         * caller trained on the compiled GEMM, made HotSpot throw the driver away (and the caller's products
         * ran in the interpreter until C2 had compiled it again: JIT log of 784-256-128-10, up to 0.5 s of
         * slower steps). Three columns, so that their elementwise work is the scalar tails alone; once a
         * round, because each also calls methods the JIT then compiles.
         */
        void runShared(int g, Kernels k) {
            if (g == 0) {
                k.sgemmBiasActivationK(NO, NO, 7, 3, 3, in, 1, 3, in, 2, 3, in, 3, Activation.SIGMOID, out, 0, 3);
                k.sgemmBiasActivationK(NO, NO, 7, 3, 3, in, 1, 3, in, 2, 3, in, 3, Activation.SOFTMAX, out, 0, 3);
                k.sgemmBiasActivationK(NO, NO, 2, 3, 3, in, 1, 3, in, 2, 3, in, 3, Activation.SIGMOID, out, 0, 3);
                // The packing's call of its register transposes (one block), so that packA's compiled code has
                // it for when the PACKING group, warmed last, turns them on (GemmPack.transposes); once a round,
                // so that the transposes themselves are not brought to C2 meanwhile (one took 207 ms of C2's time
                // in the GEMM's warm-up when called in every deep run). The twin's side copies the same floats.
                GemmPack.packA(false, in, 0, 16, 0, 0, 13, 16, out2, 0, !(k instanceof TwinKernels));
                GemmPack.packB(true, in, 0, 16, 0, 0, 16, 2 * l, out2, !(k instanceof TwinKernels));
            } else if (g == 7) {
                // More than a block: the blocks' sums added in order (the input check of a batch of 128 × 784).
                out2[1] = k.sumOfSquaresK(big, in, 1);
            }
        }

        /**
         * A training step's products of a small MLP (32 samples, 32 inputs, 64 hidden units with ReLU, 10
         * outputs): what the twin is called with before the caller's first call ({@link SimdWarmup#twinFirst}).
         */
        void runTwinFirst(Kernels k) {
            // forward: the hidden layer, then the output layer (a narrow C)
            k.sgemmBiasActivationK(NO, NO, 32, 64, 32, in, 0, 32, in, 1, 64, in, 2, Activation.RELU, out, 0, 64);
            k.sgemmBiasActivationK(NO, NO, 32, 10, 64, out, 0, 64, in, 3, 10, in, 4, Activation.IDENTITY, out2, 0, 10);
            // backward: the output layer's weights' gradient, the hidden layer's delta, its weights' gradient
            k.sgemmK(YES, NO, 64, 10, 32, 1f, out, 0, 64, out2, 0, 10, 0f, out2, 320, 10);
            k.sgemmK(NO, YES, 32, 64, 10, 1f, out2, 0, 10, in, 3, 10, 0f, out2, 960, 64);
            k.sgemmK(YES, NO, 32, 64, 32, 1f, in, 0, 32, out2, 960, 64, 0f, out2, 3008, 64);
        }

        /**
         * Group {@code g}'s calls that the SIMD kernels split when they run on several threads ({@link
         * #splitToo}): products that are split by columns, with row groups and a shared packed A, by rows, and
         * on the few-row path; optimizer updates, a sum of squares and activation derivatives over more than a
         * block of {@link ParallelElementwise#BLOCK} elements. On one thread or small enough not to be split,
         * they are valid calls all the same (the twin's too).
         */
        void runSplit(int g, Kernels k) {
            int nr = 2 * l;
            switch (g) {
                case 0:
                    k.sgemmK(NO, NO, 96, 4 * nr, 2, 1f, in, 0, 2, in, 5, 4 * nr, 0f, out, 0, 4 * nr);
                    k.sgemmK(NO, YES, 60, 20, 3, 1f, in, 0, 3, in, 1, 3, 0f, out, 0, 20);
                    k.sgemmK(YES, NO, 13, nPacked, 2, 1f, in, 0, 128, in, 5, nPacked, 0f, out, 0, nPacked);
                    return;
                case 1:
                    k.sgemmK(NO, NO, 2, 4 * l, 5, 1f, in, 0, 5, in, 1, 4 * l, 0f, out, 0, 4 * l);
                    k.sgemmK(NO, YES, 2, 4 * l, 5, 1f, in, 0, 5, in, 1, 5, 0f, out, 0, 4 * l);
                    return;
                case 3:
                case 13: {
                    int rows = ParallelElementwise.BLOCK / n + 2; // two blocks of rows
                    restore(rows * ld);
                    k.activationBackwardK(g == 3 ? Activation.RELU : Activation.SILU, rows, n, pristine, 0, ld, out, 0,
                            ld);
                    return;
                }
                case 7:
                    out2[0] = k.sumOfSquaresK(big, in, 1);
                    return;
                case 8:
                    restore(big);
                    k.sgdStepK(big, 0.01f, 0.001f, out, 0, in, 0);
                    return;
                case 9:
                    restore(big);
                    k.momentumStepK(big, 0.01f, 0.9f, 0.001f, false, out, 0, in, 0, out2, 0);
                    k.momentumStepK(big, 0.01f, 0.9f, 0.001f, true, out, 0, in, 0, out2, 0);
                    return;
                case 10:
                    restore(2 * big);
                    k.adamStepK(big, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, false, ADAM_CORRECTION1, ADAM_CORRECTION2_SQRT,
                            out, 0, in, 0, out2, 0, out2, big);
                    k.adamStepK(big, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, ADAM_CORRECTION1, ADAM_CORRECTION2_SQRT,
                            out, 0, in, 0, out2, 0, out2, big);
                    return;
                default:
                    return; // nothing of this group is split
            }
        }

        private static long gemmOps(int lanes, long multiplyAdds) {
            return multiplyAdds / lanes;
        }

        /** Puts the part of the mutable buffers the calls use back to values in [0.25, 0.75). */
        private void restore(int length) {
            System.arraycopy(pristine, 0, out, 0, length);
            System.arraycopy(pristine, 0, out2, 0, length);
        }
    }
}
