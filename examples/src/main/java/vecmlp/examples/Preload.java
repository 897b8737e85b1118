package vecmlp.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import vecmlp.kernel.Kernels;
import vecmlp.train.Dataset;

/**
 * Start-up work that does not depend on how the command line is read, done on a second thread while the main
 * thread parses it (picocli's first parse took 0.17–0.21 s of a fresh JVM, ad hoc): the bundled digits, when the
 * arguments name no other data and no other command, and the kernels' choice, when they do not name the
 * kernels. Only the time changes: the digits are the same data, and {@link Kernels#get()} is chosen once
 * per JVM whoever asks first.
 */
final class Preload {

    /** Nothing preloaded: {@link #digits()} loads them itself. */
    static final Preload NONE = new Preload(null);

    private final CompletableFuture<Dataset> digits;

    private Preload(CompletableFuture<Dataset> digits) {
        this.digits = digits;
    }

    /** Starts what {@code args} will need, judged from the arguments alone (a guess; a wrong one costs only time). */
    static Preload start(String[] args) {
        boolean otherCommand = args.length > 0 && !args[0].startsWith("-") && !args[0].equalsIgnoreCase("train");
        boolean otherData = anyStartsWith(args, "--csv") || anyStartsWith(args, "--idx-");
        boolean kernelsNamed = anyStartsWith(args, "--kernels");
        if (otherCommand || otherData) {
            return NONE;
        }
        CompletableFuture<Dataset> digits = new CompletableFuture<>();
        // Not a lambda (nor a stream above): a fresh JVM's first lambda spins the invokedynamic machinery,
        // 10-20 ms here that would delay this thread's start.
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    digits.complete(TrainCommand.loadDigits());
                } catch (IOException | RuntimeException e) {
                    digits.completeExceptionally(e);
                }
                if (!kernelsNamed) {
                    Kernels.get();
                }
            }
        }, "vecmlp-examples-preload");
        t.setDaemon(true);
        t.start();
        return new Preload(digits);
    }

    /**
     * A first {@code String.format} (its {@code Formatter}: regular expressions, locale data, 23–70 ms of a fresh
     * JVM here, class-load log) and a first method reference (the invokedynamic machinery), done while the main
     * thread would otherwise wait for the digits: the header lines and the progress bar need both right after.
     * Only the time changes.
     */
    static String jdkFirstUses() {
        LongSupplier clock = System::nanoTime;
        return String.format(Locale.ROOT, "%s %d %,d %.1f %5.1f%%%n", "x", 1, 1000, 0.5, (double) clock.getAsLong());
    }

    private static boolean anyStartsWith(String[] args, String prefix) {
        for (String a : args) {
            if (a.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The bundled digits: preloaded, or loaded now. While they are still loading, the calling thread first
     * does the JDK's own first uses that the header lines and the progress bar make next ({@link #jdkFirstUses}).
     */
    Dataset digits() throws IOException {
        if (digits == null) {
            return TrainCommand.loadDigits();
        }
        if (!digits.isDone()) {
            jdkFirstUses();
        }
        try {
            return digits.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the bundled digits", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new UncheckedIOException(new IOException(cause));
        }
    }
}
