package dev.lenet5.app.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code curves.png}: training and validation loss (left) and accuracy (right) per epoch. Drawn on a
 * {@link Raster} rather than with a charting library: a run pays for this picture after its last epoch, and a
 * charting library's first chart in a JVM (its classes, Java2D's and the fonts') cost about a second.
 */
public final class CurvesPlot {

    static final int WIDTH = 1200;
    static final int HEIGHT = 450;
    static final int TRAINING = 0x1f77b4;
    static final int VALIDATION = 0xff7f0e;

    static final int TITLE_TOP = 12;
    static final int TITLE_SCALE = 2;
    private static final int PLOT_LEFT = 64;
    private static final int PLOT_RIGHT = 24;
    static final int PLOT_TOP = 56;
    static final int PLOT_BOTTOM = HEIGHT - 76;
    private static final int TEXT = 0x202020;
    private static final int TICK_TEXT = 0x404040;
    private static final int GRID = 0xD8D8D8;
    private static final int FRAME = 0x808080;
    private static final double LINE_WIDTH = 2;
    private static final double MARKER_RADIUS = 3.5;
    /** At most this many epoch ticks; more epochs thin them to every 2nd, 5th, 10th... */
    private static final int MAX_EPOCH_TICKS = 12;
    /** At most this many value ticks on the y axis. */
    private static final int MAX_VALUE_TICKS = 8;

    private CurvesPlot() {
    }

    public static void write(Path file, List<EpochMetrics> epochs, String title) throws IOException {
        PngEncoder.write(file, render(epochs, title));
    }

    static Raster render(List<EpochMetrics> epochs, String title) {
        Raster image = new Raster(WIDTH, HEIGHT, 0xFFFFFF);
        lossPanel(epochs, title).draw(image);
        accuracyPanel(epochs, title).draw(image);
        return image;
    }

    // The columns are copied out in plain loops rather than through method references: a JVM's first few lambdas
    // cost milliseconds each to link, more than drawing a panel.
    static Panel lossPanel(List<EpochMetrics> epochs, String title) {
        double[] train = new double[epochs.size()];
        double[] val = new double[epochs.size()];
        for (int i = 0; i < train.length; i++) {
            train[i] = epochs.get(i).trainLoss();
            val[i] = epochs.get(i).valLoss();
        }
        return Panel.of(0, title + ": loss", "cross-entropy", epochs, train, val, true, Double.POSITIVE_INFINITY);
    }

    static Panel accuracyPanel(List<EpochMetrics> epochs, String title) {
        double[] train = new double[epochs.size()];
        double[] val = new double[epochs.size()];
        for (int i = 0; i < train.length; i++) {
            train[i] = 100 * epochs.get(i).trainAccuracy();
            val[i] = 100 * epochs.get(i).valAccuracy();
        }
        // Accuracy near 99% is invisible on a 0-100 axis; the axis follows the data, up to 100% at most.
        return Panel.of(WIDTH / 2, title + ": accuracy", "accuracy (%)", epochs, train, val, false, 100);
    }

    /** One curve: epochs and values, non-finite values left out (a run without validation has none). */
    record Series(String name, int colour, double[] epochs, double[] values) {

        static Series of(String name, int colour, List<EpochMetrics> rows, double[] values) {
            double[] x = new double[rows.size()];
            double[] y = new double[rows.size()];
            int n = 0;
            for (int i = 0; i < values.length; i++) {
                if (Double.isFinite(values[i])) {
                    x[n] = rows.get(i).epoch();
                    y[n++] = values[i];
                }
            }
            return new Series(name, colour, Arrays.copyOf(x, n), Arrays.copyOf(y, n));
        }
    }

    /** An axis range with its tick step; {@code decimals} formats the tick labels. */
    record Axis(double low, double high, double step, int decimals) {

