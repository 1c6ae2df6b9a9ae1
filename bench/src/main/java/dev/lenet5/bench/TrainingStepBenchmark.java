package dev.lenet5.bench;

import java.util.concurrent.TimeUnit;

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
 * One LeNet-5 training step at batch 120 as the training program takes it, through its
 * {@link dev.lenet5.nn.TrainingStep}: forward, softmax cross-entropy, backward, gradients summed over the
 * threads' replicas, the finite checks, Adam (lr 1e-3); no weight average. On real MNIST training batches
 * (50 of them, 6,000 images, taken in turn), scalar against SIMD kernels, on 1 and 2 threads of a pool that
 * lives as long as the trial.
 *
 * <p>Score: images per second (one operation is one image), so an epoch of 54,000 images takes
 * {@code 54000 / score} seconds of compute. The same numbers as {@code PeerBenchmark.trainStep} (the same
 * network in PyTorch, built with the {@code peers} profile), so one run shows both side by side.
 *
 * <p>Each measurement iteration starts from freshly initialised weights and Adam state, so every iteration
 * measures the opening steps of a run, as at the start of training, and a long run cannot drift the weights
 * into a regime the training program never sees. The setup checks the step against the scalar reference.
 *
 * <p>Ten warm-up iterations, not five: a step calls a dozen different kernels, and the Vector API code only
 * stops boxing vectors (allocating) once C2 has compiled and inlined all of them, which on two loaded cores
 * took several hundred steps. {@code -prof gc} shows whether it got there: 0 B/op in steady state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 10, time = 1)   // see the class comment
@Measurement(iterations = 5, time = 1)
public class TrainingStepBenchmark {

    public static final int BATCH = 120;
    static final int BATCHES = 50;
    static final long SEED = 42;

    @Param({"1", "2"})
    public int threads;

    @Param({"scalar", "simd"})
    public String kernels;

    private MnistBatches data;
    private ParallelLeNet net;
    private int next;

    @Setup(Level.Trial)
    public void setup() {
        data = MnistBatches.of(MnistBatches.load().train(), BATCH, BATCHES);
        TensorKernels impl = Kernels.createFixingWidth(kernels);
        LeNetCheck.verify("TrainingStepBenchmark setup", impl, threads, SEED, data.images(0), data.labels(0), BATCH);
        net = new ParallelLeNet(new LeNet5(impl, SEED), threads);
    }

    @Setup(Level.Iteration)
    public void restart() {
        net.restart(SEED);
        next = 0;
    }

    @TearDown(Level.Trial)
    public void close() {
        net.close();
    }

    /** @return the batch's mean loss */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double trainStep() {
        int b = next;
        next = b + 1 == BATCHES ? 0 : b + 1;
        return net.trainStep(data.images(b), data.labels(b), BATCH);
    }
}
