package dev.lenet5.nn;

import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.Arrays;
import java.util.Objects;

/**
 * Max pooling without padding, as PyTorch's {@code MaxPool2d(kernel, stride)}: (N, C, H, W) →
 * (N, C, OH, OW) with {@code OH = (H - kernel) / stride + 1}. Ties go to the first maximum in row-major
 * window order, as in PyTorch; the winner's index is kept so backward routes each gradient to it.
 */
public final class MaxPool2d implements Layer {

    private final String name;
    private final TensorKernels kernels;
    private final int channels;
    private final int height;
    private final int width;
    private final int kernel;
    private final int stride;
    private final int outH;
    private final int outW;

    private float[] output;
    private float[] argmax;      // per output element: its winner in its plane, as TensorKernels.argmaxOf records it
    private float[] inputGrad;
    private int forwardBatch;

    public MaxPool2d(String name, TensorKernels kernels, int channels, int height, int width, int kernel, int stride) {
        this.name = Objects.requireNonNull(name, "name");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(name + ": input must be at least 1x1x1, got "
                    + channels + "x" + height + "x" + width);
        }
        if (kernel < 1 || stride < 1) {
            throw new IllegalArgumentException(name + ": kernel and stride must be at least 1, got kernel="
                    + kernel + " stride=" + stride);
        }
        if (kernel > height || kernel > width) {
            throw new IllegalArgumentException(name + ": kernel " + kernel + " is larger than the input "
                    + height + "x" + width);
        }
        if ((long) height * width > TensorKernels.MAX_POOL_PLANE) {
            throw new IllegalArgumentException(name + ": an input plane of " + height + "x" + width
                    + " has more than 2^23 elements, the most whose indices the pooling keeps exactly");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.kernel = kernel;
        this.stride = stride;
        this.outH = (height - kernel) / stride + 1;
        this.outW = (width - kernel) / stride + 1;
    }

    public int outH() {
        return outH;
    }

    public int outW() {
        return outW;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputSize() {
        return channels * height * width;
    }

    @Override
    public int outputSize() {
        return channels * outH * outW;
    }

    @Override
    public float[] forward(float[] x, int batch) {
        Buffers.checkBatch(name, "input", x, batch, inputSize());
        output = Buffers.atLeast(output, (long) batch * outputSize(), name);
        argmax = Buffers.atLeast(argmax, (long) batch * outputSize(), name);
        // x: (N*C planes, H, W) → y: (N*C, OH, OW); one call, since planes are contiguous across the batch
        kernels.maxPoolForward(batch * channels, height, width, kernel, stride, x, 0, output, 0, argmax, 0);
        forwardBatch = batch;
        return output;
    }

    @Override
    public float[] backward(float[] dy, int batch) {
        Buffers.checkBackwardBatch(name, forwardBatch, batch);
        Buffers.checkBatch(name, "output gradient", dy, batch, outputSize());
        inputGrad = Buffers.atLeast(inputGrad, (long) batch * inputSize(), name);
        Arrays.fill(inputGrad, 0, batch * inputSize(), 0f);   // overlapping windows (stride < kernel) accumulate
        kernels.maxPoolBackward(batch * channels, outH * outW, height * width, dy, 0, argmax, 0, inputGrad, 0);
        return inputGrad;
    }

    @Override
    public MaxPool2d replica() {
        return new MaxPool2d(name, kernels, channels, height, width, kernel, stride);
    }
}
