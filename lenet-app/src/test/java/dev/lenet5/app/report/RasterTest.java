package dev.lenet5.app.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RasterTest {

    private static final int WHITE = 0xFFFFFF;

    static int[] pixels(Raster image) {
        int[] all = new int[image.width * image.height];
        for (int y = 0; y < image.height; y++) {
            for (int x = 0; x < image.width; x++) {
                all[y * image.width + x] = image.get(x, y);
            }
        }
        return all;
    }

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
    void copyRowIsClippedToThePicture() {
        Raster image = new Raster(4, 2, WHITE);
        image.copyRow(new int[] {1, 2, 3}, -1, 0);   // 1 falls off the left
        image.copyRow(new int[] {4, 5, 6}, 2, 1);    // 6 falls off the right
        image.copyRow(new int[] {7, 8}, 0, 2);       // below the picture: nothing
        assertArrayEquals(new int[] {2, 3, WHITE, WHITE, WHITE, WHITE, 4, 5}, pixels(image));
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
        assertArrayEquals(pixels(one), pixels(three));
        boolean partly = false;
        for (int p : pixels(one)) {
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

    /**
     * A line is drawn the same seen in a mirror and with x and y swapped: every pixel near it counts, at both ends of
     * each row, and steep lines are drawn like shallow ones.
     */
    @Test
    void linesAreSymmetricUnderMirrorAndTransposition() {
        Raster flat = new Raster(30, 20, WHITE);
        flat.polyline(new double[] {5, 25}, new double[] {10, 10}, 2, 3, 0x1f77b4);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                assertEquals(flat.get(x, y), flat.get(29 - x, y), "left-right at " + x + "," + y);
                assertEquals(flat.get(x, y), flat.get(x, 19 - y), "up-down at " + x + "," + y);
            }
        }
        Raster shallow = new Raster(32, 32, WHITE);
        shallow.polyline(new double[] {4.2, 27.1}, new double[] {8.7, 15.4}, 2, 2.5, 0xff7f0e);
        Raster steep = new Raster(32, 32, WHITE);
        steep.polyline(new double[] {8.7, 15.4}, new double[] {4.2, 27.1}, 2, 2.5, 0xff7f0e);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                assertEquals(shallow.get(x, y), steep.get(y, x), "transposed at " + x + "," + y);
            }
        }
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
