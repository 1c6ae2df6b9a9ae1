package dev.lenet5.nn;

import dev.lenet5.tensor.kernel.ConvGeometry;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * 2-D convolution with bias, as PyTorch's {@code Conv2d}: weight {@code (Cout, Cin, KH, KW)}, bias {@code (Cout)},
 * zero padding, any stride. Input and output are NCHW.
 *
 * <p>Lowered per image: {@code cols_n = im2col(x_n)} is {@code (Cin*KH*KW) x (OH*OW)} and
 * {@code y_n = W * cols_n + b}, with W viewed as {@code Cout x (Cin*KH*KW)}. One GEMM per image writes
 * {@code y_n} straight into its NCHW slot, with no transpose, and the working set (one image's columns)
 * stays in cache.
 *
 * <p>Backward recomputes {@code cols_n} instead of keeping the whole batch's columns: that costs one
 * im2col pass ({@code Cin*KH*KW*OH*OW} copies) against the {@code Cout} times more multiply-adds of each
 * of the two backward GEMMs, and keeps this layer's scratch memory at one image (LeNet's conv1 would
 * otherwise hold 78 KB per image, 5 MB for a batch of 64, far outside the caches).
 */
public final class Conv2d implements Layer {

    private final String name;
    private final TensorKernels kernels;
    private final ConvGeometry g;
    private final int outChannels;
    private final Parameter weight;
    private final Parameter bias;

    private final float[] cols;   // (patch, OH*OW): one image's im2col, then its column gradient
    private float[] output;
    private float[] inputGrad;
    private float[] input;        // the last forward's input, read again by backward
    private int forwardBatch;
    private boolean inputGradientEnabled = true;

    /**
     * @param geometry input channels and size, kernel, stride and padding of one image
     * @param outChannels number of filters
     */
    public Conv2d(String name, TensorKernels kernels, ConvGeometry geometry, int outChannels) {
        this(name, kernels, geometry, outChannels,
                new Parameter(name + ".weight", outChannels, geometry.channels(), geometry.kernelH(), geometry.kernelW()),
                new Parameter(name + ".bias", outChannels));
    }

    /** Square kernel, stride and padding: {@code Conv2d(inChannels, outChannels, kernel, stride, padding)} on H x W input. */
    public Conv2d(String name, TensorKernels kernels, int inChannels, int outChannels, int height, int width,
                  int kernel, int stride, int padding) {
        this(name, kernels, ConvGeometry.square(inChannels, height, width, kernel, stride, padding), outChannels);
    }

    private Conv2d(String name, TensorKernels kernels, ConvGeometry geometry, int outChannels,
                   Parameter weight, Parameter bias) {
        if (outChannels < 1) {
            throw new IllegalArgumentException(name + ": output channels must be at least 1, got " + outChannels);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.g = Objects.requireNonNull(geometry, "geometry");
        this.outChannels = outChannels;
        this.weight = weight;
        this.bias = bias;
        this.cols = new float[Math.multiplyExact(g.patchSize(), g.outPixels())];
    }

    /** PyTorch's default initialisation (fan_in = Cin*KH*KW); parameters start at zero until this is called. */
    public void resetParameters(Random rng) {
        Init.pytorchDefault(rng, weight, bias, g.patchSize());
    }

    /**
     * Whether {@link #backward} computes the input gradient. The first layer of a network does not need it
     * for training; switched off, backward only accumulates parameter gradients and returns {@code null}.
     */
    public void setInputGradientEnabled(boolean enabled) {
        this.inputGradientEnabled = enabled;
    }

    public boolean inputGradientEnabled() {
        return inputGradientEnabled;
    }

    public ConvGeometry geometry() {
        return g;
    }

    public int outChannels() {
        return outChannels;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputSize() {
        return g.inputSize();
    }

    @Override
    public int outputSize() {
        return outChannels * g.outPixels();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public float[] forward(float[] x, int batch) {
        Buffers.checkBatch(name, "input", x, batch, inputSize());
        output = Buffers.atLeast(output, (long) batch * outputSize(), name);
        int patch = g.patchSize();
        int pixels = g.outPixels();
        // x_n: (Cin, H, W) → cols: (patch, OH*OW); y_n: (Cout, OH*OW) = W: (Cout, patch) * cols + b
        for (int n = 0; n < batch; n++) {
            int yOff = n * outputSize();
            kernels.im2col(g, x, n * inputSize(), cols, 0, pixels);
            kernels.sgemm(false, false, outChannels, pixels, patch,
                    1f, weight.data(), 0, patch, cols, 0, pixels, 0f, output, yOff, pixels);
            kernels.addRowBias(outChannels, pixels, bias.data(), 0, output, yOff, pixels);
        }
        input = x;
        forwardBatch = batch;
        return output;
    }

    /** Returns the input gradient, or {@code null} when {@linkplain #setInputGradientEnabled disabled}. */
    @Override
    public float[] backward(float[] dy, int batch) {
        Buffers.checkBackwardBatch(name, forwardBatch, batch);
        Buffers.checkBatch(name, "output gradient", dy, batch, outputSize());
        if (inputGradientEnabled) {
            inputGrad = Buffers.atLeast(inputGrad, (long) batch * inputSize(), name);
            Arrays.fill(inputGrad, 0, batch * inputSize(), 0f);   // col2im accumulates
        }
        int patch = g.patchSize();
        int pixels = g.outPixels();
        for (int n = 0; n < batch; n++) {
            int dyOff = n * outputSize();
            // dW: (Cout, patch) += dY_n: (Cout, OH*OW) * cols_n^T: (OH*OW, patch)
            kernels.im2col(g, input, n * inputSize(), cols, 0, pixels);
            kernels.sgemm(false, true, outChannels, patch, pixels,
                    1f, dy, dyOff, pixels, cols, 0, pixels, 1f, weight.grad(), 0, patch);
            // db: (Cout) += row sums of dY_n
            kernels.sumRows(outChannels, pixels, dy, dyOff, pixels, bias.grad(), 0);
            if (inputGradientEnabled) {
                // dcols: (patch, OH*OW) = W^T: (patch, Cout) * dY_n, reusing cols; dX_n += col2im(dcols)
                kernels.sgemm(true, false, patch, pixels, outChannels,
                        1f, weight.data(), 0, patch, dy, dyOff, pixels, 0f, cols, 0, pixels);
                kernels.col2im(g, cols, 0, pixels, inputGrad, n * inputSize());
            }
        }
        return inputGradientEnabled ? inputGrad : null;
    }

    @Override
    public Conv2d replica() {
        Conv2d r = new Conv2d(name, kernels, g, outChannels, weight.replica(), bias.replica());
        r.inputGradientEnabled = inputGradientEnabled;
        return r;
    }
}
