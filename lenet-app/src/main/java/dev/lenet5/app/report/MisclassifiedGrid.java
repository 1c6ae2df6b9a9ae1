package dev.lenet5.app.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code misclassified.png}: a grid of wrongly classified test digits, each drawn from its original
 * 28x28 pixels and captioned with the true label and the prediction, as in the seed's write-up.
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

    private MisclassifiedGrid() {
    }

    public static void write(Path file, List<Mistake> mistakes, int totalMistakes, int testImages) throws IOException {
        BufferedImage image = render(mistakes, totalMistakes, testImages);
        Png.write(file, image);
    }

    static BufferedImage render(List<Mistake> mistakes, int totalMistakes, int testImages) {
        int cellW = CELL_WIDTH + GAP;
        int cellH = 28 * SCALE + CAPTION + GAP;
        int header = 30;
        int columns = Math.max(1, Math.min(COLUMNS, mistakes.size()));
        int rows = Math.max(1, (mistakes.size() + columns - 1) / columns);
        int width = Math.max(columns * cellW + GAP, 360);
        BufferedImage image = new BufferedImage(width, header + rows * cellH + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            String title = mistakes.size() < totalMistakes
                    ? String.format("first %d of %d misclassified test images (of %d)", mistakes.size(), totalMistakes, testImages)
                    : String.format("%d misclassified test images (of %d)", totalMistakes, testImages);
            g.drawString(title, GAP, 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < mistakes.size(); i++) {
                Mistake m = mistakes.get(i);
                int x0 = GAP + (i % columns) * cellW + (CELL_WIDTH - 28 * SCALE) / 2;
                int y0 = header + (i / columns) * cellH;
                drawDigit(g, m, x0, y0);
                String caption = "label " + m.label() + " / pred " + m.predicted();
                g.setColor(new Color(0xB00020));
                g.drawString(caption, x0 + (28 * SCALE - fm.stringWidth(caption)) / 2, y0 + 28 * SCALE + 13);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawDigit(Graphics2D g, Mistake m, int x0, int y0) {
        int cellRows = Math.min(28, m.rows());
        int cellCols = Math.min(28, m.cols());
        for (int r = 0; r < cellRows; r++) {
            for (int c = 0; c < cellCols; c++) {
                // MNIST is light ink on black; draw it dark on white, as digits are usually shown on paper.
                int v = 255 - (m.pixels()[r * m.cols() + c] & 0xFF);
                g.setColor(new Color(v, v, v));
                g.fillRect(x0 + c * SCALE, y0 + r * SCALE, SCALE, SCALE);
            }
        }
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(x0 - 1, y0 - 1, 28 * SCALE + 1, 28 * SCALE + 1);
    }
}
