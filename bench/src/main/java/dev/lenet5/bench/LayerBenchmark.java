package dev.lenet5.bench;

import java.util.concurrent.TimeUnit;

import dev.lenet5.nn.Layer;
import dev.lenet5.nn.Parameter;
import dev.lenet5.tensor.kernel.Kernels;
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
 * What the per-layer benchmarks share: the batch and kernel parameters, the forward / backward / both
 * benchmark methods (JMH runs them under each subclass's name, e.g. {@code ConvBenchmark.forward}), and the
 * gradient reset between iterations. A subclass builds its layer and inputs for its case, after checking the
 * chosen kernels against the scalar reference. Score: time per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class LayerBenchmark {

    @Param({"120", "1"})
    public int batch;

    /** {@code scalar} or {@code simd} (the preferred width), or a fixed width such as {@code simd-256}. */
    @Param({"scalar", "simd"})
    public String kernels;

    // Not final, so the JIT cannot treat inputs as constants.
    private Layer layer;
    private float[] x;
    private float[] dy;

    /** A case ready to run: the layer and seeded inputs of its sizes. */
    record Prepared(Layer layer, float[] x, float[] dy) {
    }

    /** The case on {@code impl}; throws first if {@code impl} disagrees with the scalar reference on it. */
    abstract Prepared checkedCase(TensorKernels impl);

    @Setup(Level.Trial)
    public void setup() {
        Prepared p = checkedCase(Kernels.createFixingWidth(kernels));
        layer = p.layer();
        x = p.x();
        dy = p.dy();
        layer.forward(x, batch);   // backward() differentiates (and pooling routes through) this forward
    }

    /** Gradients accumulate over calls; starting each iteration from zero keeps their size that of one batch's. */
    @Setup(Level.Iteration)
    public void clearGradients() {
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
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
