package dev.lenet5.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.lenet5.nn.Conv2d;
import dev.lenet5.nn.Parameter;
import dev.lenet5.tensor.kernel.ConvGeometry;
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
 * The {@link Conv2d} layer, scalar against SIMD kernels: forward, backward (weight, bias and input gradients;
 * the forward it belongs to ran in the setup) and both in a row, on LeNet-5's convolutions and an odd shape
 * ({@link ConvCase}), for a batch of 120 and a single image. Score: time per call. The setup runs the layer
 * once on the chosen kernels and once on the scalar reference and refuses to go on if outputs or gradients
 * differ by more than rounding.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ConvBenchmark -p conv=conv2 -p batch=120 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvBenchmark {

    static final long SEED = 5;

    @Param({"conv1", "conv2", "odd"})
    public String conv;

    @Param({"120", "1"})
    public int batch;

    /** {@code scalar} or {@code simd} (the preferred width), or a fixed width such as {@code simd-256}. */
    @Param({"scalar", "simd"})
    public String kernels;

    // Not final, so the JIT cannot treat inputs as constants.
    private Conv2d layer;
    private float[] x;
    private float[] dy;

    @Setup(Level.Trial)
    public void setup() {
        ConvCase c = ConvCase.parse(conv);
        TensorKernels impl = Kernels.create(kernels);
        Random random = new Random(11);
        x = GemmBenchmark.uniform(batch * c.geometry().inputSize(), random);
        dy = GemmBenchmark.uniform(batch * c.outChannels() * c.geometry().outPixels(), random);
        verify(c, impl, batch, x, dy);
        layer = c.create(impl, SEED);
        layer.forward(x, batch);   // backward() differentiates this forward
    }

    /** Gradients accumulate over calls; starting each iteration from zero keeps their size that of one batch's. */
    @Setup(Level.Iteration)
    public void clearGradients() {
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
    }

    /**
     * Throws unless {@code candidate} gives the scalar reference's output, input gradient and parameter
     * gradients for this case, within rounding of each result's sum length.
     */
    static void verify(ConvCase c, TensorKernels candidate, int batch, float[] x, float[] dy) {
        Conv2d ref = c.create(ScalarKernels.INSTANCE, SEED);
        Conv2d got = c.create(candidate, SEED);
        ConvGeometry g = c.geometry();
        String what = "ConvBenchmark setup: " + candidate.name() + " " + c.paramName() + " batch " + batch + " ";
        Agreement.requireClose(what + "forward output", ref.forward(x, batch), got.forward(x, batch),
                batch * ref.outputSize(), Agreement.forSums(g.patchSize()));
        // Each input element collects at most Cout * KH * KW products.
        Agreement.requireClose(what + "input gradient", ref.backward(dy, batch), got.backward(dy, batch),
                batch * ref.inputSize(), Agreement.forSums((long) c.outChannels() * g.kernelH() * g.kernelW()));
        long perWeight = (long) batch * g.outPixels();
        Agreement.requireClose(what + "weight gradient", ref.weight().grad(), got.weight().grad(),
                ref.weight().size(), Agreement.forSums(perWeight));
        Agreement.requireClose(what + "bias gradient", ref.bias().grad(), got.bias().grad(),
                ref.bias().size(), Agreement.forSums(perWeight));
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
