package dev.lenet5.app.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code misclassified.png}: a grid of wrongly classified test digits, each drawn from its original
 * 28x28 pixels and captioned with the true label and the prediction, as in the seed's write-up. Drawn on a
 * {@link Raster} in the bitmap font, so writing it loads no desktop classes (see {@link CurvesPlot}).
 */
public final class MisclassifiedGrid {

    /** One wrongly classified image: its 28x28 grey levels (0..255, row-major), label and prediction. */
    public record Mistake(int index, byte[] pixels, int rows, int cols, int label, int predicted) {
    }

    static final int SCALE = 3;
    static final int CAPTION = 16;
    static final int GAP = 6;
    /** Wide enough for the caption "label 9 / pred 8" under each 84-pixel digit. */
    static final int CELL_WIDTH = 104;
    static final int COLUMNS = 10;
    /** Above the grid: the title, its baseline at y = 20. */
    static final int HEADER = 30;
    static final int TITLE_SCALE = 2;
    static final int CAPTION_COLOUR = 0xB00020;
    static final int FRAME = 0xC0C0C0;

    private MisclassifiedGrid() {
    }

    public static void write(Path file, List<Mistake> mistakes, int totalMistakes, int testImages) throws IOException {
        PngEncoder.write(file, render(mistakes, totalMistakes, testImages));
    }

    static String title(int drawn, int totalMistakes, int testImages) {
        // Concatenated, not String.format: its first use in a JVM costs more than drawing the grid.
        return (drawn < totalMistakes ? "first " + drawn + " of " + totalMistakes : Integer.toString(totalMistakes))
                + " misclassified test images (of " + testImages + ")";
    }

    static Raster render(List<Mistake> mistakes, int totalMistakes, int testImages) {
        int cellW = CELL_WIDTH + GAP;
        int cellH = 28 * SCALE + CAPTION + GAP;
        int columns = Math.max(1, Math.min(COLUMNS, mistakes.size()));
        int rows = Math.max(1, (mistakes.size() + columns - 1) / columns);
        String title = title(mistakes.size(), totalMistakes, testImages);
        // A grid of a few digits is narrower than its title: the picture widens to show the title whole.
        int width = Math.max(Math.max(columns * cellW + GAP, 360), BitmapFont.width(title, TITLE_SCALE) + 2 * GAP);
        Raster image = new Raster(width, HEADER + rows * cellH + GAP, 0xFFFFFF);
        image.text(title, GAP, 20 - BitmapFont.CAP_HEIGHT * TITLE_SCALE, TITLE_SCALE, 0x000000);
        for (int i = 0; i < mistakes.size(); i++) {
            Mistake m = mistakes.get(i);
            int x0 = GAP + (i % columns) * cellW + (CELL_WIDTH - 28 * SCALE) / 2;
            int y0 = HEADER + (i / columns) * cellH;
            drawDigit(image, m, x0, y0);
            image.textCentred("label " + m.label() + " / pred " + m.predicted(), x0, 28 * SCALE, y0 + 28 * SCALE + 5, 1,
                    CAPTION_COLOUR);
        }
        return image;
    }

    private static void drawDigit(Raster image, Mistake m, int x0, int y0) {
        int cellRows = Math.min(28, m.rows());
        int cellCols = Math.min(28, m.cols());
        // Straight into the pixel array, a row of blocks at a time: a fill call per block (78,400 for a full grid)
        // was most of the grid's cost in a JVM that has not compiled the drawing code yet.
        int[] row = new int[cellCols * SCALE];
        for (int r = 0; r < cellRows; r++) {
            for (int c = 0; c < cellCols; c++) {
                // MNIST is light ink on black; draw it dark on white, as digits are usually shown on paper.
                int v = 255 - (m.pixels()[r * m.cols() + c] & 0xFF);
                for (int k = 0; k < SCALE; k++) {
                    row[c * SCALE + k] = v << 16 | v << 8 | v;
                }
            }
            for (int k = 0; k < SCALE; k++) {
                image.copyRow(row, x0, y0 + r * SCALE + k);
            }
        }
        image.outline(x0 - 1, y0 - 1, 28 * SCALE + 2, 28 * SCALE + 2, FRAME);
    }
}
