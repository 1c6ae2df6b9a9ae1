package dev.lenet5.mnist;

import java.util.Arrays;

/**
 * How raw 8-bit pixels become network input: scaled to [0,1] as {@code pixel / 255f} (as torchvision's
 * {@code ToTensor}) and framed by {@code padding} pixels of background (0, what a black pixel becomes) on
 * every side: 28x28 MNIST with padding 2 gives 32x32. Which format a network wants is the network's
 * convention; its user builds the format from it. Immutable.
 */
public final class ImageFormat {

    private final int padding;
    // Every one of the 256 possible pixels precomputed: filling a batch is then one lookup per pixel.
    private final float[] values = new float[256];

    private ImageFormat(int padding) {
        if (padding < 0 || padding > 1024) {
            throw new IllegalArgumentException("padding must be between 0 and 1024 pixels, got " + padding);
        }
        this.padding = padding;
        for (int p = 0; p < 256; p++) {
            values[p] = p / 255f;
        }
    }

    /** Pixels in [0,1], {@code padding} background pixels around each image. */
    public static ImageFormat unitRange(int padding) {
        return new ImageFormat(padding);
    }

    public int padding() {
        return padding;
    }

    /** The float a raw pixel 0..255 becomes. */
    public float value(int pixel) {
        return values[pixel];
    }

    /** The float the padding holds: what a black pixel becomes. */
    public float background() {
        return values[0];
    }

    /** Output height for images of {@code rows} rows. */
    public int outputHeight(int rows) {
        return rows + 2 * padding;
    }

    /** Output width for images of {@code cols} columns. */
    public int outputWidth(int cols) {
        return cols + 2 * padding;
    }

    /**
     * Writes one raw image into {@code dst} as {@code outputHeight(rows) x outputWidth(cols)} floats.
     * src: (rows, cols) unsigned bytes at srcOff → dst: (rows+2p, cols+2p) floats at dstOff.
     */
    public void write(byte[] src, int srcOff, int rows, int cols, float[] dst, int dstOff) {
        int outW = outputWidth(cols);
        int outH = outputHeight(rows);
        float bg = background();
        // Top and bottom bands, then each row with its left and right margins.
        Arrays.fill(dst, dstOff, dstOff + padding * outW, bg);
        Arrays.fill(dst, dstOff + (padding + rows) * outW, dstOff + outH * outW, bg);
        for (int y = 0; y < rows; y++) {
            int d = dstOff + (y + padding) * outW;
            Arrays.fill(dst, d, d + padding, bg);
            int s = srcOff + y * cols;
            for (int x = 0; x < cols; x++) {
                dst[d + padding + x] = values[src[s + x] & 0xFF];
            }
            Arrays.fill(dst, d + padding + cols, d + outW, bg);
        }
    }

    @Override
    public String toString() {
        return "ImageFormat[padding=" + padding + ", [0,1]]";
    }
}
