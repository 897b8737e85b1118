package vecmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Runs only in the surefire execution {@code fallback}, a JVM started WITHOUT
 * {@code --add-modules jdk.incubator.vector}: the library still works, on the scalar kernels, and warns
 * exactly once, naming the flag that enables SIMD. (The default execution excludes this class.)
 */
class ScalarFallbackTest {

    @Test
    void worksOnScalarKernelsAndWarnsOnce() {
        assertFalse(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "this test must run in a JVM without the Vector API module (surefire execution 'fallback')");
        List<LogRecord> records = new ArrayList<>();
        Logger jul = Logger.getLogger("vecmlp.kernel");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        try {
            Kernels k = Kernels.get();
            Kernels again = Kernels.get();
            assertFalse(k.isSimd());
            assertFalse(Kernels.isSimdAvailable());
            assertEquals(k, again);
            IllegalStateException e = assertThrows(IllegalStateException.class, Kernels::simd);
            assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());

            float[] a = {1, 2, 3, 4};
            float[] b = {5, 6, 7, 8};
            float[] c = new float[4];
            k.sgemm(Transpose.NO, Transpose.NO, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
            assertArrayEquals(new float[] {19, 22, 43, 50}, c);

            long warnings = records.stream().filter(r -> r.getLevel() == Level.WARNING).count();
            assertEquals(1, warnings, "exactly one warning");
            assertTrue(records.get(0).getMessage().contains("--add-modules jdk.incubator.vector"), records.get(0).getMessage());
        } finally {
            jul.removeHandler(handler);
        }
    }
}
