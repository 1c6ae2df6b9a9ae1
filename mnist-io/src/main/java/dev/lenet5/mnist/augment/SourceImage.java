package dev.lenet5.mnist.augment;

/**
 * One raw image as floats 0..255 framed by a one-pixel border of zeros (background), so bilinear
 * sampling needs one range check per sample instead of four: a point within one pixel of the image
 * reads the border, anything further out is background.
 *
 * <p>The range checked is the ink's bounding box, not the image's: a point whose four neighbours are all
 * background samples to exactly 0 either way, and an MNIST digit covers about half of its image, so about
 * half of the samples need no arithmetic. Scratch owned by one thread; reloaded per image.
 */
final class SourceImage {

    private final int rows;
    private final int cols;
    private final int stride;
    // (rows + 2, cols + 2): the image at (1, 1), zeros around it (never written).
    private final float[] padded;
    // Padded coordinates xp may sample ink when inkLoX <= xp < inkHiX (likewise y); empty when no ink.
    private float inkLoX;
    private float inkHiX;
    private float inkLoY;
    private float inkHiY;

    SourceImage(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.stride = cols + 2;
        this.padded = new float[(rows + 2) * stride];
    }

    int rows() {
        return rows;
    }

    int cols() {
        return cols;
    }

    /** Loads rows*cols unsigned bytes, row-major, from {@code raw} at {@code off}. */
    void load(byte[] raw, int off) {
        // raw: (rows, cols) bytes → padded interior: (rows, cols) floats at (1, 1)
        int minX = cols;
        int maxX = -1;
        int minY = rows;
        int maxY = -1;
        for (int y = 0; y < rows; y++) {
            int s = off + y * cols;
            int d = (y + 1) * stride + 1;
            int any = 0;
            for (int x = 0; x < cols; x++) {
                int v = raw[s + x] & 0xFF;
                padded[d + x] = v;
                any |= v;
            }
            if (any != 0) {
                minY = Math.min(minY, y);
                maxY = y;
                int first = 0;
                while (raw[s + first] == 0) {
                    first++;
                }
                int last = cols - 1;
                while (raw[s + last] == 0) {
                    last--;
                }
                minX = Math.min(minX, first);
                maxX = Math.max(maxX, last);
            }
        }
        if (maxY < 0) {
            inkLoX = inkHiX = inkLoY = inkHiY = 0f;
            return;
        }
        // Sample x reads pixels floor(x) and floor(x) + 1: ink is reachable for minX - 1 <= x < maxX + 1,
        // that is minX <= xp < maxX + 2 in padded coordinates (within 0 .. cols + 1, the padded frame).
        inkLoX = minX;
        inkHiX = maxX + 2;
        inkLoY = minY;
        inkHiY = maxY + 2;
    }

    /**
     * The image at the real point (x, y) by bilinear interpolation of the four surrounding pixels, pixels
     * outside the image counting as 0. At integer points it is exactly that pixel; the result lies in
     * [0, 255] (up to float rounding at the top). NaN coordinates read background.
     */
    float sample(float x, float y) {
        // In padded coordinates the four pixels are at floor(xp) and floor(xp) + 1; within the ink box they
        // are inside the padded frame, and floor is a cast as xp >= 0.
        float xp = x + 1f;
        float yp = y + 1f;
        if (!(xp >= inkLoX && xp < inkHiX && yp >= inkLoY && yp < inkHiY)) {
            return 0f;
        }
        int ix = (int) xp;
        int iy = (int) yp;
        float fx = xp - ix;
        float fy = yp - iy;
        int i = iy * stride + ix;
        float top = padded[i] + fx * (padded[i + 1] - padded[i]);
        float bottom = padded[i + stride] + fx * (padded[i + stride + 1] - padded[i + stride]);
        return top + fy * (bottom - top);
    }

    /** A sample as an 8-bit pixel: v >= 0 by construction (convex weights of pixels >= 0); half rounds up. */
    static byte toPixel(float v) {
        return (byte) Math.min((int) (v + 0.5f), 255);
    }
}
