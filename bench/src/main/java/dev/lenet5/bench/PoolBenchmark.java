package dev.lenet5.bench;

import java.util.Random;

import dev.lenet5.nn.MaxPool2d;
import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;

import org.openjdk.jmh.annotations.Param;

/**
 * The {@link MaxPool2d} layer, scalar against SIMD: forward, backward and both, on LeNet-5's poolings and an
 * odd overlapping one ({@link PoolCase}), batch 120 and 1. Score: time per call. Pooling only compares and
 * copies, so the setup requires the candidate's output and input gradient to equal the scalar reference's bit
 * for bit.
 */
public class PoolBenchmark extends LayerBenchmark {

    @Param({"pool1", "pool2", "odd"})
    public String pool;

    @Override
    Prepared checkedCase(TensorKernels impl) {
        PoolCase c = PoolCase.parse(pool);
        MaxPool2d layer = c.create(impl);
        Random random = new Random(13);
        float[] x = GemmBenchmark.uniform(batch * layer.inputSize(), random);
        float[] dy = GemmBenchmark.uniform(batch * layer.outputSize(), random);
        verify(c, impl, batch, x, dy);
        return new Prepared(layer, x, dy);
    }

    /** Throws unless {@code candidate} pools and routes gradients exactly as the scalar reference does. */
    static void verify(PoolCase c, TensorKernels candidate, int batch, float[] x, float[] dy) {
        MaxPool2d ref = c.create(ScalarKernels.INSTANCE);
        MaxPool2d got = c.create(candidate);
        String what = "PoolBenchmark setup: " + candidate.name() + " " + c.paramName() + " batch " + batch + " ";
        Agreement.requireEqual(what + "forward output", ref.forward(x, batch), got.forward(x, batch),
                batch * ref.outputSize());
        Agreement.requireEqual(what + "input gradient", ref.backward(dy, batch), got.backward(dy, batch),
                batch * ref.inputSize());
    }
}
