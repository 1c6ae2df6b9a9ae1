package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;

import dev.lenet5.mnist.ImageFormat;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.mnist.MnistDataset;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.Parameter;
import dev.lenet5.nn.optim.Adam;
import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The training-step and inference benchmarks: real data, real threads, checked against the scalar reference. */
class NetworkBenchmarksTest {

    private static MnistDataset mnist;
    private static MnistBatches batches;

    @BeforeAll
    static void load() {
        mnist = MnistBatches.load();
        batches = MnistBatches.of(mnist.train(), 24, 3);
    }

    @Test
    void batchesHoldTheSetsImagesInOrderAsLeNetInput() {
        ImageSet train = mnist.train();
        assertEquals(3, batches.count());
        assertEquals(24, batches.batchSize());
        float[] expected = new float[LeNet5.INPUT_SIZE];
        // Image 2 of batch 1 is image 26 of the set.
        train.writeImage(26, ImageFormat.unitRange(LeNet5.INPUT.padding()), expected, 0);
        float[] got = java.util.Arrays.copyOfRange(batches.images(1), 2 * 1024, 3 * 1024);
        assertArrayEquals(expected, got);
        assertEquals(train.label(26), batches.labels(1)[2]);
        assertEquals(10_000 / 120, MnistBatches.allOf(mnist.test(), 120).count());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MnistBatches.of(mnist.test(), 500, 21));
        assertTrue(e.getMessage().contains("10500 images but the test set holds 10000"), e.getMessage());
    }

    @Test
    void aMissingDataDirectoryIsNamed() {
        String old = System.getProperty(MnistBatches.PROPERTY);
        System.setProperty(MnistBatches.PROPERTY, "/nonexistent/mnist");
        try {
            RuntimeException e = assertThrows(RuntimeException.class, MnistBatches::load);
            assertTrue(e.getMessage().contains("/nonexistent/mnist"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(MnistBatches.PROPERTY);
            } else {
                System.setProperty(MnistBatches.PROPERTY, old);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void checkAcceptsTheScalarStepOnAnyThreadCountAndRejectsABrokenGemm(int threads) {
        assertDoesNotThrow(() -> LeNetCheck.verify("test", ScalarKernels.INSTANCE, threads, 3,
                batches.images(0), batches.labels(0), 24));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LeNetCheck.verify("test",
                BrokenKernels.adding(1e-2f, "sgemm", "convForward"), threads, 3, batches.images(0), batches.labels(0), 24));
        assertTrue(e.getMessage().startsWith("test: broken-sgemm-convForward with " + threads + " thread(s)"), e.getMessage());
    }

    @Test
    void simdStepPassesTheCheck() {
        assumeTrue(Kernels.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        for (int threads : new int[]{1, 2}) {
            assertDoesNotThrow(() -> LeNetCheck.verify("test", Kernels.create("simd"), threads, 3,
                    batches.images(0), batches.labels(0), 24));
        }
    }

    @Test
    void twoThreadsGiveTheOneThreadGradientsAndTheStepLearns() {
        TensorKernels k = ScalarKernels.INSTANCE;
        try (ParallelLeNet one = new ParallelLeNet(new LeNet5(k, 9), 1);
             ParallelLeNet two = new ParallelLeNet(new LeNet5(k, 9), 2)) {
            double loss1 = one.gradients(batches.images(0), batches.labels(0), 24);
            double loss2 = two.gradients(batches.images(0), batches.labels(0), 24);
            assertEquals(loss1, loss2, 1e-6 * loss1);
            for (int i = 0; i < one.model().parameters().size(); i++) {
                Parameter a = one.model().parameters().get(i);
                Parameter b = two.model().parameters().get(i);
                Agreement.requireClose(a.name(), a.grad(), b.grad(), a.size(), 1e-5);
            }
            // Adam on one batch: the loss on that batch goes down.
            double first = two.trainStep(batches.images(0), batches.labels(0), 24);
            double later = first;
            for (int step = 0; step < 10; step++) {
                later = two.trainStep(batches.images(0), batches.labels(0), 24);
            }
            assertTrue(later < first, "loss " + first + " -> " + later);
            // restart() returns to the initial weights and a fresh Adam: the same first step again.
            two.restart(9);
            assertEquals(first, two.trainStep(batches.images(0), batches.labels(0), 24));
        }
    }

    @Test
    void inferenceSplitsTheBatchAcrossThreads() {
        try (ParallelLeNet one = new ParallelLeNet(new LeNet5(ScalarKernels.INSTANCE, 9), 1);
             ParallelLeNet two = new ParallelLeNet(new LeNet5(ScalarKernels.INSTANCE, 9), 2)) {
            LeNet5 ref = new LeNet5(ScalarKernels.INSTANCE, 9);
            ref.forward(batches.images(0), 24);
            int[] predictions = ref.predictions();
            // Both report the sum of every image's class, whichever thread classified it.
            int sum = 0;
            for (int i = 0; i < 24; i++) {
                sum += predictions[i];
            }
            assertEquals(sum, one.infer(batches.images(0), 24));
            assertEquals(sum, two.infer(batches.images(0), 24));
            assertThrows(IllegalArgumentException.class, () -> two.infer(batches.images(0), 0));
        }
    }

    /**
     * After the first call of each batch size, training steps and inferences allocate nothing, on the calling thread
     * (partition 0 of the pool) or on the pool's worker: counted with HotSpot's per-thread allocation counters, read
     * outside the measured window. Scalar kernels: the Vector API boxes vectors until C2 compiles the kernels, which
     * no unit test can wait for; the SIMD path's zero allocation is checked with JMH's -prof gc after warm-up.
     */
    @Test
    void stepsAndInferencesAllocateNothingOnceWarmOnAnyThread() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocations per thread");
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ParallelLeNet net = new ParallelLeNet(new LeNet5(ScalarKernels.INSTANCE, 9), 2)) {
            long[] workers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.getName().startsWith("lenet5-parallel-"))
                    .mapToLong(Thread::getId).toArray();
            assertEquals(1, workers.length, "the pool of two threads has one worker");
            for (int i = 0; i < 3; i++) {
                net.trainStep(batches.images(i), batches.labels(i), 24);
                net.infer(batches.images(i), 24);
            }
            long workerBefore = mx.getThreadAllocatedBytes(workers[0]);
            long callerBefore = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 3; i++) {
                net.trainStep(batches.images(i), batches.labels(i), 24);
                net.infer(batches.images(i), 24);
            }
            long caller = mx.getCurrentThreadAllocatedBytes() - callerBefore;
            long worker = mx.getThreadAllocatedBytes(workers[0]) - workerBefore;
            assertEquals(0, caller, "bytes the calling thread allocated in 3 steps and 3 inferences");
            assertEquals(0, worker, "bytes the worker allocated in 3 steps and 3 inferences");

            // restart() reuses the weights and Adam's moments: new ones would be 247 KB and 494 KB. What it does
            // allocate is bookkeeping: the Random that seeds the weights, and the names and maps through which
            // Adam's state API checks the fresh state (about 5.5 KB measured).
            List<float[]> weights = net.model().parameters().stream().map(Parameter::data).toList();
            callerBefore = mx.getCurrentThreadAllocatedBytes();
            net.restart(9);
            long restart = mx.getCurrentThreadAllocatedBytes() - callerBefore;
            assertTrue(restart < 16 * 1024, restart + " bytes allocated by restart");
            for (int i = 0; i < weights.size(); i++) {
                assertSame(weights.get(i), net.model().parameters().get(i).data(), "restart reuses the weights' arrays");
            }
        }
    }

    /**
     * The training-step benchmark's body returns the loss of the step it takes, batch after batch: the same losses
     * as the network stepped by hand with Adam on the scalar kernels (one model, no thread pool). A body that skipped
     * the optimiser, repeated a batch or reused stale weights would be off by far more than float rounding, which
     * Adam's first steps cannot amplify in the loss: the weights whose step is ill-conditioned (gradient near eps)
     * are those the loss hardly depends on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void theTrainingStepBenchmarkReturnsTheLossOfEachStep(String kernels) {
        assumeAvailable(kernels);
        TrainingStepBenchmark train = new TrainingStepBenchmark();
        train.threads = 2;
        train.kernels = kernels;
        train.setup();
        try {
            int n = TrainingStepBenchmark.BATCH;
            MnistBatches data = MnistBatches.of(mnist.train(), n, 3);   // the benchmark's first batches
            LeNet5 ref = new LeNet5(ScalarKernels.INSTANCE, TrainingStepBenchmark.SEED);
            ref.setInputGradientEnabled(false);
            Adam adam = new Adam(ref.parameters(), ScalarKernels.INSTANCE, ParallelLeNet.LR);
            train.restart();
            double first = 0;
            for (int b = 0; b < data.count(); b++) {
                ref.zeroGrad();
                double want = ref.forwardLoss(data.images(b), data.labels(b), n);
                ref.backward();
                adam.step();
                double got = train.trainStep();
                assertEquals(want, got, 1e-6 * want, kernels + ": loss of step " + (b + 1));
                first = b == 0 ? got : first;
            }
            train.restart();
            assertEquals(first, train.trainStep(), "after restart() the first step again, to the bit");
        } finally {
            train.close();
        }
    }

    /**
     * The inference benchmark's bodies return the sum of the classes predicted for the batch they classify, batch
     * after batch: the sums of the classes the scalar network's logits give, computed here image by image.
     */
    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void theInferenceBenchmarkReturnsTheSumOfThePredictedClasses(String kernels) {
        assumeAvailable(kernels);
        InferenceBenchmark infer = new InferenceBenchmark();
        infer.threads = 2;
        infer.kernels = kernels;
        infer.setup();
        try {
            LeNet5 ref = new LeNet5(ScalarKernels.INSTANCE, InferenceBenchmark.SEED);
            MnistBatches of120 = MnistBatches.allOf(mnist.test(), 120);
            MnistBatches of500 = MnistBatches.allOf(mnist.test(), 500);
            for (int b = 0; b < 2; b++) {
                assertEquals(sumOfClasses(ref, of120.images(b), 120), infer.batch120(), kernels + ": batch120, call " + b);
            }
            assertEquals(sumOfClasses(ref, of500.images(0), 500), infer.batch500(), kernels + ": batch500");
        } finally {
            infer.close();
        }
    }

    /**
     * The sum of each image's highest-scoring class. Each image's two best logits must be apart by far more than the
     * kernels' rounding, or the benchmark could honestly predict either class: then this data cannot test it.
     */
    private static int sumOfClasses(LeNet5 model, float[] images, int n) {
        float[] logits = model.forward(images, n);
        int sum = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < 10; c++) {
                best = logits[i * 10 + c] > logits[i * 10 + best] ? c : best;
            }
            float second = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < 10; c++) {
                second = c == best ? second : Math.max(second, logits[i * 10 + c]);
            }
            assertTrue(logits[i * 10 + best] - second > 1e-4f * (1 + Math.abs(logits[i * 10 + best])),
                    "image " + i + ": two classes score almost the same");
            sum += best;
        }
        return sum;
    }

    private static void assumeAvailable(String kernels) {
        if (kernels.equals("simd")) {
            assumeTrue(Kernels.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        }
    }
}
