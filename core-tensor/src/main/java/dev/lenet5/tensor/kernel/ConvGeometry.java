package dev.lenet5.tensor.kernel;

/**
 * The shape of one image seen by a 2-D convolution or pooling window: input channels and size, window
 * size, stride and zero padding. Output sizes follow PyTorch: {@code (in + 2*pad - kernel) / stride + 1}.
 *
 * <p>Built once per layer, so kernels take it instead of nine loose ints that are easy to swap.
 */
public record ConvGeometry(int channels, int height, int width,
                           int kernelH, int kernelW,
                           int strideH, int strideW,
                           int padH, int padW) {

    public ConvGeometry {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("input must have at least one channel and one pixel, got "
                    + channels + "x" + height + "x" + width);
        }
        if (kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("kernel must be at least 1x1, got " + kernelH + "x" + kernelW);
        }
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("stride must be at least 1, got " + strideH + "x" + strideW);
        }
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("padding must not be negative, got " + padH + "x" + padW);
        }
        if (height + 2 * padH < kernelH || width + 2 * padW < kernelW) {
            throw new IllegalArgumentException("kernel " + kernelH + "x" + kernelW + " is larger than the padded input "
                    + (height + 2 * padH) + "x" + (width + 2 * padW));
        }
    }

    /** Square kernel, stride and padding. */
    public static ConvGeometry square(int channels, int height, int width, int kernel, int stride, int pad) {
        return new ConvGeometry(channels, height, width, kernel, kernel, stride, stride, pad, pad);
    }

    public int outH() {
        return (height + 2 * padH - kernelH) / strideH + 1;
    }

    public int outW() {
        return (width + 2 * padW - kernelW) / strideW + 1;
    }

    /** Output pixels per channel: the column count of one image's im2col matrix. */
    public int outPixels() {
        return outH() * outW();
    }

    /** Rows of the im2col matrix: one per (channel, ky, kx). */
    public int patchSize() {
        return channels * kernelH * kernelW;
    }

    /** Floats in one input image (C*H*W). */
    public int inputSize() {
        return channels * height * width;
    }
}
