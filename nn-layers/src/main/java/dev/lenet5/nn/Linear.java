package dev.lenet5.nn;

import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Fully connected layer, as PyTorch's {@code Linear}: weight {@code (out, in)}, bias {@code (out)},
 * {@code y = x W^T + b} on a batch {@code x: (N, in)}, optionally followed by a fused ReLU.
 */
public final class Linear implements Layer {

    private final String name;
    private final TensorKernels kernels;
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final Activation activation;

    private float[] output;
    private float[] maskedGrad;   // dY through the fused ReLU
    private float[] inputGrad;
    private float[] input;
    private int forwardBatch;

    public Linear(String name, TensorKernels kernels, int inFeatures, int outFeatures) {
        this(name, kernels, inFeatures, outFeatures, Activation.NONE);
    }

    /** @param activation applied to the output, fused ({@link Activation#RELU} replaces a following ReLU layer) */
    public Linear(String name, TensorKernels kernels, int inFeatures, int outFeatures, Activation activation) {
        this(name, kernels, inFeatures, outFeatures, activation,
                new Parameter(name + ".weight", outFeatures, inFeatures), new Parameter(name + ".bias", outFeatures));
    }

    private Linear(String name, TensorKernels kernels, int in, int out, Activation activation, Parameter weight,
                   Parameter bias) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(name + ": features must be at least 1, got in=" + in + " out=" + out);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.in = in;
        this.out = out;
        this.activation = Objects.requireNonNull(activation, "activation");
        this.weight = weight;
        this.bias = bias;
    }

    /** PyTorch's default initialisation (fan_in = in); parameters start at zero until this is called. */
    public void resetParameters(Random rng) {
        Init.pytorchDefault(rng, weight, bias, in);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public float[] forward(float[] x, int batch) {
        Buffers.checkBatch(name, "input", x, batch, in);
        output = Buffers.atLeast(output, (long) batch * out, name);
        // y: (N, out) = x: (N, in) * W^T, W: (out, in); then + b per column
        kernels.sgemm(false, true, batch, out, in, 1f, x, 0, in, weight.data(), 0, in, 0f, output, 0, out);
        kernels.addColumnBias(batch, out, bias.data(), 0, output, 0, out);
        if (activation == Activation.RELU) {
            kernels.reluForward(batch * out, output, 0, output, 0);
        }
        input = x;
        forwardBatch = batch;
        return output;
    }

    @Override
    public float[] backward(float[] dy, int batch) {
        Buffers.checkBackwardBatch(name, forwardBatch, batch);
        Buffers.checkBatch(name, "output gradient", dy, batch, out);
        inputGrad = Buffers.atLeast(inputGrad, (long) batch * in, name);
        if (activation == Activation.RELU) {
            // Through the ReLU first: the gradient passes where the output is positive.
            maskedGrad = Buffers.atLeast(maskedGrad, (long) batch * out, name);
            kernels.reluBackward(batch * out, output, 0, dy, 0, maskedGrad, 0);
            dy = maskedGrad;
        }
        // dW: (out, in) += dY^T: (out, N) * x: (N, in)
        kernels.sgemm(true, false, out, in, batch, 1f, dy, 0, out, input, 0, in, 1f, weight.grad(), 0, in);
        // db: (out) += column sums of dY: (N, out)
        kernels.sumColumns(batch, out, dy, 0, out, bias.grad(), 0);
        // dX: (N, in) = dY: (N, out) * W: (out, in)
        kernels.sgemm(false, false, batch, in, out, 1f, dy, 0, out, weight.data(), 0, in, 0f, inputGrad, 0, in);
        return inputGrad;
    }

    @Override
    public Linear replica() {
        return new Linear(name, kernels, in, out, activation, weight.replica(), bias.replica());
    }
}
