package dev.lenet5.mnist.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Bilinear sampling with background outside, against hand-computed values. */
class SourceImageTest {

    // 3x4: every pixel different, ink up to the border.
    private static final int[] PIXELS = {
        10, 20, 30, 40,
        50, 60, 70, 80,
        90, 100, 110, 120,
    };

    private static SourceImage loaded(int rows, int cols, int... pixels) {
        SourceImage s = new SourceImage(rows, cols);
        s.load(TestImages.bytes(pixels), 0);
        return s;
    }

    @Test
    void integerPointsReadThePixelExactly() {
        SourceImage s = loaded(3, 4, PIXELS);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(PIXELS[y * 4 + x], s.sample(x, y), "pixel (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void halfPixelPositionsAverageTheNeighbours() {
        SourceImage s = loaded(3, 4, PIXELS);
        assertEquals((20 + 30) / 2f, s.sample(1.5f, 0f));
        assertEquals((30 + 70) / 2f, s.sample(2f, 0.5f));
        assertEquals((60 + 70 + 100 + 110) / 4f, s.sample(1.5f, 1.5f));
        // A quarter of the way: weights 3/4 and 1/4.
        assertEquals(0.75f * 50 + 0.25f * 60, s.sample(0.25f, 1f), 1e-4f);
        assertEquals(0.75f * 60 + 0.25f * 100, s.sample(1f, 1.25f), 1e-4f);
    }

    @Test
    void outsideTheImageIsBackground() {
        SourceImage s = loaded(3, 4, PIXELS);
        // Half a pixel outside: half of the edge pixel, half of the zero border.
        assertEquals(10 / 2f, s.sample(-0.5f, 0f));
        assertEquals(120 / 2f, s.sample(3.5f, 2f));
        assertEquals(90 / 2f, s.sample(0f, 2.5f));
        assertEquals(10 / 4f, s.sample(-0.5f, -0.5f));
        // A pixel or more outside: nothing.
        assertEquals(0f, s.sample(-1f, 1f));
        assertEquals(0f, s.sample(4f, 1f));
        assertEquals(0f, s.sample(1f, 3f));
        assertEquals(0f, s.sample(-7.3f, 100f));
        assertEquals(0f, s.sample(Float.NaN, 1f));
        assertEquals(0f, s.sample(1f, Float.POSITIVE_INFINITY));
    }

    @Test
    void theInkBoxShortcutGivesTheSameValuesAsFullSampling() {
        // Ink only at (2, 1) and (3, 2) of a 5x6 image; compare a dense grid of points against the formula.
        int rows = 5;
        int cols = 6;
        int[] pixels = new int[rows * cols];
        pixels[1 * cols + 2] = 200;
        pixels[2 * cols + 3] = 100;
        SourceImage s = loaded(rows, cols, pixels);
        for (float y = -2f; y <= rows + 1; y += 0.125f) {
            for (float x = -2f; x <= cols + 1; x += 0.125f) {
                assertEquals(reference(pixels, rows, cols, x, y), s.sample(x, y), 1e-3f, "at (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void blankImageSamplesToZeroEverywhere() {
        SourceImage s = loaded(2, 2, 0, 0, 0, 0);
        assertEquals(0f, s.sample(0f, 0f));
        assertEquals(0f, s.sample(0.5f, 0.5f));
        // Reloading replaces the previous image entirely, its ink box too.
        s.load(TestImages.bytes(0, 0, 0, 80), 0);
        assertEquals(80f, s.sample(1f, 1f));
        assertEquals(20f, s.sample(0.5f, 0.5f));
        s.load(TestImages.bytes(0, 0, 0, 0), 0);
        assertEquals(0f, s.sample(1f, 1f));
    }

    /** Bilinear interpolation written out with four explicit bounds checks, in double. */
    private static float reference(int[] p, int rows, int cols, float x, float y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double v = (1 - fx) * (1 - fy) * at(p, rows, cols, x0, y0) + fx * (1 - fy) * at(p, rows, cols, x0 + 1, y0)
                + (1 - fx) * fy * at(p, rows, cols, x0, y0 + 1) + fx * fy * at(p, rows, cols, x0 + 1, y0 + 1);
        return (float) v;
    }

    private static int at(int[] p, int rows, int cols, int x, int y) {
        return x < 0 || y < 0 || x >= cols || y >= rows ? 0 : p[y * cols + x];
    }
}
