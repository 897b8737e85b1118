package vecmlp.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The GEMM's worker threads: daemon threads created once (the pool grows to the largest parallelism ever
 * asked for), each with its own {@link GemmWorkspace}. A call hands its {@link Gemm.Job} to
 * {@code parts − 1} workers and works on it too, every thread taking chunks until none is left; nothing is
 * allocated per call. Workers spin briefly
 * after a job (back-to-back GEMMs of a training step then start without a wake-up), then park.
 *
 * <p>One job at a time: a call that finds the pool busy (another thread's GEMM) returns false and its
 * caller computes alone, which gives the same bits because the result never depends on the split.
 */
final class GemmPool {

    /** How long an idle worker spins before parking, in nanoseconds. */
    private static final long SPIN_NANOS = 50_000;

    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static final AtomicInteger PENDING = new AtomicInteger();
    private static volatile Thread waiter;
    private static volatile Throwable failure;
    private static Worker[] workers = new Worker[0];

    private GemmPool() {
    }

    /**
     * Runs the job's chunks on the calling thread and {@code parts − 1} workers; false (nothing done) if
     * the pool is busy.
     */
    static boolean run(Gemm.Job job, int parts, GemmWorkspace callerWorkspace) {
        if (!BUSY.compareAndSet(false, true)) {
            return false;
        }
        try {
            ensureWorkers(parts - 1);
            failure = null;
            waiter = Thread.currentThread();
            PENDING.set(parts - 1);
            job.nextChunk.set(0);
            for (int w = 0; w < parts - 1; w++) {
                workers[w].start(job);
            }
            Throwable own = null;
            try {
                Gemm.work(job, callerWorkspace);
            } catch (RuntimeException | Error e) {
                own = e;
            }
            // No chunk is left: a worker that has not woken up yet is not waited for.
            for (int w = 0; w < parts - 1; w++) {
                if (workers[w].cancel()) {
                    PENDING.decrementAndGet();
                }
            }
            long start = System.nanoTime();
            while (PENDING.get() != 0) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(GemmPool.class);
                }
            }
            Throwable t = own != null ? own : failure;
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            return true;
        } finally {
            waiter = null;
            BUSY.set(false);
        }
    }

    private static void ensureWorkers(int count) {
        if (workers.length >= count) {
            return;
        }
        Worker[] grown = java.util.Arrays.copyOf(workers, count);
        for (int w = workers.length; w < count; w++) {
            grown[w] = new Worker(w + 1);
            grown[w].start();
        }
        workers = grown;
    }

    private static final int IDLE = 0;
    private static final int ASSIGNED = 1;
    private static final int RUNNING = 2;

    private static final class Worker extends Thread {
        private final GemmWorkspace workspace = new GemmWorkspace();
        private volatile int generation;
        /** {@link #IDLE}, {@link #ASSIGNED} (handed a job, not yet started) or {@link #RUNNING}. */
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private int seen;
        private Gemm.Job job;

        Worker(int index) {
            super("vecmlp-gemm-" + index);
            setDaemon(true);
        }

        /** Hands the job over; the volatile writes publish the fields. */
        void start(Gemm.Job job) {
            this.job = job;
            state.set(ASSIGNED);
            generation = generation + 1;
            LockSupport.unpark(this);
        }

        /** Takes back a job this worker has not started; true if it will not run it. */
        boolean cancel() {
            if (state.compareAndSet(ASSIGNED, IDLE)) {
                job = null;
                return true;
            }
            return false;
        }

        @Override
        public void run() {
            while (true) {
                long start = System.nanoTime();
                while (generation == seen) {
                    if (System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                seen = generation;
                if (!state.compareAndSet(ASSIGNED, RUNNING)) {
                    continue; // cancelled: the caller finished every chunk before this thread woke up
                }
                try {
                    Gemm.work(job, workspace);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    job = null;
                    state.set(IDLE);
                    if (PENDING.decrementAndGet() == 0) {
                        LockSupport.unpark(waiter);
                    }
                }
            }
        }
    }
}
