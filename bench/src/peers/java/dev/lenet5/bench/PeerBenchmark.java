package dev.lenet5.bench;

import java.io.File;
import java.util.concurrent.TimeUnit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.ParameterList;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;

import dev.lenet5.mnist.MnistDataset;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.tensor.kernel.ScalarKernels;

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
 * The peer a Java user would pick instead of this project: the same LeNet-5 (same layers, 32x32 input,
 * softmax cross-entropy, Adam lr 1e-3, batch 120) trained and run with DJL on its PyTorch engine, on the
 * same MNIST batches as {@link TrainingStepBenchmark} and {@link InferenceBenchmark}, with the same thread
 * counts (PyTorch's intra-op threads; inter-op threads 1). Scores are images per second, so JMH's table
 * shows ours and PyTorch's side by side.
 *
 * <p>Built only with the {@code peers} Maven profile, which puts libtorch (the {@code pytorch-native-cpu}
 * jar) on the classpath. DJL runs offline ({@code ai.djl.offline=true}): it extracts the native library
 * from that jar into {@code ENGINE_CACHE_DIR} (by default {@code djl-cache} next to the benchmark jar) and
 * downloads nothing. Run it as
 * <pre>
 * OMP_WAIT_POLICY=PASSIVE java -jar bench/target/benchmarks.jar "TrainingStep|Inference|Peer"
 * </pre>
 * PyTorch's OpenMP threads spin between parallel regions unless {@code OMP_WAIT_POLICY=PASSIVE}; OpenMP
 * reads it from the process environment when libtorch loads, which a running JVM cannot change, and JMH's
 * forks inherit the launching shell's environment. So it must be set on the command line: the setup refuses
 * to run without it (set it to ACTIVE on purpose on a quiet machine).
 *
 * <p>The setup copies our LeNet-5's initial weights into the DJL model and requires the same logits and loss
 * as our scalar reference on the first batch: both sides compute the same network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xmx2g", "-Dai.djl.offline=true"})
@Warmup(iterations = 10, time = 1)   // as ours, which needs them for the JIT
@Measurement(iterations = 5, time = 1)
public class PeerBenchmark {

    static final int BATCH = TrainingStepBenchmark.BATCH;
    static final int BATCHES = TrainingStepBenchmark.BATCHES;
    static final long SEED = TrainingStepBenchmark.SEED;
    static final String ENGINE = PeerLeNet.ENGINE;

    @Param({"1", "2"})
    public int threads;

    private PeerLeNet peer;
    private NDArray[] trainImages;
    private NDArray[] trainLabels;
    private NDArray[] test120;
    private NDArray[] test500;
    private int next;
    private int next120;
    private int next500;

    @Setup(Level.Trial)
    public void setup() {
        requireWaitPolicy();
        PeerLeNet.startEngine(threads);   // read once, when the engine starts: this fork's thread counts

        MnistDataset mnist = MnistBatches.load();
        MnistBatches train = MnistBatches.of(mnist.train(), BATCH, BATCHES);
        peer = new PeerLeNet(Tracker.fixed((float) ParallelLeNet.LR), BATCH);

        trainImages = new NDArray[BATCHES];
        trainLabels = new NDArray[BATCHES];
        for (int b = 0; b < BATCHES; b++) {
            trainImages[b] = peer.images(train.images(b), BATCH);
            trainLabels[b] = peer.labels(train.labels(b), BATCH);
        }
        test120 = testBatches(MnistBatches.allOf(mnist.test(), 120));
        test500 = testBatches(MnistBatches.allOf(mnist.test(), 500));
        verifySameNetwork(train);
    }

    private NDArray[] testBatches(MnistBatches batches) {
        NDArray[] out = new NDArray[batches.count()];
        for (int b = 0; b < out.length; b++) {
            out[b] = peer.images(batches.images(b), batches.batchSize());
        }
        return out;
    }

    /** LeNet-5 as {@link LeNet5} builds it, layer for layer. */
    static SequentialBlock lenet5() {
        return PeerLeNet.lenet5();
    }

    /**
     * Loads our LeNet-5's initial weights (PyTorch layouts on both sides) and requires DJL's logits, loss and
     * gradients on the first training batch to match our scalar reference's. (Its step then clears the
     * gradients itself, as {@code optimizer.zero_grad()} would.)
     */
    private void verifySameNetwork(MnistBatches train) {
        LeNet5 ours = new LeNet5(ScalarKernels.INSTANCE, SEED);
        peer.copyWeightsFrom(ours);
        Trainer trainer = peer.trainer;
        ParameterList theirs = peer.model.getBlock().getParameters();
        float[] expected = ours.forward(train.images(0), BATCH);
        double expectedLoss = ours.forwardLoss(train.images(0), train.labels(0), BATCH);
        try (NDManager scope = peer.manager.newSubManager()) {
            trainImages[0].tempAttach(scope);
            trainLabels[0].tempAttach(scope);
            NDList logits = trainer.evaluate(new NDList(trainImages[0]));
            float[] got = logits.singletonOrThrow().toFloatArray();
            Agreement.requireClose("PeerBenchmark setup: PyTorch logits", expected, got, BATCH * LeNet5.CLASSES, 1e-3);
            float loss = trainer.getLoss().evaluate(new NDList(trainLabels[0]), logits).getFloat();
            if (!(Math.abs(loss - expectedLoss) <= 1e-4 * expectedLoss)) {
                throw new IllegalStateException("PeerBenchmark setup: PyTorch's loss " + loss + " differs from ours, "
                        + expectedLoss);
            }
            // The gradients too: the same loss (mean softmax cross-entropy) differentiated the same way.
            ours.zeroGrad();
            ours.backward();
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList labels = new NDList(trainLabels[0]);
                NDArray lossValue = trainer.getLoss().evaluate(labels, trainer.forward(new NDList(trainImages[0]), labels));
                collector.backward(lossValue);
                for (int i = 0; i < theirs.size(); i++) {
                    dev.lenet5.nn.Parameter mine = ours.parameters().get(i);
                    float[] grad = theirs.valueAt(i).getArray().getGradient().toFloatArray();
                    Agreement.requireClose("PeerBenchmark setup: PyTorch's gradient of " + mine.name(), mine.grad(), grad,
                            mine.size(), 1e-3);
                }
                collector.zeroGradients();
            }
        }
    }

    private static void requireWaitPolicy() {
        if (System.getenv("OMP_WAIT_POLICY") == null) {
            throw new IllegalStateException("PeerBenchmark: set OMP_WAIT_POLICY in the environment of the java command,"
                    + " e.g. OMP_WAIT_POLICY=PASSIVE java -jar bench/target/benchmarks.jar Peer (PyTorch's OpenMP threads"
                    + " otherwise spin between parallel regions and take the CPU from everything else; the forked"
                    + " JVMs inherit the variable)");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (peer != null) {
            peer.close();
        }
    }

    /** Forward, loss, backward and one Adam step on the next training batch; returns the loss. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float trainStep() {
        int b = next;
        next = b + 1 == BATCHES ? 0 : b + 1;
        return peer.trainStep(trainImages[b], trainLabels[b]);
    }

    @Benchmark
    @OperationsPerInvocation(120)
    public long inferenceBatch120() {
        int b = next120;
        next120 = b + 1 == test120.length ? 0 : b + 1;
        return infer(test120[b]);
    }

    @Benchmark
    @OperationsPerInvocation(500)
    public long inferenceBatch500() {
        int b = next500;
        next500 = b + 1 == test500.length ? 0 : b + 1;
        return infer(test500[b]);
    }

    /** Forward without autograd and the first image's predicted class, as ours computes the predictions. */
    private long infer(NDArray batch) {
        try (NDManager scope = peer.manager.newSubManager()) {
            batch.tempAttach(scope);
            NDArray logits = peer.trainer.evaluate(new NDList(batch)).singletonOrThrow();
            return logits.argMax(1).getLong(0);
        }
    }

    /** Where DJL keeps the extracted native library, for messages. */
    static File cacheDir() {
        return new File(System.getProperty("ENGINE_CACHE_DIR", PeerLeNet.defaultCacheDir().toString()));
    }
}
