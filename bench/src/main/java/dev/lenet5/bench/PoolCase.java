package dev.lenet5.bench;

import java.util.Locale;

import dev.lenet5.nn.MaxPool2d;
import dev.lenet5.tensor.kernel.TensorKernels;

/** LeNet-5's two 2x2/2 max poolings and an odd 3x3/2 one on 7x9x11 maps (windows overlap, rows have tails). */
public enum PoolCase {
    POOL1(6, 28, 28, 2, 2),
    POOL2(16, 10, 10, 2, 2),
    ODD(7, 9, 11, 3, 2);

    private final int channels;
    private final int height;
    private final int width;
    private final int kernel;
    private final int stride;

    PoolCase(int channels, int height, int width, int kernel, int stride) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.kernel = kernel;
        this.stride = stride;
    }

    public static PoolCase parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown pooling '" + name + "': expected pool1, pool2 or odd", e);
        }
    }

    public MaxPool2d create(TensorKernels kernels) {
        return new MaxPool2d(paramName(), kernels, channels, height, width, kernel, stride);
    }

    public String paramName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code 6x28x28 2/2}. */
    public String describe() {
        return channels + "x" + height + "x" + width + " " + kernel + "/" + stride;
    }
}
