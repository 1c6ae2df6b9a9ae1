package dev.lenet5.app.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RasterTest {

    private static final int WHITE = 0xFFFFFF;

    @Test
    void fillIsClippedToThePicture() {
        Raster image = new Raster(5, 4, WHITE);
        image.fill(-2, -3, 4, 5, 0x010203);   // covers x 0..1, y 0..1
        image.fill(4, 3, 10, 10, 0x040506);   // the bottom-right pixel only
        image.fill(7, 0, 2, 2, 0);            // wholly outside: nothing
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                int expected = x < 2 && y < 2 ? 0x010203 : x == 4 && y == 3 ? 0x040506 : WHITE;
                assertEquals(expected, image.get(x, y), x + "," + y);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Raster(0, 3, WHITE));
    }

    @Test
    void outlineDrawsTheBorderOnly() {
        Raster image = new Raster(6, 6, WHITE);
        image.outline(1, 1, 4, 3, 0);
        assertEquals(0, image.get(1, 1));
        assertEquals(0, image.get(4, 3));
        assertEquals(0, image.get(4, 1));
        assertEquals(WHITE, image.get(2, 2), "inside");
        assertEquals(WHITE, image.get(5, 1), "outside");
        assertEquals(WHITE, image.get(1, 4), "outside");
    }

    @Test
    void blendMixesEachChannel() {
        Raster image = new Raster(2, 1, WHITE);
        image.blend(0, 0, 0x000000, 0.5);
        image.blend(1, 0, 0xFF0000, 0.25);
        image.blend(5, 0, 0, 1);   // outside: ignored
        assertEquals(0x808080, image.get(0, 0));
        assertEquals(0xFFBFBF, image.get(1, 0));
    }

    @Test
    void aThickLineCoversItsPixelsAndNothingFarFromIt() {
        Raster image = new Raster(30, 20, WHITE);
        image.polyline(new double[] {3, 27}, new double[] {10, 10}, 2, 2, 0x000000);
        // The line is y 9..11 (centre 10, half-width 1): rows 9 and 10 fully inside, 8 and 11 just touched.
        assertEquals(0x000000, image.get(15, 9));
        assertEquals(0x000000, image.get(15, 10));
        assertEquals(WHITE, image.get(15, 7));
        assertEquals(WHITE, image.get(15, 12));
        assertEquals(WHITE, image.get(0, 10), "beyond the round end");
        assertEquals(WHITE, image.get(29, 10));
    }

    /** Joining segments must not darken the anti-aliased edge where they overlap. */
    @Test
    void aLineThroughAMiddlePointDrawsLikeOneSegment() {
        Raster one = new Raster(50, 20, WHITE);
        one.polyline(new double[] {5, 45}, new double[] {10.3, 10.3}, 2, 2.5, 0x1f77b4);
        Raster three = new Raster(50, 20, WHITE);
        three.polyline(new double[] {5, 17, 31, 45}, new double[] {10.3, 10.3, 10.3, 10.3}, 4, 2.5, 0x1f77b4);
        assertArrayEquals(one.pixels, three.pixels);
        boolean partly = false;
        for (int p : one.pixels) {
            partly |= p != WHITE && p != 0x1f77b4;
        }
        assertTrue(partly, "the edges are anti-aliased");
    }

    @Test
    void steepAndShallowLinesAreBothSolid() {
        Raster image = new Raster(40, 40, WHITE);
        image.polyline(new double[] {5.5, 10.5, 35.5}, new double[] {35.5, 5.5, 10.5}, 3, 3, 0);
        // 1.5 pixels either side of the centre line: every pixel it passes through is fully inked, no gaps.
        for (double t = 0; t <= 1; t += 0.02) {
            assertEquals(0, image.get((int) (5.5 + 5 * t), (int) (35.5 - 30 * t)), "steep at t=" + t);
            assertEquals(0, image.get((int) (10.5 + 25 * t), (int) (5.5 + 5 * t)), "shallow at t=" + t);
        }
        assertEquals(WHITE, image.get(30, 30));
    }

    @Test
    void markersAreSolidInsideAndSoftAtTheEdge() {
        Raster image = new Raster(20, 20, WHITE);
        image.disc(5, 5, 3.5, 0xff7f0e);
        image.square(15, 15, 3, 0x1f77b4);
        assertEquals(0xff7f0e, image.get(4, 4));
        assertEquals(0xff7f0e, image.get(5, 7));
        assertEquals(WHITE, image.get(0, 0), "outside the disc's corner");
        assertEquals(WHITE, image.get(10, 5));
        assertNotEquals(WHITE, image.get(1, 5));   // at the edge: partly covered
        assertEquals(0x1f77b4, image.get(12, 12), "a square reaches its corners");
        assertEquals(0x1f77b4, image.get(17, 17));
        assertEquals(WHITE, image.get(11, 15));
    }
}
