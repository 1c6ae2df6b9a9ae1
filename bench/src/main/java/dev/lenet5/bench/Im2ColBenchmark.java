package dev.lenet5.bench;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

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
 * im2col and col2im of one image, scalar against SIMD, for LeNet's two convolutions (conv1: 1x28x28,
 * 5x5, padding 2; conv2: 6x14x14, 5x5) and a stride-2 case. Score: images per second. The setup
 * requires SIMD to equal scalar bit for bit (both only copy and add).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class Im2ColBenchmark {

    @Param({"conv1", "conv2", "stride2"})
    public String geometry;

    @Param({"scalar", "simd"})
    public String kernels;

    private TensorKernels impl;
    private ConvGeometry g;
    private float[] x;
    private float[] cols;
    private float[] dx;

    static ConvGeometry geometry(String name) {
        switch (name) {
            case "conv1":
                return ConvGeometry.square(1, 28, 28, 5, 1, 2);
            case "conv2":
                return ConvGeometry.square(6, 14, 14, 5, 1, 0);
            case "stride2":
                return ConvGeometry.square(6, 28, 28, 3, 2, 1);
            default:
                throw new IllegalArgumentException("unknown geometry '" + name + "': expected conv1, conv2 or stride2");
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        impl = Kernels.createFixingWidth(kernels);
        g = geometry(geometry);
        Random random = new Random(7);
        x = GemmBenchmark.uniform(g.inputSize(), random);
        cols = GemmBenchmark.uniform(g.patchSize() * g.outPixels(), random);
        dx = new float[g.inputSize()];
        verify(impl, g, x, cols);
    }

    /** Throws unless the kernels' im2col and col2im equal the scalar reference exactly. */
    static void verify(TensorKernels candidate, ConvGeometry g, float[] x, float[] cols) {
        ScalarKernels ref = ScalarKernels.INSTANCE;
        float[] want = new float[cols.length];
        float[] got = new float[cols.length];
        ref.im2col(g, x, 0, want, 0, g.outPixels());
        candidate.im2col(g, x, 0, got, 0, g.outPixels());
        if (!Arrays.equals(want, got)) {
            throw new IllegalStateException("Im2ColBenchmark setup: " + candidate.name() + " im2col differs from scalar for " + g);
        }
        float[] back = new float[x.length];
        float[] backRef = new float[x.length];
        ref.col2im(g, cols, 0, g.outPixels(), backRef, 0);
        candidate.col2im(g, cols, 0, g.outPixels(), back, 0);
        if (!Arrays.equals(backRef, back)) {
            throw new IllegalStateException("Im2ColBenchmark setup: " + candidate.name() + " col2im differs from scalar for " + g);
        }
    }

    @Benchmark
    public float[] im2col() {
        impl.im2col(g, x, 0, cols, 0, g.outPixels());
        return cols;
    }

    @Benchmark
    public float[] col2im() {
        impl.col2im(g, cols, 0, g.outPixels(), dx, 0);
        return dx;
    }
}
