package dev.lenet5.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        List<EpochMetrics> rows = epochs(5, true);
        Path file = dir.resolve("curves.png");
        CurvesPlot.write(file, rows, "LeNet-5");
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img);
        assertEquals(CurvesPlot.WIDTH, img.getWidth());
        assertEquals(CurvesPlot.HEIGHT, img.getHeight());
        Raster drawn = CurvesPlot.render(rows, "LeNet-5");
        for (int y = 0; y < CurvesPlot.HEIGHT; y += 7) {
            for (int x = 0; x < CurvesPlot.WIDTH; x += 3) {
                assertEquals(drawn.get(x, y), img.getRGB(x, y) & 0xFFFFFF, x + "," + y);
            }
        }
    }

    static List<EpochMetrics> epochs(int n, boolean validation) {
        List<EpochMetrics> rows = new ArrayList<>();
        for (int e = 1; e <= n; e++) {
            rows.add(new EpochMetrics(e, 1.0 / e, 1 - 0.1 / e, validation ? 1.2 / e : Double.NaN,
                    validation ? 1 - 0.12 / e : Double.NaN, 10, 5000, 1e-3));
        }
        return rows;
    }

    /** Whether a pixel of exactly {@code colour} lies within {@code radius} of {@code (x, y)}. */
    static boolean colourNear(Raster image, double x, double y, int radius, int colour) {
        for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
                int px = (int) Math.floor(x) + dx;
                int py = (int) Math.floor(y) + dy;
                if (px >= 0 && py >= 0 && px < image.width && py < image.height && image.get(px, py) == colour) {
                    return true;
                }
            }
        }
        return false;
    }

    static int count(Raster image, int x0, int y0, int w, int h, int colour) {
        int n = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                n += image.get(x, y) == colour ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void curvesAreDrawnWhereTheDataSays() {
        List<EpochMetrics> rows = epochs(5, true);
        Raster image = CurvesPlot.render(rows, "LeNet-5");
        CurvesPlot.Panel loss = CurvesPlot.lossPanel(rows, "LeNet-5");
        CurvesPlot.Panel accuracy = CurvesPlot.accuracyPanel(rows, "LeNet-5");
        for (EpochMetrics m : rows) {
            int e = m.epoch();
            assertTrue(colourNear(image, loss.px(e), loss.py(m.trainLoss()), 1, CurvesPlot.TRAINING), "loss " + e);
            assertTrue(colourNear(image, loss.px(e), loss.py(m.valLoss()), 1, CurvesPlot.VALIDATION), "val loss " + e);
            assertTrue(colourNear(image, accuracy.px(e), accuracy.py(100 * m.trainAccuracy()), 1, CurvesPlot.TRAINING));
            assertTrue(colourNear(image, accuracy.px(e), accuracy.py(100 * m.valAccuracy()), 1, CurvesPlot.VALIDATION));
        }
        // Where the data is not: the training loss of epoch 1 (1.0) drawn as if it were the epoch 5 value (0.2).
        assertFalse(colourNear(image, loss.px(1), loss.py(0.2), 3, CurvesPlot.TRAINING));
        // Loss from zero; accuracy zoomed to its data (88-98%), not 0-100.
        assertEquals(0, loss.values().low());
        assertTrue(accuracy.values().low() >= 85 && accuracy.values().high() <= 100, accuracy.values().toString());
        assertTrue(accuracy.py(100 * rows.get(0).valAccuracy()) > accuracy.py(100 * rows.get(4).valAccuracy()),
                "higher accuracy higher up");
    }

    @Test
    void withoutValidationOnlyTheTrainingCurveIsDrawn() {
        Raster image = CurvesPlot.render(epochs(4, false), "LeNet-5");
        assertEquals(0, count(image, 0, 0, image.width, image.height, CurvesPlot.VALIDATION));
        assertTrue(count(image, 0, 0, image.width, image.height, CurvesPlot.TRAINING) > 100);
        assertEquals(1, CurvesPlot.lossPanel(epochs(4, false), "t").series().size());
    }

    @Test
    void oneEpochIsOnePointInAWindowAroundIt() {
        List<EpochMetrics> rows = epochs(1, true);
        Raster image = CurvesPlot.render(rows, "LeNet-5");
        CurvesPlot.Panel accuracy = CurvesPlot.accuracyPanel(rows, "LeNet-5");
        assertTrue(accuracy.values().high() > accuracy.values().low());
        assertTrue(colourNear(image, accuracy.px(1), accuracy.py(90), 1, CurvesPlot.TRAINING));
        assertTrue(colourNear(image, accuracy.px(1), accuracy.py(88), 1, CurvesPlot.VALIDATION));
        double middle = (accuracy.left() + accuracy.right()) / 2.0;
        assertEquals(middle, accuracy.px(1), 1.0, "the one epoch in the middle");
    }

    @Test
    void ticksAreThinnedToAReadableCount() {
        CurvesPlot.Panel long60 = CurvesPlot.lossPanel(epochs(60, true), "t");
        assertEquals(5, long60.epochStep(), "60 epochs: a tick every 5");
        assertEquals(1, CurvesPlot.lossPanel(epochs(12, true), "t").epochStep());
        assertEquals(2, CurvesPlot.lossPanel(epochs(20, true), "t").epochStep());
        assertEquals(10, CurvesPlot.lossPanel(epochs(100, true), "t").epochStep());
        // Accuracy up to 99.8%: the axis ends at 100, not past it.
        List<EpochMetrics> high = List.of(new EpochMetrics(1, 0.1, 0.886, 0.1, 0.98, 1, 1, 1),
                new EpochMetrics(2, 0.1, 0.998, 0.1, 0.991, 1, 1, 1));
        assertEquals(100, CurvesPlot.accuracyPanel(high, "t").values().high(), 1e-9);
        // Value ticks: 1, 2 or 5 times a power of ten, the range widened to whole steps.
        CurvesPlot.Axis a = CurvesPlot.Axis.nice(97.2, 99.4, 8);
        assertEquals(0.5, a.step(), 1e-12);
        assertEquals(97.0, a.low(), 1e-9);
        assertEquals(99.5, a.high(), 1e-9);
        assertEquals("97.5", a.label(97.5));
        CurvesPlot.Axis b = CurvesPlot.Axis.nice(0, 2.19, 8);
        assertEquals(0.5, b.step(), 1e-12);
        assertEquals(2.5, b.high(), 1e-9);
        CurvesPlot.Axis c = CurvesPlot.Axis.nice(0, 0.043, 8);
        assertEquals(0.01, c.step(), 1e-12);
        assertEquals("0.03", c.label(0.03));
        assertEquals("0.00", c.label(c.low()));
        assertEquals("0.01", c.label(0.01));
        assertEquals("1.25", c.label(1.25));
        assertEquals("-0.04", c.label(-0.04));
        assertEquals("0.00", c.label(-1e-12));
        CurvesPlot.Axis whole = CurvesPlot.Axis.nice(0, 33, 8);
        assertEquals(5, whole.step(), 1e-12);
        assertEquals("35", whole.label(35));
        assertEquals("first 100 of 123 misclassified test images (of 10000)", MisclassifiedGrid.title(100, 123, 10000));
    }

    @Test
    void theTitlesAreWritten() {
        Raster image = CurvesPlot.render(epochs(3, true), "LeNet-5 on MNIST");
        String title = "LeNet-5 on MNIST: loss";
        int w = BitmapFont.width(title, CurvesPlot.TITLE_SCALE);
        int x = (CurvesPlot.WIDTH / 2 - w) / 2;
        int h = BitmapFont.ROWS * CurvesPlot.TITLE_SCALE;
        int ink = CurvesPlot.WIDTH * CurvesPlot.HEIGHT - count(image, x, CurvesPlot.TITLE_TOP, w, h, 0xFFFFFF);
        int inTitle = w * h - count(image, x, CurvesPlot.TITLE_TOP, w, h, 0xFFFFFF);
        assertTrue(inTitle > 200, "dark pixels in the title: " + inTitle);
        // Above the title and beside it, nothing.
        assertEquals(CurvesPlot.WIDTH * CurvesPlot.TITLE_TOP, count(image, 0, 0, CurvesPlot.WIDTH, CurvesPlot.TITLE_TOP,
                0xFFFFFF));
        assertEquals(x * h, count(image, 0, CurvesPlot.TITLE_TOP, x, h, 0xFFFFFF));
        assertTrue(ink > inTitle);
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

        Raster raster = MisclassifiedGrid.render(mistakes, 40, 10000);
        // The first digit's caption in red under it, the title in black above the grid, the frame in grey.
        int x0 = MisclassifiedGrid.GAP + (MisclassifiedGrid.CELL_WIDTH - 28 * MisclassifiedGrid.SCALE) / 2;
        int below = MisclassifiedGrid.HEADER + 28 * MisclassifiedGrid.SCALE;
        assertTrue(count(raster, x0 - 10, below + 1, 28 * MisclassifiedGrid.SCALE + 20, MisclassifiedGrid.CAPTION,
                MisclassifiedGrid.CAPTION_COLOUR) > 60);
        assertTrue(count(raster, 0, 0, raster.width, MisclassifiedGrid.HEADER, 0x000000) > 300);
        assertEquals(MisclassifiedGrid.FRAME, raster.get(x0 - 1, MisclassifiedGrid.HEADER + 10));
        assertEquals(MisclassifiedGrid.FRAME, raster.get(x0 + 28 * MisclassifiedGrid.SCALE, below));
    }

    @Test
    void aShortGridIsWideEnoughForItsTitle() {
        byte[] px = new byte[28 * 28];
        Raster image = MisclassifiedGrid.render(List.of(new MisclassifiedGrid.Mistake(0, px, 28, 28, 3, 5)), 1, 10000);
        String title = MisclassifiedGrid.title(1, 1, 10000);
        assertEquals("1 misclassified test images (of 10000)", title);
        assertTrue(image.width >= BitmapFont.width(title, MisclassifiedGrid.TITLE_SCALE) + MisclassifiedGrid.GAP,
                image.width + " pixels");
        // The title's last glyph ")" is inked inside the picture.
        int lastGlyph = MisclassifiedGrid.GAP + BitmapFont.width(title, MisclassifiedGrid.TITLE_SCALE)
                - BitmapFont.GLYPH_WIDTH * MisclassifiedGrid.TITLE_SCALE;
        assertTrue(count(image, lastGlyph, 0, BitmapFont.GLYPH_WIDTH * MisclassifiedGrid.TITLE_SCALE,
                MisclassifiedGrid.HEADER, 0x000000) > 0);
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
