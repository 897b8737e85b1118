package vecmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import vecmlp.nn.Mlp;
import vecmlp.nn.Workspace;

/** One loaded model serving 8 threads at once gives exactly the single-threaded results; saves are atomic to readers. */
class ModelFileConcurrencyTest {

    @TempDir
    Path dir;

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 3_000;
    private static final int SAMPLES = 64;
    private static final int MAX_ROWS = 8;

    /** Call {@code i} of thread {@code t}: {@code rows} samples from {@code start}. */
    private static int rows(int t, int i) {
        return 1 + (i + t) % MAX_ROWS;
    }

    private static int start(int t, int i) {
        return (i * 31 + t * 7) % (SAMPLES - MAX_ROWS);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void eightThreadsPredictExactlyAsOneThreadDoes() throws Exception {
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(ModelFileTestSupport.trained(17), file);
        Mlp mlp = ModelFile.load(file);
        int n0 = mlp.inputSize();
        int nL = mlp.outputSize();
        float[] x = ModelFileTestSupport.blobs(SAMPLES, 99).features();

        // Single-threaded reference for every (rows, start) a thread will ask for.
        float[][][] reference = new float[MAX_ROWS + 1][SAMPLES][];
        int[][][] referenceClasses = new int[MAX_ROWS + 1][SAMPLES][];
        Workspace ws = mlp.newWorkspace(MAX_ROWS);
        for (int rows = 1; rows <= MAX_ROWS; rows++) {
            for (int s = 0; s + MAX_ROWS <= SAMPLES; s++) {
                reference[rows][s] = new float[rows * nL];
                mlp.predict(x, s * n0, rows, reference[rows][s], 0, ws);
                referenceClasses[rows][s] = new int[rows];
                mlp.predictClasses(x, s * n0, rows, referenceClasses[rows][s], 0, ws);
            }
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<int[]>> results = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    Workspace own = mlp.newWorkspace(MAX_ROWS);
                    float[] out = new float[MAX_ROWS * nL];
                    int[] classes = new int[MAX_ROWS];
                    float[] one = new float[nL];
                    float[] xOne = new float[n0];
                    int mismatches = 0;
                    int predictions = 0;
                    go.await();
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        int rows = rows(thread, i);
                        int s = start(thread, i);
                        mlp.predict(x, s * n0, rows, out, 0, own);
                        float[] ref = reference[rows][s];
                        for (int k = 0; k < rows * nL; k++) {
                            mismatches += Float.floatToRawIntBits(out[k]) == Float.floatToRawIntBits(ref[k]) ? 0 : 1;
                        }
                        mlp.predictClasses(x, s * n0, rows, classes, 0, own);
                        for (int k = 0; k < rows; k++) {
                            mismatches += classes[k] == referenceClasses[rows][s][k] ? 0 : 1;
                        }
                        System.arraycopy(x, s * n0, xOne, 0, n0);
                        mlp.predictOne(xOne, one, own);
                        for (int k = 0; k < nL; k++) {
                            mismatches += Float.floatToRawIntBits(one[k])
                                    == Float.floatToRawIntBits(reference[1][s][k]) ? 0 : 1;
                        }
                        predictions += 2 * rows + 1;
                    }
                    return new int[] {mismatches, predictions};
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<int[]> f : results) {
                int[] r = f.get();
                assertEquals(0, r[0], "outputs differing from the single-threaded ones");
                total += r[1];
            }
            assertTrue(total >= THREADS * CALLS_PER_THREAD * 3, "predictions made: " + total);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Readers loading while a writer replaces the file always see a whole model, old or new, never a part. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void readersNeverSeeAHalfWrittenFile() throws Exception {
        Path file = dir.resolve("live.safetensors");
        Mlp a = ModelFileTestSupport.classifier(1);
        Mlp b = ModelFileTestSupport.classifier(2);
        ModelFile.save(a, file);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<Integer> writer = pool.submit(() -> {
                try {
                    for (int i = 0; i < 40; i++) {
                        ModelFile.save(i % 2 == 0 ? b : a, file);
                    }
                } finally {
                    writing.set(false);
                }
                return 40;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit((Callable<Integer>) () -> {
                    int loads = 0;
                    while (writing.get() || loads == 0) {
                        Mlp m = ModelFile.load(file);
                        if (!ModelFileTestSupport.sameModel(m, a) && !ModelFileTestSupport.sameModel(m, b)) {
                            throw new AssertionError("loaded a model that is neither the old nor the new one");
                        }
                        loads++;
                    }
                    return loads;
                }));
            }
            assertEquals(40, writer.get());
            for (Future<Integer> r : readers) {
                assertTrue(r.get() > 0);
            }
            assertArrayEquals(ModelFileTestSupport.bits(a.parameters()),           // i = 39 saved a
                    ModelFileTestSupport.bits(ModelFile.load(file).parameters()), "the last save wins");
        } finally {
            pool.shutdownNow();
        }
    }
}
