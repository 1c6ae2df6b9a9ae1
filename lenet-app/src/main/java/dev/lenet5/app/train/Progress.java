package dev.lenet5.app.train;

import dev.lenet5.app.report.EpochMetrics;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a run's progress: a live bar per epoch on a terminal, plain lines otherwise (CI logs, pipes),
 * so logs stay readable. The epoch summary line is the same in both modes.
 */
public abstract class Progress {

    protected final PrintWriter out;

    protected Progress(PrintWriter out) {
        this.out = out;
    }

    /** A bar when {@code terminal}, lines otherwise. */
    public static Progress create(PrintWriter out, boolean terminal) {
        return terminal ? new Bar(out) : new Lines(out);
    }

    /** Whether standard output is an interactive terminal (on JDK 22+ a console exists even when redirected). */
    public static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;   // before JDK 22 a console means a terminal
        }
    }

    public abstract void epochStarted(int epoch, int epochs, int batches);

    /** After each batch: batches done in this epoch and the running mean loss and accuracy. */
    public abstract void batchDone(int done, double meanLoss, double accuracy);

    public void epochDone(EpochMetrics m, int epochs) {
        finishEpoch();
        out.println(epochLine(m, epochs));
        out.flush();
    }

    protected void finishEpoch() {
    }

    public void message(String line) {
        out.println(line);
        out.flush();
    }

    public static String epochLine(EpochMetrics m, int epochs) {
        int width = Integer.toString(epochs).length();
        if (Double.isNaN(m.valAccuracy())) {
            return String.format(Locale.ROOT, "epoch %" + width + "d/%d  loss %.4f  acc %6.2f%%  (no validation)"
                    + "  %.1f s  %.0f img/s", m.epoch(), epochs, m.trainLoss(), 100 * m.trainAccuracy(), m.seconds(),
                    m.trainImagesPerSecond());
        }
        return String.format(Locale.ROOT, "epoch %" + width + "d/%d  loss %.4f  acc %6.2f%%  val_loss %.4f  val_acc %6.2f%%"
                        + "  %.1f s  %.0f img/s", m.epoch(), epochs, m.trainLoss(), 100 * m.trainAccuracy(), m.valLoss(),
                100 * m.valAccuracy(), m.seconds(), m.trainImagesPerSecond());
    }

    /** Plain lines: one at each quarter of an epoch, so a long epoch in a CI log still shows life. */
    static final class Lines extends Progress {
        private int epoch;
        private int epochs;
        private int batches;
        private int nextReport;
        private long started;

        Lines(PrintWriter out) {
            super(out);
        }

        @Override
        public void epochStarted(int epoch, int epochs, int batches) {
            this.epoch = epoch;
            this.epochs = epochs;
            this.batches = batches;
            this.nextReport = Math.max(1, batches / 4);
            this.started = System.nanoTime();
        }

        @Override
        public void batchDone(int done, double meanLoss, double accuracy) {
            if (done >= nextReport && done < batches) {
                double ms = (System.nanoTime() - started) / 1e6 / done;
                out.println(String.format(Locale.ROOT, "epoch %d/%d step %d/%d: loss %.4f acc %.2f%% (%.1f ms/step)",
                        epoch, epochs, done, batches, meanLoss, 100 * accuracy, ms));
                out.flush();
                nextReport += Math.max(1, batches / 4);
            }
        }
    }

    /** A live bar (on stderr, as the library does) with the running loss and accuracy. */
    static final class Bar extends Progress {
        private ProgressBar bar;

        Bar(PrintWriter out) {
            super(out);
        }

        @Override
        public void epochStarted(int epoch, int epochs, int batches) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                    .setInitialMax(batches)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setUnit(" batches", 1)
                    .continuousUpdate()
                    .build();
        }

        @Override
        public void batchDone(int done, double meanLoss, double accuracy) {
            bar.stepTo(done);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f acc %.2f%%", meanLoss, 100 * accuracy));
        }

        @Override
        protected void finishEpoch() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
