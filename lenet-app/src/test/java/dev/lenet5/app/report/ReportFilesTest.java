package dev.lenet5.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {

    @TempDir
    Path dir;

    @Test
    void metricsRoundTripThroughTheCsv() throws IOException {
        List<EpochMetrics> rows = List.of(
                new EpochMetrics(1, 0.5, 0.85, 0.3, 0.9, 12.5, 4320.0, 1e-3),
                new EpochMetrics(2, 0.25, 0.93, 0.2, 0.95, 11.0, 4909.1, 5e-4));
        Path file = dir.resolve("metrics.csv");
        MetricsCsv.write(file, rows);
        List<String> lines = Files.readAllLines(file);
        assertEquals(MetricsCsv.HEADER, lines.get(0));
        assertEquals("1,0.500000,0.850000,0.300000,0.900000,12.500,4320.0,0.00100000", lines.get(1));
        assertEquals(rows, MetricsCsv.read(file));
    }

    @Test
    void aForeignCsvIsRejectedWithItsName() throws IOException {
        Path file = dir.resolve("other.csv");
        Files.writeString(file, "a,b\n1,2\n");
        IOException e = assertThrows(IOException.class, () -> MetricsCsv.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void curvesPngDecodes() throws IOException {
        List<EpochMetrics> rows = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            rows.add(new EpochMetrics(e, 1.0 / e, 1 - 0.1 / e, 1.2 / e, 1 - 0.12 / e, 10, 5000, 1e-3));
        }
        Path file = dir.resolve("curves.png");
        CurvesPlot.write(file, rows, "LeNet-5");
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img);
        assertEquals(CurvesPlot.WIDTH, img.getWidth());
        assertEquals(CurvesPlot.HEIGHT, img.getHeight());
    }

    @Test
    void misclassifiedGridDrawsEachDigitWithItsCaption() throws IOException {
        List<MisclassifiedGrid.Mistake> mistakes = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            byte[] px = new byte[28 * 28];
            px[14 * 28 + 14] = (byte) 255; // one bright pixel: drawn dark on white
            mistakes.add(new MisclassifiedGrid.Mistake(i, px, 28, 28, i % 10, (i + 1) % 10));
        }
        Path file = dir.resolve("misclassified.png");
        MisclassifiedGrid.write(file, mistakes, 40, 10000);
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img);
        int cellW = MisclassifiedGrid.CELL_WIDTH + MisclassifiedGrid.GAP;
        assertEquals(MisclassifiedGrid.COLUMNS * cellW + MisclassifiedGrid.GAP, img.getWidth());
        // The bright pixel of the first digit is drawn black; its neighbour (background) white.
        int x = MisclassifiedGrid.GAP + (MisclassifiedGrid.CELL_WIDTH - 28 * MisclassifiedGrid.SCALE) / 2
                + 14 * MisclassifiedGrid.SCALE + 1;
        int y = 30 + 14 * MisclassifiedGrid.SCALE + 1;
        assertEquals(0x000000, img.getRGB(x, y) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(x - MisclassifiedGrid.SCALE, y) & 0xFFFFFF);
    }

    @Test
    void confusionMatrixComputesPrecisionRecallAndF1() throws IOException {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        // label 0: 3 right, 1 as class 1; label 1: 2 right; label 2: 1 right, 1 as class 0.
        int[][] pairs = {{0, 0}, {0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 1}, {2, 2}, {2, 0}};
        for (int[] p : pairs) {
            cm.add(p[0], p[1]);
        }
        assertEquals(8, cm.total());
        assertEquals(6, cm.correct());
        assertEquals(0.75, cm.accuracy(), 1e-12);
        assertEquals(3.0 / 4, cm.precision(0), 1e-12); // predicted 0: three 0s and one 2
        assertEquals(3.0 / 4, cm.recall(0), 1e-12);
        assertEquals(2.0 / 3, cm.precision(1), 1e-12);
        assertEquals(1.0, cm.recall(1), 1e-12);
        assertEquals(2 * (2.0 / 3) / (2.0 / 3 + 1), cm.f1(1), 1e-12);
        assertEquals(0.5, cm.recall(2), 1e-12);
        Path file = dir.resolve("confusion.txt");
        cm.write(file);
        String text = Files.readString(file);
        assertTrue(text.contains("accuracy 0.7500 (6 of 8)"), text);
        assertTrue(text.contains("    0     0.7500  0.7500  0.7500        4"), text);
    }
}
