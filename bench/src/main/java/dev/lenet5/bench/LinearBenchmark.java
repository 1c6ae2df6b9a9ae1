package dev.lenet5.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.lenet5.nn.Linear;
import dev.lenet5.nn.Parameter;
import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@link Linear} layer, scalar against SIMD: forward, backward and both, on LeNet-5's fc1, fc2, fc3 and an
 * odd 131 to 37 layer ({@link LinearCase}), batch 120 and 1. Score: time per call. The setup compares output and
 * gradients with the scalar reference first.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class LinearBenchmark {

    static final long SEED = 6;

    @Param({"fc1", "fc2", "fc3", "odd"})
    public String fc;

    @Param({"120", "1"})
    public int batch;

    @Param({"scalar", "simd"})
    public String kernels;

    private Linear layer;
    private float[] x;
    private float[] dy;

    @Setup(Level.Trial)
    public void setup() {
        LinearCase c = LinearCase.parse(fc);
        TensorKernels impl = Kernels.create(kernels);
        Random random = new Random(17);
        x = GemmBenchmark.uniform(batch * c.in(), random);
        dy = GemmBenchmark.uniform(batch * c.out(), random);
        verify(c, impl, batch, x, dy);
        layer = c.create(impl, SEED);
        layer.forward(x, batch);
    }

    @Setup(Level.Iteration)
    public void clearGradients() {
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
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

    @Benchmark
    public float[] forward() {
        return layer.forward(x, batch);
    }

    @Benchmark
    public float[] backward() {
        return layer.backward(dy, batch);
    }

    @Benchmark
    public float[] forwardBackward() {
        layer.forward(x, batch);
        return layer.backward(dy, batch);
    }
}
