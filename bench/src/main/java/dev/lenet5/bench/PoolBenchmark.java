package dev.lenet5.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.lenet5.nn.MaxPool2d;
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
 * The {@link MaxPool2d} layer, scalar against SIMD: forward, backward and both, on LeNet-5's poolings and an
 * odd overlapping one ({@link PoolCase}), batch 120 and 1. Score: time per call. Pooling only compares and
 * copies, so the setup requires the candidate's output and input gradient to equal the scalar reference's bit
 * for bit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PoolBenchmark {

    @Param({"pool1", "pool2", "odd"})
    public String pool;

    @Param({"120", "1"})
    public int batch;

    @Param({"scalar", "simd"})
    public String kernels;

    private MaxPool2d layer;
    private float[] x;
    private float[] dy;

    @Setup(Level.Trial)
    public void setup() {
        PoolCase c = PoolCase.parse(pool);
        TensorKernels impl = Kernels.create(kernels);
        layer = c.create(impl);
        Random random = new Random(13);
        x = GemmBenchmark.uniform(batch * layer.inputSize(), random);
        dy = GemmBenchmark.uniform(batch * layer.outputSize(), random);
        verify(c, impl, batch, x, dy);
        layer.forward(x, batch);   // backward() routes through this forward's winners
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
