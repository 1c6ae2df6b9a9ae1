package dev.lenet5.nn.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class DigitPreprocessorTest {

    /** A dark bar 'one' on white paper, off-centre in a large image. */
    private static BufferedImage bar(boolean darkOnLight, int w, int h, int x, int y, int bw, int bh) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(darkOnLight ? Color.WHITE : Color.BLACK);
        g.fillRect(0, 0, w, h);
        g.setColor(darkOnLight ? Color.BLACK : Color.WHITE);
        g.fillRect(x, y, bw, bh);
        g.dispose();
        return img;
    }

    @Test
    void inkIsFittedInto20PixelsAndCentredByMass() {
        float[] out = DigitPreprocessor.toMnist(bar(true, 300, 200, 20, 10, 40, 160));
        // 40x160 bar → 5x20 box, centred: rows 4..23, columns 12..16 hold ink.
        int top = 28;
        int bottom = -1;
        int left = 28;
        int right = -1;
        double mass = 0;
        double cx = 0;
        double cy = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                float v = out[y * 28 + x];
                assertTrue(v >= 0 && v <= 1, "pixel in [0,1]");
                if (v > 0.5f) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
                mass += v;
                cx += v * x;
                cy += v * y;
            }
        }
        assertEquals(20, bottom - top + 1, "height fitted to 20");
        assertEquals(5, right - left + 1, "width keeps the aspect ratio");
        assertEquals(14.0, cx / mass, 0.6);
        assertEquals(14.0, cy / mass, 0.6);
    }

    @Test
    void polarityDoesNotMatter() {
        float[] dark = DigitPreprocessor.toMnist(bar(true, 90, 90, 30, 20, 12, 50));
        float[] light = DigitPreprocessor.toMnist(bar(false, 90, 90, 30, 20, 12, 50));
        for (int i = 0; i < dark.length; i++) {
            assertEquals(dark[i], light[i], 1e-6f);
        }
    }

    @Test
    void blankImagesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DigitPreprocessor.toMnist(bar(true, 50, 50, 0, 0, 0, 0)));
        assertTrue(e.getMessage().contains("no ink"), e.getMessage());
    }

    @Test
    void padSurroundsWithZeros() {
        float[] img = new float[28 * 28];
        img[0] = 1;
        img[28 * 28 - 1] = 0.5f;
        float[] padded = DigitPreprocessor.pad(img, 28, 2);
        assertEquals(32 * 32, padded.length);
        assertEquals(1f, padded[2 * 32 + 2]);
        assertEquals(0.5f, padded[29 * 32 + 29]);
        assertEquals(0f, padded[0]);
    }
}
