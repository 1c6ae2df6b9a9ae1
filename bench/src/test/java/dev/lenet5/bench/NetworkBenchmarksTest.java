package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

import dev.lenet5.mnist.ImageFormat;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.mnist.MnistDataset;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.Parameter;
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

    @Test
    void stepsAllocateNothingOnceWarm() {
        // Counts the calling thread's allocations: partition 0 of the pool runs there, the others do the same work.
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "this JVM cannot count allocations per thread");
        // Scalar kernels: the Vector API boxes vectors until C2 compiles the kernels, which no unit test can
        // wait for; the SIMD path's zero allocation is checked with JMH's -prof gc after warm-up instead.
        try (ParallelLeNet net = new ParallelLeNet(new LeNet5(ScalarKernels.INSTANCE, 9), 2)) {
            for (int i = 0; i < 3; i++) {
                net.trainStep(batches.images(i), batches.labels(i), 24);
                net.infer(batches.images(i), 24);
            }
            long thread = Thread.currentThread().getId();
            long before = mx.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 3; i++) {
                net.trainStep(batches.images(i), batches.labels(i), 24);
                net.infer(batches.images(i), 24);
                net.restart(9);
            }
            long allocated = mx.getThreadAllocatedBytes(thread) - before;
            // restart() resets Adam through its state API (a few small bookkeeping objects); the steps add nothing.
            assertTrue(allocated < 64 * 1024, allocated + " bytes allocated by 3 steps, inferences and restarts");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void benchmarkBodiesRunAStepAndAnInference(String kernels) {
        if (kernels.equals("simd")) {
            assumeTrue(Kernels.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        }
        TrainingStepBenchmark train = new TrainingStepBenchmark();
        train.threads = 2;
        train.kernels = kernels;
        train.setup();
        try {
            train.restart();
            double loss = train.trainStep();
            assertTrue(loss > 1.5 && loss < 3.5, "first loss near ln 10: " + loss);
            assertNotEquals(loss, train.trainStep(), "the next batch gives another loss");
        } finally {
            train.close();
        }
        InferenceBenchmark infer = new InferenceBenchmark();
        infer.threads = 1;
        infer.kernels = kernels;
        infer.setup();
        try {
            int c = infer.batch120();
            assertTrue(c >= 0 && c <= 9 * 120, "a sum of 120 classes: " + c);
            infer.batch500();
        } finally {
            infer.close();
        }
    }
}
