package dev.lenet5.mnist;

import java.util.Arrays;

/**
 * How raw 8-bit pixels become network input: scaled to [0,1] as {@code pixel / 255f} (as torchvision's
 * {@code ToTensor}), optionally normalised as {@code (x - mean) / std} (as {@code Normalize}), and framed
 * by {@code padding} pixels of background on every side (28x28 MNIST with padding 2 gives 32x32). Which
 * format a network wants is the network's convention; its user builds the format from it.
 *
 * <p>The padding holds what a black (0) pixel becomes, so it looks like background whether or not the
 * values are normalised: 0 in [0,1], {@code -mean/std} when normalised. Immutable.
 */
public final class ImageFormat {

    /** Mean and standard deviation of the MNIST training pixels in [0,1], as commonly used. */
    public static final float MNIST_MEAN = 0.1307f;
    public static final float MNIST_STD = 0.3081f;

    private final int padding;
    private final float mean;
    private final float std;
    private final boolean normalised;
    // Every one of the 256 possible pixels precomputed: filling a batch is then one lookup per pixel.
    private final float[] values = new float[256];

    private ImageFormat(int padding, float mean, float std, boolean normalised) {
        if (padding < 0 || padding > 1024) {
            throw new IllegalArgumentException("padding must be between 0 and 1024 pixels, got " + padding);
        }
        if (!Float.isFinite(mean) || !Float.isFinite(std) || !(std > 0)) {
            throw new IllegalArgumentException("normalisation needs a finite mean and a positive finite std, got mean "
                    + mean + " std " + std);
        }
        this.padding = padding;
        this.mean = mean;
        this.std = std;
        this.normalised = normalised;
        for (int p = 0; p < 256; p++) {
            float x = p / 255f;
            values[p] = normalised ? (x - mean) / std : x;
        }
    }

    /** Pixels in [0,1], {@code padding} background pixels around each image. */
    public static ImageFormat unitRange(int padding) {
        return new ImageFormat(padding, 0f, 1f, false);
    }

    /** Pixels in [0,1], then {@code (x - mean) / std}; {@code padding} background pixels around. */
    public static ImageFormat normalised(int padding, float mean, float std) {
        return new ImageFormat(padding, mean, std, true);
    }

    public int padding() {
        return padding;
    }

    public boolean isNormalised() {
        return normalised;
    }

    /** The mean subtracted (0 when not normalised). */
    public float mean() {
        return normalised ? mean : 0f;
    }

    /** The std divided by (1 when not normalised). */
    public float std() {
        return normalised ? std : 1f;
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
        return normalised
                ? "ImageFormat[padding=" + padding + ", normalised mean=" + mean + " std=" + std + "]"
                : "ImageFormat[padding=" + padding + ", [0,1]]";
    }
}
