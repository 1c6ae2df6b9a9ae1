package dev.lenet5.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

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
 * Single-threaded sgemm throughput, scalar against SIMD, on the shapes of {@link GemmShape}. The score
 * is GEMM calls per second; {@link GemmReport} turns it into GFLOP/s and a fraction of the FMA peak
 * measured by {@link PeakFmaBenchmark} in the same run. Every trial first checks the kernels against
 * the scalar reference and refuses to run if they disagree.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar GemmBenchmark -p shape=square512,conv2_fwd -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBenchmark {

    /** The shapes: 512^3, LeNet's products at batch 120, one odd shape. Others via -p shape=... */
    @Param({"square512",
            "conv1_fwd", "conv1_wgrad", "conv1_igrad",
            "conv2_fwd", "conv2_wgrad", "conv2_igrad",
            "fc1_fwd", "fc1_wgrad", "fc1_igrad",
            "fc2_fwd", "fc2_wgrad", "fc2_igrad",
            "fc3_fwd", "fc3_wgrad", "fc3_igrad",
            "odd"})
    public String shape;

    /** {@code scalar} or {@code simd} (the preferred width), or a fixed width such as {@code simd-256}. */
    @Param({"scalar", "simd"})
    public String kernels;

    // Not final, so the JIT cannot treat inputs as constants.
    private TensorKernels impl;
    private GemmShape s;
    private float alpha;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setup() {
        impl = Kernels.createFixingWidth(kernels);
        s = GemmShape.parse(shape);
        Random random = new Random(42);
        alpha = 1f;
        a = uniform(s.m() * s.k(), random);
        b = uniform(s.k() * s.n(), random);
        c = uniform(s.m() * s.n(), random);
        GemmCheck.verify("GemmBenchmark setup", impl, s, alpha, a, b, c);
        if (s.beta() != 0f) {
            // Accumulating shapes would grow C without bound over millions of calls; start small.
            java.util.Arrays.fill(c, 0f);
        }
    }

    static float[] uniform(int n, Random random) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * random.nextFloat() - 1;
        }
        return x;
    }

    @Benchmark
    public float[] sgemm() {
        impl.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), alpha, a, 0, s.lda(), b, 0, s.ldb(), s.beta(), c, 0, s.n());
        return c;
    }
}
