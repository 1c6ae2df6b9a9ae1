package dev.lenet5.app.report;

import dev.lenet5.nn.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code metrics.csv}: one row per epoch. The first seven columns are the contract of DESIGN.md; the
 * learning rate follows because schedules change it. Read back on {@code --resume} so the curves of a
 * resumed run include the epochs before the interruption.
 */
public final class MetricsCsv {

    public static final String HEADER = "epoch,train_loss,train_acc,val_loss,val_acc,seconds,train_img_per_s,lr";

    private MetricsCsv() {
    }

    public static void write(Path file, List<EpochMetrics> rows) throws IOException {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (EpochMetrics m : rows) {
            csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.3f,%.1f,%.6g%n", m.epoch(), m.trainLoss(),
                    m.trainAccuracy(), m.valLoss(), m.valAccuracy(), m.seconds(), m.trainImagesPerSecond(),
                    m.learningRate()));
        }
        AtomicFiles.writeString(file, csv.toString());
    }

    public static List<EpochMetrics> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + ": not a metrics file (expected the header '" + HEADER + "')");
        }
        List<EpochMetrics> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length != 8) {
                throw new IOException(file + ": line " + (i + 1) + " has " + f.length + " fields, expected 8");
            }
            try {
                rows.add(new EpochMetrics(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                        Double.parseDouble(f[6]), Double.parseDouble(f[7])));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": line " + (i + 1) + " is not numeric: " + line, e);
            }
        }
        return rows;
    }
}
