package dev.lenet5.bench;

import java.util.concurrent.TimeUnit;

import dev.lenet5.mnist.MnistDataset;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.TensorKernels;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * LeNet-5 inference (forward and the predicted class) on the 10,000 MNIST test images, in batches of 120 or
 * 500 taken in turn, scalar against SIMD kernels, on 1 and 2 threads (each thread its own replica on a part
 * of the batch, as in the training program's evaluation).
 *
 * <p>Score: images per second (one operation is one image), directly comparable with
 * {@code PeerBenchmark.inferenceBatch120} / {@code inferenceBatch500}. The setup checks the network against
 * the scalar reference first. Ten warm-up iterations, as {@link TrainingStepBenchmark} explains.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 10, time = 1)   // see the class comment
@Measurement(iterations = 5, time = 1)
public class InferenceBenchmark {

    static final long SEED = 42;

    @Param({"1", "2"})
    public int threads;

    @Param({"scalar", "simd"})
    public String kernels;

    private MnistBatches batches120;
    private MnistBatches batches500;
    private ParallelLeNet net;
    private int next120;
    private int next500;

    @Setup(Level.Trial)
    public void setup() {
        MnistDataset mnist = MnistBatches.load();
        batches120 = MnistBatches.allOf(mnist.test(), 120);
        batches500 = MnistBatches.allOf(mnist.test(), 500);
        TensorKernels impl = Kernels.createFixingWidth(kernels);
        LeNetCheck.verify("InferenceBenchmark setup", impl, threads, SEED, batches500.images(0), batches500.labels(0), 500);
        net = new ParallelLeNet(new LeNet5(impl, SEED), threads);
    }

    @TearDown(Level.Trial)
    public void close() {
        net.close();
    }

    @Benchmark
    @OperationsPerInvocation(120)
    public int batch120() {
        int b = next120;
        next120 = b + 1 == batches120.count() ? 0 : b + 1;
        return net.infer(batches120.images(b), 120);
    }

    @Benchmark
    @OperationsPerInvocation(500)
    public int batch500() {
        int b = next500;
        next500 = b + 1 == batches500.count() ? 0 : b + 1;
        return net.infer(batches500.images(b), 500);
    }
}