        /**
         * The range from {@code low} to {@code high} widened to whole "nice" steps (1, 2 or 5 times a power of
         * ten), with at most {@code maxTicks} ticks.
         */
        static Axis nice(double low, double high, int maxTicks) {
            if (!(high - low > 1e-9 * Math.max(1, Math.abs(high)))) {
                // One value (one epoch, or a flat curve): a small window around it.
                double half = Math.max(Math.abs(high) * 0.01, 1e-3);
                low -= half;
                high += half;
            }
            double magnitude = Math.pow(10, Math.floor(Math.log10((high - low) / maxTicks)));
            double step = magnitude;
            for (int k = 0; (high - low) / step > maxTicks - 1 && k < 9; k++) {
                step = magnitude * new double[] {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}[k + 1];
            }
            double from = Math.floor(low / step + 1e-9) * step;
            double to = Math.ceil(high / step - 1e-9) * step;
            return new Axis(from, to, step, Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9)));
        }

        /**
         * {@code value} with {@code decimals} digits after the point. Written out by hand: String.format's first
         * floating-point conversion in a JVM loads the locale data, tens of milliseconds for a few labels.
         */
        String label(double value) {
            long scaled = Math.round(Math.abs(value) * Math.pow(10, decimals));
            String digits = Long.toString(scaled);
            if (decimals > 0) {
                digits = "0".repeat(Math.max(0, decimals + 1 - digits.length())) + digits;
                digits = digits.substring(0, digits.length() - decimals) + "." + digits.substring(digits.length() - decimals);
            }
            return (value < 0 && scaled != 0 ? "-" : "") + digits;
        }
    }

    /** One half of the picture: its title, axes and curves, and where its plot area lies. */
    record Panel(int x0, String title, String yLabel, List<Series> series, double epochLow, double epochHigh,
                 int epochStep, Axis values) {

        static Panel of(int x0, String title, String yLabel, List<EpochMetrics> rows,
                        double[] train, double[] val, boolean fromZero, double ceiling) {
            List<Series> series = new ArrayList<>();
            series.add(Series.of("training", TRAINING, rows, train));
            Series validation = Series.of("validation", VALIDATION, rows, val);
            if (validation.epochs().length > 0) {
                series.add(validation);
            }
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            int lastEpoch = 1;
            for (Series s : series) {
                for (int i = 0; i < s.values().length; i++) {
                    low = Math.min(low, s.values()[i]);
                    high = Math.max(high, s.values()[i]);
                    lastEpoch = Math.max(lastEpoch, (int) s.epochs()[i]);
                }
            }
            if (low > high) {   // nothing finite to draw: an empty frame
                low = 0;
                high = 1;
            }
            // A little room above and below, so no marker sits on the frame, but none past the ceiling (an axis
            // to 102% would show accuracies that cannot be); the loss axis starts at zero.
            double room = 0.04 * (high - low);
            double top = high <= ceiling ? Math.min(high + room, ceiling) : high + room;
            Axis values = Axis.nice(fromZero ? Math.min(0, low) : low - room, top, MAX_VALUE_TICKS);
            int step = 1;
            for (int k = 1; lastEpoch / step > MAX_EPOCH_TICKS; k++) {   // 1, 2, 5, 10, 20, 50...
                step = new int[] {1, 2, 5}[k % 3] * (int) Math.pow(10, k / 3);
            }
            // At least half an epoch of margin, so the first and last markers sit inside the frame.
            double margin = Math.max(0.5, (lastEpoch - 1) * 0.03);
            return new Panel(x0, title, yLabel, List.copyOf(series), 1 - margin, lastEpoch + margin, step, values);
        }

        int left() {
            return x0 + PLOT_LEFT;
        }

        int right() {
            return x0 + WIDTH / 2 - PLOT_RIGHT;
        }

        /** The pixel column of an epoch (its centre, as a coordinate). */
        double px(double epoch) {
            return left() + (epoch - epochLow) / (epochHigh - epochLow) * (right() - left());
        }

        /** The pixel row of a value. */
        double py(double value) {
            return PLOT_BOTTOM - (value - values.low()) / (values.high() - values.low()) * (PLOT_BOTTOM - PLOT_TOP);
        }

        void draw(Raster image) {
            image.textCentred(title, x0, WIDTH / 2, TITLE_TOP, TITLE_SCALE, TEXT);
            image.text(yLabel, left() - 40, PLOT_TOP - 18, 1, TEXT);
            drawGridAndTicks(image);
            image.outline(left(), PLOT_TOP, right() - left() + 1, PLOT_BOTTOM - PLOT_TOP + 1, FRAME);
            for (Series s : series) {
                int n = s.epochs().length;
                double[] xs = new double[n];
                double[] ys = new double[n];
                for (int i = 0; i < n; i++) {
                    xs[i] = px(s.epochs()[i]) + 0.5;
                    ys[i] = py(s.values()[i]) + 0.5;
                }
                image.polyline(xs, ys, n, LINE_WIDTH, s.colour());
                for (int i = 0; i < n; i++) {
                    marker(image, s, xs[i], ys[i]);
                }
            }
            drawLegend(image);
        }

        private void drawGridAndTicks(Raster image) {
            // From the first multiple of the step that is an epoch: a margin wide enough to hold 0 shows no "0".
            for (int e = epochStep * (int) Math.ceil(Math.max(1, epochLow) / epochStep); e <= epochHigh; e += epochStep) {
                int x = (int) Math.round(px(e));
                image.fill(x, PLOT_TOP + 1, 1, PLOT_BOTTOM - PLOT_TOP - 1, GRID);
                image.fill(x, PLOT_BOTTOM + 1, 1, 4, FRAME);
                image.textCentred(Integer.toString(e), x - 20, 41, PLOT_BOTTOM + 9, 1, TICK_TEXT);
            }
            image.textCentred("epoch", left(), right() - left(), PLOT_BOTTOM + 26, 1, TEXT);
            int ticks = (int) Math.round((values.high() - values.low()) / values.step());
            for (int k = 0; k <= ticks; k++) {
                double v = values.low() + k * values.step();
                int y = (int) Math.round(py(v));
                if (k > 0 && k < ticks) {
                    image.fill(left() + 1, y, right() - left() - 1, 1, GRID);
                }
                image.fill(left() - 4, y, 4, 1, FRAME);
                String label = values.label(v);
                image.text(label, left() - 8 - BitmapFont.width(label, 1), y - 3, 1, TICK_TEXT);
            }
        }

        private void drawLegend(Raster image) {
            int width = 0;
            for (Series s : series) {
                width += 40 + BitmapFont.width(s.name(), 1) + 24;
            }
            int x = left() + (right() - left() - width + 24) / 2;
            int y = HEIGHT - 22;
            for (Series s : series) {
                image.polyline(new double[] {x, x + 32}, new double[] {y + 4, y + 4}, 2, LINE_WIDTH, s.colour());
                marker(image, s, x + 16, y + 4);
                image.text(s.name(), x + 40, y + 1, 1, TEXT);
                x += 40 + BitmapFont.width(s.name(), 1) + 24;
            }
        }

        /** Training points are discs, validation points squares: the curves differ in shape as well as colour. */
        private static void marker(Raster image, Series s, double x, double y) {
            if (s.colour() == TRAINING) {
                image.disc(x, y, MARKER_RADIUS, s.colour());
            } else {
                image.square(x, y, MARKER_RADIUS - 0.5, s.colour());
            }
        }
    }
}
