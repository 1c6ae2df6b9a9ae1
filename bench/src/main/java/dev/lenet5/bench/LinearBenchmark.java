package dev.lenet5.bench;

import java.util.Random;

import dev.lenet5.nn.Linear;
import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;

import org.openjdk.jmh.annotations.Param;

/**
 * The {@link Linear} layer, scalar against SIMD: forward, backward and both, on LeNet-5's fc1, fc2, fc3 and an
 * odd 131 to 37 layer ({@link LinearCase}), batch 120 and 1. Score: time per call. The setup compares output and
 * gradients with the scalar reference first.
 */
public class LinearBenchmark extends LayerBenchmark {

    static final long SEED = 6;

    @Param({"fc1", "fc2", "fc3", "odd"})
    public String fc;

    @Override
    Prepared checkedCase(TensorKernels impl) {
        LinearCase c = LinearCase.parse(fc);
        Random random = new Random(17);
        float[] x = GemmBenchmark.uniform(batch * c.in(), random);
        float[] dy = GemmBenchmark.uniform(batch * c.out(), random);
        verify(c, impl, batch, x, dy);
        return new Prepared(c.create(impl, SEED), x, dy);
    }

    /** Throws unless {@code candidate} gives the scalar reference's output and gradients within rounding. */
    static void verify(LinearCase c, TensorKernels candidate, int batch, float[] x, float[] dy) {
        Linear ref = c.create(ScalarKernels.INSTANCE, SEED);
        Linear got = c.create(candidate, SEED);
        String what = "LinearBenchmark setup: " + candidate.name() + " " + c.paramName() + " batch " + batch + " ";
        Agreement.requireClose(what + "forward output", ref.forward(x, batch), got.forward(x, batch),
                batch * c.out(), Agreement.forSums(c.in()));
        Agreement.requireClose(what + "input gradient", ref.backward(dy, batch), got.backward(dy, batch),
                batch * c.in(), Agreement.forSums(c.out()));
        Agreement.requireClose(what + "weight gradient", ref.weight().grad(), got.weight().grad(),
                ref.weight().size(), Agreement.forSums(batch));
        Agreement.requireClose(what + "bias gradient", ref.bias().grad(), got.bias().grad(),
                ref.bias().size(), Agreement.forSums(batch));
    }
}
