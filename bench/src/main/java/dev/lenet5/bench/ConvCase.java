package dev.lenet5.bench;

import java.util.Locale;
import java.util.Random;

import dev.lenet5.nn.Conv2d;
import dev.lenet5.tensor.kernel.ConvGeometry;
import dev.lenet5.tensor.kernel.TensorKernels;

/**
 * The convolutions worth measuring: LeNet-5's two (conv1 on the 32x32 input, conv2 on the pooled 6x14x14
 * maps) and one odd shape whose every size leaves a vector tail (3 to 7 channels, 17x19 input, 5x5 kernel,
 * stride 2, padding 1, so an 8x9 output). The JMH parameter value is the lower-case name.
 */
public enum ConvCase {
    CONV1(ConvGeometry.square(1, 32, 32, 5, 1, 0), 6),
    CONV2(ConvGeometry.square(6, 14, 14, 5, 1, 0), 16),
    ODD(new ConvGeometry(3, 17, 19, 5, 5, 2, 2, 1, 1), 7);

    private final ConvGeometry geometry;
    private final int outChannels;

    ConvCase(ConvGeometry geometry, int outChannels) {
        this.geometry = geometry;
        this.outChannels = outChannels;
    }

    /** The case for a JMH parameter value such as {@code conv2} (case-insensitive). */
    public static ConvCase parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown convolution '" + name + "': expected conv1, conv2 or odd", e);
        }
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    public int outChannels() {
        return outChannels;
    }

    /** A layer with PyTorch's default initialisation drawn from {@code new Random(seed)}: equal per seed. */
    public Conv2d create(TensorKernels kernels, long seed) {
        Conv2d layer = new Conv2d(paramName(), kernels, geometry, outChannels);
        layer.resetParameters(new Random(seed));
        return layer;
    }

    /** Multiply-adds count two: {@code 2 * Cout * (Cin*KH*KW) * (OH*OW) * batch}, the forward GEMMs. */
    public long forwardFlops(int batch) {
        return 2L * outChannels * geometry.patchSize() * geometry.outPixels() * batch;
    }

    /** Weight gradient plus input gradient: two GEMMs of the forward's size (the bias sums are not counted). */
    public long backwardFlops(int batch) {
        return 2 * forwardFlops(batch);
    }

    public String paramName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code 6x14x14>16 k5}, with stride and padding when they are not 1 and 0. */
    public String describe() {
        ConvGeometry g = geometry;
        String s = g.channels() + "x" + g.height() + "x" + g.width() + ">" + outChannels + " k" + g.kernelH();
        if (g.strideH() != 1 || g.padH() != 0) {
            s += " s" + g.strideH() + " p" + g.padH();
        }
        return s;
    }
}
