package dev.lenet5.app.report;

import dev.lenet5.nn.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Counts of (true label, prediction) pairs, with per-class precision, recall and F1. */
public final class ConfusionMatrix {

    private final int classes;
    private final long[][] counts;

    public ConfusionMatrix(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a confusion matrix needs at least 2 classes, got " + classes);
        }
        this.classes = classes;
        this.counts = new long[classes][classes];
    }

    public void add(int label, int predicted) {
        counts[label][predicted]++;
    }

    public int classes() {
        return classes;
    }

    public long count(int label, int predicted) {
        return counts[label][predicted];
    }

    public long total() {
        long t = 0;
        for (long[] row : counts) {
            for (long c : row) {
                t += c;
            }
        }
        return t;
    }

    public long correct() {
        long t = 0;
        for (int i = 0; i < classes; i++) {
            t += counts[i][i];
        }
        return t;
    }

    public double accuracy() {
        long total = total();
        return total == 0 ? 0 : (double) correct() / total;
    }

    /** Of the images predicted as {@code k}, the fraction that are {@code k} (0 when none were). */
    public double precision(int k) {
        long predicted = 0;
        for (int i = 0; i < classes; i++) {
            predicted += counts[i][k];
        }
        return predicted == 0 ? 0 : (double) counts[k][k] / predicted;
    }

    /** Of the images labelled {@code k}, the fraction predicted as {@code k} (0 when there are none). */
    public double recall(int k) {
        long actual = 0;
        for (int j = 0; j < classes; j++) {
            actual += counts[k][j];
        }
        return actual == 0 ? 0 : (double) counts[k][k] / actual;
    }

    public double f1(int k) {
        double p = precision(k);
        double r = recall(k);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** The matrix (rows: true label, columns: prediction) followed by per-class precision, recall and F1. */
    public String format() {
        StringBuilder s = new StringBuilder();
        s.append("confusion matrix: rows = true label, columns = prediction\n\n");
        s.append("label");
        for (int j = 0; j < classes; j++) {
            s.append(String.format(Locale.ROOT, "%7d", j));
        }
        s.append('\n');
        for (int i = 0; i < classes; i++) {
            s.append(String.format(Locale.ROOT, "%5d", i));
            for (int j = 0; j < classes; j++) {
                s.append(String.format(Locale.ROOT, "%7d", counts[i][j]));
            }
            s.append('\n');
        }
        s.append("\nclass  precision  recall      f1  support\n");
        double macroF1 = 0;
        for (int k = 0; k < classes; k++) {
            long support = 0;
            for (int j = 0; j < classes; j++) {
                support += counts[k][j];
            }
            macroF1 += f1(k);
            s.append(String.format(Locale.ROOT, "%5d  %9.4f  %6.4f  %6.4f  %7d%n", k, precision(k), recall(k), f1(k), support));
        }
        s.append(String.format(Locale.ROOT, "%naccuracy %.4f (%d of %d), macro F1 %.4f%n", accuracy(), correct(), total(),
                macroF1 / classes));
        return s.toString();
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, format());
    }
}
