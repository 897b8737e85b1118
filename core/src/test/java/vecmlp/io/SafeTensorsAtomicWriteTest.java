package vecmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails part-way leaves the previous file byte-for-byte intact and no temporary file behind. */
class SafeTensorsAtomicWriteTest {

    @TempDir
    Path dir;

    private static SafeTensors tensors(float value, int n) {
        float[] data = new float[n];
        java.util.Arrays.fill(data, value);
        return SafeTensors.of(Map.of("version", Float.toString(value)),
                List.of(SafeTensors.Tensor.vector("a", data), SafeTensors.Tensor.matrix("b", 2, n, new float[2 * n])));
    }

    /** A channel that passes the first {@code limit} bytes through, then fails (a crash or full disk). */
    private static final class FailingChannel implements WritableByteChannel {
        private final FileChannel delegate;
        private final long limit;
        private final boolean unchecked;
        private long written;

        FailingChannel(FileChannel delegate, long limit, boolean unchecked) {
            this.delegate = delegate;
            this.limit = limit;
            this.unchecked = unchecked;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (written + src.remaining() <= limit) {
                int n = delegate.write(src);
                written += n;
                return n;
            }
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + (int) (limit - written));
            written += delegate.write(part);
            IOException e = new IOException("injected failure after " + written + " bytes");
            if (unchecked) {
                throw new UncheckedIOException(e);
            }
            throw e;
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aFailureMidWriteLeavesThePreviousFileIntact() throws Exception {
        Path target = dir.resolve("model.safetensors");
        SafeTensors old = tensors(1f, 50_000);               // > one 64 KiB write chunk
        old.write(target);
        byte[] before = Files.readAllBytes(target);
        SafeTensors replacement = tensors(2f, 60_000);
        long total = replacement.toBytes().length;
        for (long failAt : new long[] {0, 1, 7, 8, 100, 70_000, total / 2, total - 1}) {
            for (boolean unchecked : new boolean[] {false, true}) {
                Class<? extends Exception> type = unchecked ? UncheckedIOException.class : IOException.class;
                Exception e = assertThrows(type,
                        () -> replacement.write(target, ch -> new FailingChannel(ch, failAt, unchecked)));
                assertEquals(type, e.getClass());
                assertFalse(e.getMessage() == null || !e.getMessage().contains("injected"), e.toString());
                assertArrayEquals(before, Files.readAllBytes(target), "after a failure at byte " + failAt);
                assertEquals(List.of(target), files(), "no temporary file left after a failure at byte " + failAt);
            }
        }
        assertEquals("1.0", SafeTensors.read(target).metadata().get("version"));

        replacement.write(target);                           // and a write that succeeds replaces it
        assertArrayEquals(replacement.toBytes(), Files.readAllBytes(target));
        assertEquals("2.0", SafeTensors.read(target).metadata().get("version"));
        assertEquals(List.of(target), files());
    }

    @Test
    void aFailedFirstWriteCreatesNoFile() throws Exception {
        Path target = dir.resolve("new.safetensors");
        assertThrows(IOException.class, () -> tensors(3f, 10).write(target, ch -> new FailingChannel(ch, 20, false)));
        assertEquals(List.of(), files());
        assertThrows(IllegalArgumentException.class, () -> tensors(3f, 10).write(dir));
        assertThrows(IOException.class, () -> tensors(3f, 10).write(dir.resolve("missing/sub/x.safetensors")));
    }
}
