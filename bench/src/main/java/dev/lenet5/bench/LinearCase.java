package dev.lenet5.bench;

import java.util.Locale;
import java.util.Random;

import dev.lenet5.nn.Linear;
import dev.lenet5.tensor.kernel.TensorKernels;

/** LeNet-5's three fully connected layers and an odd 131 to 37 one. */
public enum LinearCase {
    FC1(400, 120),
    FC2(120, 84),
    FC3(84, 10),
    ODD(131, 37);

    private final int in;
    private final int out;

    LinearCase(int in, int out) {
        this.in = in;
        this.out = out;
    }

    public static LinearCase parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown linear layer '" + name + "': expected fc1, fc2, fc3 or odd", e);
        }
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public Linear create(TensorKernels kernels, long seed) {
        Linear layer = new Linear(paramName(), kernels, in, out);
        layer.resetParameters(new Random(seed));
        return layer;
    }

    /** {@code 2 * batch * in * out}: the forward GEMM. */
    public long forwardFlops(int batch) {
        return 2L * batch * in * out;
    }

    /** Weight gradient plus input gradient, two GEMMs of the forward's size. */
    public long backwardFlops(int batch) {
        return 2 * forwardFlops(batch);
    }

    public String paramName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code 400>120}. */
    public String describe() {
        return in + ">" + out;
    }
}
