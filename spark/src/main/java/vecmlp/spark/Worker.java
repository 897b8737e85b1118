package vecmlp.spark;

import java.util.Objects;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Mlp;
import vecmlp.nn.Workspace;

/**
 * What one executor thread keeps between tasks of one training run: a network, its workspace, a gradient
 * buffer, the gathered mini-batch (features and class labels, or real targets for losses other than
 * cross-entropy) and the current epoch's row order, all sized once (one per thread, never
 * one per record or per step). Held in a {@link ThreadLocal}: Spark's task threads are pooled, so a thread
 * reuses its worker for every step of a run; a new run (another run id) replaces it.
 */
final class Worker {

    private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();

    /** Single-threaded kernels: Spark runs one task per core, each task computes on its own thread. */
    static final Kernels KERNELS = Kernels.get().withThreads(1);

    final String runId;
    final Mlp mlp;
    final Workspace ws;
    final float[] grad;
    final float[] x;
    final int[] y;
    final float[] t;
    /** Smoothed target rows (label smoothing), allocated at first use. */
    private float[] smoothed;
    /** The gathered rows' ids in the data set (dropout's keys). */
    final int[] ids;
    /** The gathered rows' weights (used when the partition has weights). */
    final float[] weights;
    /** Whether the gathered rows carry weights. */
    private boolean weighted;
    private int[] order = new int[0];
    private int orderPartition = -1;
    private int orderEpoch = -1;

    private Worker(String runId, NetworkSpec spec, int maxBatch) {
        this.runId = runId;
        this.mlp = spec.withParameters(new float[spec.parameterCount()], KERNELS);
        this.ws = mlp.newWorkspace(maxBatch);
        this.grad = mlp.newGradients();
        this.x = new float[maxBatch * spec.inputSize()];
        this.y = new int[maxBatch];
        this.ids = new int[maxBatch];
        this.weights = new float[maxBatch];
        this.t = spec.loss() == vecmlp.nn.Loss.CROSS_ENTROPY ? null : new float[maxBatch * spec.outputSize()];
    }

    /** This thread's worker for run {@code runId}, created at the run's first task on this thread. */
    static Worker get(String runId, NetworkSpec spec, int maxBatch) {
        Worker w = CURRENT.get();
        if (w == null || !w.runId.equals(runId) || w.ws.maxBatch() < maxBatch) {
            w = new Worker(runId, spec, maxBatch);
            CURRENT.set(w);
        }
        return w;
    }

    /** Copies {@code params} and the running statistics into the network (no finiteness pass: the driver checked them). */
    void load(float[] params, float[] running) {
        System.arraycopy(params, 0, mlp.parameters(), 0, params.length);
        System.arraycopy(running, 0, mlp.runningStatistics(), 0, running.length);
    }

    /** The network's running statistics after this round's training passes (a copy), or null without any. */
    float[] running() {
        float[] r = mlp.runningStatistics();
        return r.length == 0 ? null : r.clone();
    }

    /** Partition {@code data}'s row order of {@code epoch} (computed once per epoch and partition). */
    int[] order(BatchPlan plan, PackedPartition data, int epoch) {
        if (orderPartition != data.partition || orderEpoch != epoch || order.length < data.rows) {
            if (order.length < data.rows) {
                order = new int[data.rows];
            }
            plan.order(data.partition, epoch, order);
            orderPartition = data.partition;
            orderEpoch = epoch;
        }
        return order;
    }

    /**
     * Gathers rows {@code order[from, from + rows)} of {@code data} into {@link #x} and {@link #y} (class labels)
     * or {@link #t} (real targets), and their ids ({@code rowOffset} + index in the partition) into {@link #ids}.
     */
    void gather(PackedPartition data, int[] order, int from, int rows, int rowOffset) {
        Objects.checkFromIndexSize(from, rows, data.rows);
        int cols = data.cols;
        int tc = data.targetCols;
        for (int r = 0; r < rows; r++) {
            int i = order[from + r];
            ids[r] = rowOffset + i;
            System.arraycopy(data.features, i * cols, x, r * cols, cols);
            if (data.weights != null) {
                weights[r] = data.weights[i];
            }
            if (data.labels != null) {
                y[r] = data.labels[i];
            } else {
                System.arraycopy(data.targets, i * tc, t, r * tc, tc);
            }
        }
        weighted = data.weights != null;
    }

    /**
     * The mean loss of the gathered {@code rows} and its gradient into {@link #grad}, a training pass whose
     * dropout masks are keyed by {@code seed}, {@code step} and the rows' {@link #ids}; class labels become the
     * target rows {@code (1 − ε)·onehot + ε/K} when {@code smoothing = ε > 0} (as core's {@code Trainer}); the
     * weighted mean over the rows' weights when the partition has them ({@code ws.lastWeight()} is their sum).
     */
    float gradient(int rows, long seed, long step, float smoothing) {
        ws.setTrainingPass(seed, step, ids, 0);
        if (weighted) {
            ws.setRowWeights(weights, 0);
        }
        if (smoothing > 0f && t == null) {
            int k = mlp.outputSize();
            if (smoothed == null) {
                smoothed = new float[ws.maxBatch() * k];
            }
            vecmlp.nn.Loss.smoothedTargets(y, 0, rows, k, smoothing, smoothed);
            return mlp.computeGradient(x, 0, rows, smoothed, 0, grad, ws);
        }
        return t == null ? mlp.computeGradient(x, 0, rows, y, 0, grad, ws)
                : mlp.computeGradient(x, 0, rows, t, 0, grad, ws);
    }
}
