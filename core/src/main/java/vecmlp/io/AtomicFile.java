package vecmlp.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Writes a file atomically: the content goes to a new temporary file in the target's directory, is
 * flushed and fsynced ({@link FileChannel#force(boolean)}), and the temporary file is then renamed over
 * the target in one atomic step ({@link StandardCopyOption#ATOMIC_MOVE}); finally the directory is
 * fsynced where the platform allows it. Readers see either the old file or the complete new one, never a
 * part; if anything fails before the rename, the temporary file is deleted and the target is untouched.
 * Thread-safe: concurrent writers to one target each use their own temporary file; the last rename wins.
 */
final class AtomicFile {

    /** Writes the whole content to a channel. */
    @FunctionalInterface
    interface Body {
        void writeTo(WritableByteChannel out) throws IOException;
    }

    private AtomicFile() {
    }

    /** Writes {@code body}'s content to {@code target} atomically. */
    static void write(Path target, Body body) throws IOException {
        write(target, body, c -> c);
    }

    /**
     * As {@link #write(Path, Body)}, with the channel handed to {@code body} passed through {@code interpose}
     * first (tests inject a channel that fails part-way).
     */
    static void write(Path target, Body body, Function<FileChannel, WritableByteChannel> interpose)
            throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(body, "body");
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path name = absolute.getFileName();
        if (dir == null || name == null) {
            throw new IllegalArgumentException("target must name a file in a directory: " + target);
        }
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("target must not be a directory: " + target);
        }
        Path tmp = null;
        FileChannel ch = null;
        for (int attempt = 0; ch == null; attempt++) {
            tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 8) {
                    throw e;
                }
            }
        }
        boolean done = false;
        try {
            try (FileChannel c = ch) {
                body.writeTo(interpose.apply(c));
                c.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically on this file system", e);
            }
            done = true;
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    // the original failure matters more; a stray temporary file is harmless
                }
            }
        }
        syncDirectory(dir);
    }

    /** Makes the rename durable; not every platform can open a directory, so this is best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // e.g. Windows: directories cannot be opened as channels; the rename itself is still atomic
        }
    }
}
