package vecmlp.examples;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A training progress display. On a terminal it redraws one line in place with {@code \r} after each
 * batch (at most every 100 ms): epoch, a bar of the epoch's batches, the running loss and accuracy of the
 * epoch, samples per second and the estimated time left; at the end of each epoch the line is replaced by
 * the epoch's summary and a newline. When the output is not a terminal (a file, a pipe, a CI log) there
 * is no redrawing: one plain summary line per epoch.
 *
 * <p>Not thread-safe: feed it from the training thread.
 */
final class ProgressBar {

    private static final int BAR = 10;
    /** The live line must fit an 80-column terminal, or its redraws would wrap onto new lines. */
    static final int MAX_WIDTH = 79;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final int epochs;
    private final int batchesPerEpoch;
    private final LongSupplier clock;
    private final long start;
    private long lastDraw = Long.MIN_VALUE;
    private long samples;
    private int lastLength;

    /**
     * @param terminal        redraw in place (true) or print one line per epoch (false)
     * @param batchesPerEpoch ≥ 1
     * @param clock           nanosecond clock ({@code System::nanoTime}; a fake one in tests)
     */
    ProgressBar(PrintStream out, boolean terminal, int epochs, int batchesPerEpoch, LongSupplier clock) {
        this.out = Objects.requireNonNull(out, "out must not be null");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1: " + epochs);
        }
        if (batchesPerEpoch < 1) {
            throw new IllegalArgumentException("batchesPerEpoch must be >= 1: " + batchesPerEpoch);
        }
        this.terminal = terminal;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.start = clock.getAsLong();
    }

    /**
     * One batch has been trained.
     *
     * @param epoch    0-based epoch
     * @param batch    0-based batch within the epoch
     * @param rows     samples in this batch
     * @param loss     mean loss over the epoch's batches so far
     * @param accuracy fraction of the epoch's samples so far classified correctly, in [0, 1] (NaN if none)
     */
    void batch(int epoch, int batch, int rows, double loss, double accuracy) {
        samples += rows;
        if (!terminal) {
            return;
        }
        long now = clock.getAsLong();
        boolean last = batch + 1 == batchesPerEpoch;
        if (!last && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double done = epoch + (batch + 1.0) / batchesPerEpoch;
        String line = line(epoch, epochs, batch + 1, batchesPerEpoch, loss, accuracy, rate(now), eta(now, done));
        draw(line);
    }

    /**
     * One epoch has ended: prints its summary on its own line.
     *
     * @param valLoss     validation loss, or NaN if there is no validation set
     * @param valAccuracy validation accuracy in [0, 1], or NaN
     */
    void epoch(int epoch, double loss, double accuracy, double valLoss, double valAccuracy) {
        long now = clock.getAsLong();
        StringBuilder s = new StringBuilder(summary(epoch, epochs, loss, accuracy, valLoss, valAccuracy));
        s.append(String.format(Locale.ROOT, "  %s samples/s", human(rate(now))));
        if (epoch + 1 < epochs) {
            s.append("  ETA ").append(clockTime(eta(now, epoch + 1.0)));
        } else {
            s.append("  total ").append(clockTime((now - start) / 1e9));
        }
        if (terminal) {
            draw(s.toString());
            out.print('\n');
            lastLength = 0;
        } else {
            out.println(s);
        }
        out.flush();
    }

    private void draw(String line) {
        StringBuilder s = new StringBuilder(line.length() + 8);
        s.append('\r').append(line);
        for (int i = line.length(); i < lastLength; i++) {
            s.append(' '); // erase the rest of a longer previous line
        }
        lastLength = line.length();
        out.print(s);
        out.flush();
    }

    private double rate(long now) {
        double seconds = (now - start) / 1e9;
        return seconds > 0 ? samples / seconds : 0;
    }

    private double eta(long now, double epochsDone) {
        double seconds = (now - start) / 1e9;
        return epochsDone > 0 ? seconds * (epochs - epochsDone) / epochsDone : Double.NaN;
    }

    /**
     * The in-place line, e.g. {@code epoch  3/30 [###>......] 12/45 loss 0.2346 acc  93.1% 48.2k samples/s ETA 1:15};
     * without the bar if it would be longer than {@link #MAX_WIDTH}.
     */
    static String line(int epoch, int epochs, int batchesDone, int batches, double loss, double accuracy,
                       double samplesPerSecond, double etaSeconds) {
        int width = String.valueOf(epochs).length();
        int filled = (int) ((long) BAR * batchesDone / batches);
        StringBuilder bar = new StringBuilder(BAR + 3);
        bar.append(" [");
        for (int i = 0; i < BAR; i++) {
            bar.append(i < filled ? '#' : i == filled ? '>' : '.');
        }
        bar.append(']');
        int bw = String.valueOf(batches).length();
        String head = String.format(Locale.ROOT, "epoch %" + width + "d/%d", epoch + 1, epochs);
        String tail = String.format(Locale.ROOT, " %" + bw + "d/%d loss %.4f acc %5.1f%% %s samples/s ETA %s",
                batchesDone, batches, loss, 100 * accuracy, human(samplesPerSecond), clockTime(etaSeconds));
        String full = head + bar + tail;
        return full.length() <= MAX_WIDTH ? full : head + tail;
    }

    /** The end-of-epoch line, without the rate and time. */
    static String summary(int epoch, int epochs, double loss, double accuracy, double valLoss, double valAccuracy) {
        int width = String.valueOf(epochs).length();
        String s = String.format(Locale.ROOT, "epoch %" + width + "d/%d  loss %.4f  acc %5.1f%%", epoch + 1, epochs,
                loss, 100 * accuracy);
        if (!Double.isNaN(valLoss)) {
            s += String.format(Locale.ROOT, "  val_loss %.4f  val_acc %5.1f%%", valLoss, 100 * valAccuracy);
        }
        return s;
    }

    /** 950 → "950", 48213 → "48.2k", 1.5e6 → "1.50M". */
    static String human(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        if (v < 1e4) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v < 1e6) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.2fM", v / 1e6);
    }

    /** Seconds as m:ss or h:mm:ss; "-" if unknown. */
    static String clockTime(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "-:--";
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
