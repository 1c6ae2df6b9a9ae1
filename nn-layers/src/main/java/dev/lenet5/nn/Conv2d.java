package dev.lenet5.nn;

import dev.lenet5.tensor.kernel.ConvGeometry;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * 2-D convolution with bias, as PyTorch's {@code Conv2d}: weight {@code (Cout, Cin, KH, KW)}, bias {@code (Cout)},
 * zero padding, any stride, optionally followed by a fused ReLU. Input and output are NCHW.
 *
 * <p>The whole batch goes to the kernels' {@link TensorKernels#convForward convForward} and
 * {@link TensorKernels#convBackward convBackward}, which choose how to compute it (the SIMD kernels run
 * LeNet's shapes directly along the output pixels, other shapes lowered to im2col and GEMM). With the fused
 * ReLU, backward masks the output gradient by this layer's own output inside the kernel.
 */
public final class Conv2d implements Layer {

    private final String name;
    private final TensorKernels kernels;
    private final ConvGeometry g;
    private final int outChannels;
    private final Parameter weight;
    private final Parameter bias;
    private final Activation activation;

    private float[] output;
    private float[] inputGrad;
    private float[] input;        // the last forward's input, read again by backward
    private int inputOffset;
    private int forwardBatch;
    private boolean inputGradientEnabled = true;

    /**
     * @param geometry input channels and size, kernel, stride and padding of one image
     * @param outChannels number of filters
     */
    public Conv2d(String name, TensorKernels kernels, ConvGeometry geometry, int outChannels) {
        this(name, kernels, geometry, outChannels, Activation.NONE);
    }

    /**
     * @param activation applied to the output, fused ({@link Activation#RELU} replaces a following ReLU layer)
     */
    public Conv2d(String name, TensorKernels kernels, ConvGeometry geometry, int outChannels, Activation activation) {
        this(name, kernels, geometry, outChannels, activation,
                new Parameter(name + ".weight", outChannels, geometry.channels(), geometry.kernelH(), geometry.kernelW()),
                new Parameter(name + ".bias", outChannels));
    }

    /** Square kernel, stride and padding: {@code Conv2d(inChannels, outChannels, kernel, stride, padding)} on H x W input. */
    public Conv2d(String name, TensorKernels kernels, int inChannels, int outChannels, int height, int width,
                  int kernel, int stride, int padding) {
        this(name, kernels, ConvGeometry.square(inChannels, height, width, kernel, stride, padding), outChannels);
    }

    private Conv2d(String name, TensorKernels kernels, ConvGeometry geometry, int outChannels, Activation activation,
                   Parameter weight, Parameter bias) {
        if (outChannels < 1) {
            throw new IllegalArgumentException(name + ": output channels must be at least 1, got " + outChannels);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.g = Objects.requireNonNull(geometry, "geometry");
        this.outChannels = outChannels;
        this.activation = Objects.requireNonNull(activation, "activation");
        this.weight = weight;
        this.bias = bias;
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

    public ConvGeometry geometry() {
        return g;
    }

    public int outChannels() {
        return outChannels;
    }

    public Activation activation() {
        return activation;
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
        return forward(x, 0, batch);
    }

    /**
     * {@link #forward(float[], int)} on the {@code batch} images starting at {@code x[xOff]}: a part of a larger
     * batch without copying it out. The layer keeps the reference and offset for backward.
     */
    public float[] forward(float[] x, int xOff, int batch) {
        Buffers.checkBatch(name, "input", x, xOff, batch, inputSize());
        output = Buffers.atLeast(output, (long) batch * outputSize(), name);
        // x: (N, Cin, H, W) → y: (N, Cout, OH, OW) = conv(x, W) + b, then the fused activation
        kernels.convForward(g, outChannels, batch, weight.data(), 0, bias.data(), 0, activation == Activation.RELU,
                x, xOff, output, 0);
        input = x;
        inputOffset = xOff;
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
        }
        // dW += dY (through the ReLU) correlated with x; db += sums of dY; dX = dY convolved with W flipped
        kernels.convBackward(g, outChannels, batch, input, inputOffset, weight.data(), 0,
                activation == Activation.RELU ? output : null, 0, dy, 0,
                weight.grad(), 0, bias.grad(), 0, inputGradientEnabled ? inputGrad : null, 0);
        return inputGradientEnabled ? inputGrad : null;
    }

    @Override
    public Conv2d replica() {
        Conv2d r = new Conv2d(name, kernels, g, outChannels, activation, weight.replica(), bias.replica());
        r.inputGradientEnabled = inputGradientEnabled;
        return r;
    }
}
