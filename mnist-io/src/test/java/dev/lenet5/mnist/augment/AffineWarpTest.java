package dev.lenet5.mnist.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lenet5.mnist.ImageSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The affine map and the warp it drives, on hand-made images with hand-computed results. */
class AffineWarpTest {

    /** Warps a (rows, cols) image by the given parameters about its centre. */
    private static int[] warp(int rows, int cols, int[] pixels, double rotation, double scale, double shear,
            double tx, double ty) {
        float[] inv = new float[6];
        AffineMatrix.inverse(rotation, scale, shear, tx, ty, (cols - 1) / 2.0, (rows - 1) / 2.0, inv);
        Warper w = new Warper(AffineParams.IDENTITY, null, null);
        w.resize(rows, cols);
        w.warpAffine(TestImages.bytes(pixels), inv);
        return TestImages.unsigned(w.out());
    }

    @Test
    void zeroParametersGiveExactlyTheIdentityMatrix() {
        float[] inv = new float[6];
        AffineMatrix.inverse(0, 1, 0, 0, 0, 13.5, 13.5, inv);
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, inv);
        AffineMatrix.inverse(-0.0, 1, -0.0, -0.0, 0, 13.5, 13.5, inv);
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, inv);
    }

    @Test
    void inverseUndoesTheForwardMapOfTheClassComment() {
        Random rng = new Random(5);
        float[] inv = new float[6];
        for (int trial = 0; trial < 200; trial++) {
            double rot = 360 * rng.nextDouble() - 180;
            double scale = 0.5 + rng.nextDouble();
            double shear = 120 * rng.nextDouble() - 60;
            double tx = 6 * rng.nextDouble() - 3;
            double ty = 6 * rng.nextDouble() - 3;
            double cx = 13.5;
            double cy = 12;
            AffineMatrix.inverse(rot, scale, shear, tx, ty, cx, cy, inv);
            // Forward: p' = R Sh S (p - c) + c + t, written out independently.
            double px = 30 * rng.nextDouble() - 1;
            double py = 30 * rng.nextDouble() - 1;
            double sx = scale * (px - cx);
            double sy = scale * (py - cy);
            double hx = sx + Math.tan(Math.toRadians(shear)) * sy;
            double hy = sy;
            double th = Math.toRadians(rot);
            double fx = Math.cos(th) * hx + Math.sin(th) * hy + cx + tx;
            double fy = -Math.sin(th) * hx + Math.cos(th) * hy + cy + ty;
            assertEquals(px, inv[0] * fx + inv[1] * fy + inv[2], 1e-4, "x, trial " + trial);
            assertEquals(py, inv[3] * fx + inv[4] * fy + inv[5], 1e-4, "y, trial " + trial);
        }
    }

    @Test
    void shiftByOnePixelMovesEveryPixelRightOrDown() {
        int[] image = {
            1, 2, 3,
            4, 5, 6,
            7, 8, 9,
        };
        assertArrayEquals(new int[] {
            0, 1, 2,
            0, 4, 5,
            0, 7, 8,
        }, warp(3, 3, image, 0, 1, 0, 1, 0));
        assertArrayEquals(new int[] {
            0, 0, 0,
            1, 2, 3,
            4, 5, 6,
        }, warp(3, 3, image, 0, 1, 0, 0, 1));
        assertArrayEquals(new int[] {
            5, 6, 0,
            8, 9, 0,
            0, 0, 0,
        }, warp(3, 3, image, 0, 1, 0, -1, -1));
    }

    @Test
    void halfPixelShiftAveragesNeighbours() {
        int[] image = {
            0, 100, 200, 0,
        };
        // out(x) = in(x - 0.5): (0+0)/2, (0+100)/2, (100+200)/2, (200+0)/2
        assertArrayEquals(new int[] {0, 50, 150, 100}, warp(1, 4, image, 0, 1, 0, 0.5, 0));
        // Round half up: (0 + 5) / 2 = 2.5 becomes 3.
        assertArrayEquals(new int[] {0, 3, 5, 3}, warp(1, 4, new int[] {0, 5, 5, 0}, 0, 1, 0, 0.5, 0));
    }

    @Test
    void ninetyDegreesTurnsTheImageCounterClockwise() {
        int[] image = {
            10, 20, 30,
            40, 50, 60,
            70, 80, 90,
        };
        // The top row becomes the left column, read upwards.
        assertArrayEquals(new int[] {
            30, 60, 90,
            20, 50, 80,
            10, 40, 70,
        }, warp(3, 3, image, 90, 1, 0, 0, 0));
        assertArrayEquals(new int[] {
            70, 40, 10,
            80, 50, 20,
            90, 60, 30,
        }, warp(3, 3, image, -90, 1, 0, 0, 0));
        assertArrayEquals(new int[] {
            90, 80, 70,
            60, 50, 40,
            30, 20, 10,
        }, warp(3, 3, image, 180, 1, 0, 0, 0));
        // An even size turns about the centre between pixels: still a permutation of the pixels.
        int[] four = new int[16];
        for (int i = 0; i < 16; i++) {
            four[i] = 10 + i;
        }
        int[] turned = warp(4, 4, four, 90, 1, 0, 0, 0);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                // out(x, y) = in(3 - y, x)
                assertEquals(four[x * 4 + (3 - y)], turned[y * 4 + x], "(" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void scaleTwoSpreadsOnePixelIntoABilinearTent() {
        int[] image = new int[25];
        image[2 * 5 + 2] = 200;
        // out(p) = in(c + (p - c) / 2): the centre stays, its neighbours read half a pixel away.
        assertArrayEquals(new int[] {
            0, 0, 0, 0, 0,
            0, 50, 100, 50, 0,
            0, 100, 200, 100, 0,
            0, 50, 100, 50, 0,
            0, 0, 0, 0, 0,
        }, warp(5, 5, image, 0, 2, 0, 0, 0));
        // Scale 1/2 samples every other pixel around the centre: in(c + 2 (p - c)).
        int[] ramp = new int[25];
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                ramp[y * 5 + x] = 1 + x + 10 * y;
            }
        }
        int[] half = warp(5, 5, ramp, 0, 0.5, 0, 0, 0);
        assertArrayEquals(new int[] {
            0, 0, 0, 0, 0,
            0, 1, 3, 5, 0,
            0, 21, 23, 25, 0,
            0, 41, 43, 45, 0,
            0, 0, 0, 0, 0,
        }, half);
    }

    @Test
    void shearOf45DegreesShiftsEachRowByItsDistanceFromTheCentre() {
        int[] image = {
            1, 2, 3,
            4, 5, 6,
            7, 8, 9,
        };
        // x' = x + (y - 1): the top row moves left, the bottom row right.
        assertArrayEquals(new int[] {
            2, 3, 0,
            4, 5, 6,
            0, 7, 8,
        }, warp(3, 3, image, 0, 1, 45, 0, 0));
    }

    @Test
    void inkScalesWithTheSquareOfTheScale() {
        // Bilinear resampling keeps a digit's ink up to rounding, so its area factor s^2 shows directly.
        ImageSet set = TestImages.mnistTrain();
        for (double scale : new double[] {0.7, 1.0, 1.3}) {
            double ratios = 0;
            for (int i = 0; i < 100; i++) {
                int[] warped = warp(28, 28, TestImages.unsigned(set.rawImage(i)), 0, scale, 0, 0.3, -0.2);
                double ink = 0;
                for (int p : warped) {
                    ink += p;
                }
                ratios += ink / TestImages.ink(set, i);
            }
            assertEquals(scale * scale, ratios / 100, 0.03 * scale * scale, "scale " + scale);
        }
    }
}
