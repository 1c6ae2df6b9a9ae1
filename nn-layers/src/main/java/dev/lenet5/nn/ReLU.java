package dev.lenet5.nn;

import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.Objects;

/** {@code y = max(x, 0)} elementwise; NaN passes through so a diverging run stays visible. */
public final class ReLU implements Layer {

    private final String name;
    private final TensorKernels kernels;
    private final int size;

    private float[] output;
    private float[] inputGrad;
    private int forwardBatch;

    /** @param size floats per sample */
    public ReLU(String name, TensorKernels kernels, int size) {
        if (size < 1) {
            throw new IllegalArgumentException(name + ": size must be at least 1, got " + size);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.size = size;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public float[] forward(float[] x, int batch) {
        Buffers.checkBatch(name, "input", x, batch, size);
        output = Buffers.atLeast(output, (long) batch * size, name);
        kernels.reluForward(batch * size, x, 0, output, 0);
        forwardBatch = batch;
        return output;
    }

    @Override
    public float[] backward(float[] dy, int batch) {
        Buffers.checkBackwardBatch(name, forwardBatch, batch);
        Buffers.checkBatch(name, "output gradient", dy, batch, size);
        inputGrad = Buffers.atLeast(inputGrad, (long) batch * size, name);
        // The gradient passes where the output is positive (the derivative at exactly 0 is 0, as in PyTorch).
        kernels.reluBackward(batch * size, output, 0, dy, 0, inputGrad, 0);
        return inputGrad;
    }

    @Override
    public ReLU replica() {
        return new ReLU(name, kernels, size);
    }
}
