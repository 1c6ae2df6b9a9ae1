package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Splitting a batch across threads must give the single model's answer: the same loss, predictions and
 * gradients (up to the order in which float partial sums are added), and bit-for-bit the same again on a
 * second run with the same thread count.
 */
class DataParallelTest {

    private static MnistSample sample;

    @BeforeAll
    static void load() throws IOException {
        sample = MnistSample.firstTraining(31);
    }

    /** Reference: one model, the whole batch at once, no threads. */
    private static float[][] singleModelGradients(TensorKernels k, int count, double[] lossOut) {
        LeNet5 model = new LeNet5(k, 5);
        model.setInputGradientEnabled(false);
        lossOut[0] = model.forwardLoss(sample.images, sample.labels, count);
        model.zeroGrad();
        model.backward();
        return gradients(model);
    }

    private static float[][] gradients(LeNet5 model) {
        return model.parameters().stream().map(p -> p.grad().clone()).toArray(float[][]::new);
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void threadsGiveTheSingleModelsLossAndGradients(String kernels) {
        TensorKernels k = TestKernels.named(kernels);
        // 31 images over 2 and 3 threads: parts of 15/16 and 10/10/11, none a multiple of a vector.
        int count = 31;
        double[] refLoss = new double[1];
        float[][] ref = singleModelGradients(k, count, refLoss);
        for (int threads : new int[] {1, 2, 3}) {
            try (DataParallel parallel = new DataParallel(new LeNet5(k, 5), threads)) {
                DataParallel.BatchStats stats = parallel.forwardBackward(sample.images, sample.labels, count);
                assertEquals(refLoss[0], stats.lossSum() / count, 1e-5, threads + " threads: mean loss");
                float[][] got = gradients(parallel.model());
                for (int p = 0; p < ref.length; p++) {
                    String name = LeNet5.PARAMETER_NAMES.get(p);
                    for (int i = 0; i < ref[p].length; i++) {
                        // Partial sums in another order: a few float roundings of values of order 1e-2.
                        assertEquals(ref[p][i], got[p][i], 1e-5 + 1e-4 * Math.abs(ref[p][i]),
                                threads + " threads: " + name + "[" + i + "]");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void sameThreadCountIsBitForBitRepeatable(String kernels) {
        TensorKernels k = TestKernels.named(kernels);
        float[][] first;
        try (DataParallel parallel = new DataParallel(new LeNet5(k, 5), 2)) {
            parallel.forwardBackward(sample.images, sample.labels, 31);
            first = gradients(parallel.model());
        }
        try (DataParallel parallel = new DataParallel(new LeNet5(k, 5), 2)) {
            parallel.forwardBackward(sample.images, sample.labels, 31);
            float[][] second = gradients(parallel.model());
            for (int p = 0; p < first.length; p++) {
                assertArrayEquals(first[p], second[p], LeNet5.PARAMETER_NAMES.get(p));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void evaluateAndPredictMatchTheSingleModel(String kernels) {
        TensorKernels k = TestKernels.named(kernels);
        int count = 29;
        LeNet5 ref = new LeNet5(k, 5);
        double refLoss = ref.forwardLoss(sample.images, sample.labels, count);
        int refCorrect = ref.correct();
        int[] refPredictions = Arrays.copyOf(ref.predictions(), count);
        try (DataParallel parallel = new DataParallel(new LeNet5(k, 5), 2)) {
            int[] predictions = new int[count + 3];
            Arrays.fill(predictions, -1);
            DataParallel.BatchStats stats = parallel.evaluate(sample.images, sample.labels, count, predictions, 3);
            assertEquals(refLoss * count, stats.lossSum(), 1e-4);
            assertEquals(refCorrect, stats.correct());
            assertArrayEquals(refPredictions, Arrays.copyOfRange(predictions, 3, 3 + count));
            assertArrayEquals(new int[] {-1, -1, -1}, Arrays.copyOf(predictions, 3), "nothing before the offset");

            int[] predicted = new int[count];
            parallel.predict(sample.images, count, predicted, 0);
            assertArrayEquals(refPredictions, predicted);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void eachThreadLoadsItsOwnPartBeforeRunningIt(String kernels) {
        TensorKernels k = TestKernels.named(kernels);
        int count = 31;
        float[][] ref;
        try (DataParallel parallel = new DataParallel(new LeNet5(k, 5), 3)) {
            parallel.forwardBackward(sample.images, sample.labels, count);
            ref = gradients(parallel.model());
        }
        // The batch array starts empty; each part copies its images in from the sample when its thread asks.
        float[] batch = new float[sample.images.length];
        java.util.List<String> parts = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        DataParallel.BatchLoader loader = (from, to) -> {
            parts.add(from + ".." + to);
            System.arraycopy(sample.images, from * LeNet5.INPUT_SIZE, batch, from * LeNet5.INPUT_SIZE,
                    (to - from) * LeNet5.INPUT_SIZE);
        };
        try (DataParallel parallel = new DataParallel(new LeNet5(k, 5), 3)) {
            parallel.forwardBackward(batch, sample.labels, count, loader);
            float[][] got = gradients(parallel.model());
            for (int p = 0; p < ref.length; p++) {
                assertArrayEquals(ref[p], got[p], LeNet5.PARAMETER_NAMES.get(p));
            }
        }
        java.util.Collections.sort(parts);
        assertEquals(java.util.List.of("0..10", "10..20", "20..31"), parts);
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void oneImageOnTwoThreadsRunsOnePart(String kernels) {
        TensorKernels k = TestKernels.named(kernels);
        LeNet5 ref = new LeNet5(k, 5);
        double refLoss = ref.forwardLoss(sample.images, sample.labels, 1);
        try (DataParallel parallel = new DataParallel(new LeNet5(k, 5), 2)) {
            assertEquals(refLoss, parallel.forwardBackward(sample.images, sample.labels, 1).lossSum(), 1e-6);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void forwardAtAnOffsetEqualsForwardOfACopy(String kernels) {
        TensorKernels k = TestKernels.named(kernels);
        int from = 7;
        int n = 5;
        float[] copy = Arrays.copyOfRange(sample.images, from * LeNet5.INPUT_SIZE, (from + n) * LeNet5.INPUT_SIZE);
        LeNet5 a = new LeNet5(k, 5);
        LeNet5 b = new LeNet5(k, 5);
        float[] expected = Arrays.copyOf(a.forward(copy, n), n * LeNet5.CLASSES);
        float[] got = Arrays.copyOf(b.forward(sample.images, from * LeNet5.INPUT_SIZE, n), n * LeNet5.CLASSES);
        assertArrayEquals(expected, got);
        int[] labels = Arrays.copyOfRange(sample.labels, from, from + n);
        assertEquals(a.forwardLoss(copy, labels, n), b.forwardLoss(sample.images, from * LeNet5.INPUT_SIZE,
                sample.labels, from, n));
        a.zeroGrad();
        b.zeroGrad();
        a.backward();
        b.backward();
        for (int p = 0; p < a.parameters().size(); p++) {
            assertArrayEquals(a.parameters().get(p).grad(), b.parameters().get(p).grad(),
                    LeNet5.PARAMETER_NAMES.get(p));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR})
    void badCallsAreRefused(String kernels) {
        TensorKernels k = TestKernels.named(kernels);
        assertThrows(IllegalArgumentException.class, () -> new DataParallel(new LeNet5(k, 5), 0));
        try (DataParallel parallel = new DataParallel(new LeNet5(k, 5), 2)) {
            assertThrows(IllegalArgumentException.class, () -> parallel.forwardBackward(sample.images, sample.labels, 0));
            assertThrows(IllegalArgumentException.class, () -> parallel.evaluate(sample.images, null, 3, null, 0));
            assertThrows(IllegalArgumentException.class, () -> parallel.predict(sample.images, 3, null, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> parallel.forwardBackward(sample.images, sample.labels, sample.count + 1), "more images than given");
        }
    }
}
