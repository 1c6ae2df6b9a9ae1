package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.nn.optim.Adam;
import dev.lenet5.nn.optim.Optimizer;
import dev.lenet5.nn.optim.Sgd;
import dev.lenet5.nn.optim.WeightAverage;
import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one training step against the same sequence written out by hand on a single model: forward and loss,
 * backward, the optimiser's step, the weight average's update.
 */
class TrainingStepTest {

    private static MnistSample sample;

    @BeforeAll
    static void load() throws IOException {
        sample = MnistSample.firstTraining(24);
    }

    /** Adam at 1e-3 and a weight average of decay 0.9 over the network's model. */
    private static TrainingStep adamWithAverage(DataParallel network) {
        TensorKernels k = network.model().kernels();
        List<Parameter> parameters = network.model().parameters();
        return new TrainingStep(network, new Adam(parameters, k, 1e-3), new WeightAverage(parameters, k, 0.9));
    }

    private static float[][] values(List<Parameter> parameters) {
        return parameters.stream().map(p -> p.data().clone()).toArray(float[][]::new);
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void aStepIsForwardBackwardOptimiserAndAverageBitForBit(String kernels) {
        TensorKernels k = TestKernels.named(kernels);
        int n = 12;
        LeNet5 byHand = new LeNet5(k, 9);
        byHand.setInputGradientEnabled(false);
        Adam handAdam = new Adam(byHand.parameters(), k, 1e-3);
        WeightAverage handAverage = new WeightAverage(byHand.parameters(), k, 0.9);
        double[] handLoss = new double[3];
        for (int s = 0; s < 3; s++) {
            int from = s * 4;   // overlapping windows of the sample: three different batches
            byHand.zeroGrad();
            handLoss[s] = byHand.forwardLoss(sample.images, from * LeNet5.INPUT_SIZE, sample.labels, from, n);
            byHand.backward();
            handAdam.step();
            handAverage.update();
        }

        LeNet5 model = new LeNet5(k, 9);
        try (DataParallel network = new DataParallel(model, 1)) {
            TrainingStep step = adamWithAverage(network);
            for (int s = 0; s < 3; s++) {
                int from = s * 4;
                float[] images = Arrays.copyOfRange(sample.images, from * LeNet5.INPUT_SIZE, (from + n) * LeNet5.INPUT_SIZE);
                int[] labels = Arrays.copyOfRange(sample.labels, from, from + n);
                DataParallel.BatchStats stats = step.run(images, labels, n);
                assertEquals(handLoss[s], stats.lossSum() / n, 1e-12, "step " + (s + 1) + " loss");
            }
            assertEquals(3, step.optimizer().stepCount());
            assertEquals(3, step.average().updates());
            float[][] expected = values(byHand.parameters());
            float[][] got = values(model.parameters());
            for (int p = 0; p < expected.length; p++) {
                assertArrayEquals(expected[p], got[p], LeNet5.PARAMETER_NAMES.get(p));
            }
            Map<String, Tensor> expectedAverage = handAverage.state();
            step.average().state().forEach((name, t) -> assertArrayEquals(expectedAverage.get(name).data(), t.data(), name));
        }
    }

    @Test
    void aNonFiniteLossStopsTheStepBeforeAnythingChanges() {
        TensorKernels k = ScalarKernels.INSTANCE;
        LeNet5 model = new LeNet5(k, 9);
        Sgd sgd = new Sgd(model.parameters(), k, 0.1, 0.9, false, 0);
        WeightAverage average = new WeightAverage(model.parameters(), k, 0.5);
        float[] images = Arrays.copyOf(sample.images, 4 * LeNet5.INPUT_SIZE);
        try (DataParallel network = new DataParallel(model, 2)) {
            TrainingStep step = new TrainingStep(network, sgd, average);
            step.run(images, sample.labels, 4);
            float[][] before = values(model.parameters());
            Map<String, Tensor> averageBefore = average.state();
            images[2 * LeNet5.INPUT_SIZE + 100] = Float.NaN;   // the third image: the second replica's part
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> step.run(images, sample.labels, 4));
            assertEquals(2, e.step(), e.getMessage());
            assertTrue(e.getMessage().startsWith("step 2: loss is NaN"), e.getMessage());
            assertEquals("conv1", e.source(), "found in the replica that saw the image: " + e.getMessage());
            assertEquals(1, sgd.stepCount());
            assertEquals(1, average.updates());
            float[][] after = values(model.parameters());
            for (int p = 0; p < before.length; p++) {
                assertArrayEquals(before[p], after[p], LeNet5.PARAMETER_NAMES.get(p) + " changed by a failed step");
            }
            average.state().forEach((name, t) -> assertArrayEquals(averageBefore.get(name).data(), t.data(), name));
        }
    }

    @Test
    void refusesAnOptimiserOrAverageOfAnotherModel() {
        TensorKernels k = ScalarKernels.INSTANCE;
        LeNet5 model = new LeNet5(k, 1);
        LeNet5 other = new LeNet5(k, 1);
        Optimizer mine = new Adam(model.parameters(), k, 1e-3);
        try (DataParallel network = new DataParallel(model, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TrainingStep(network, new Adam(other.parameters(), k, 1e-3), null));
            assertEquals("the optimiser updates other parameters than the network's", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> new TrainingStep(network, mine, new WeightAverage(other.parameters(), k, 0.9)));
            assertEquals("the weight average follows other parameters than the network's", e.getMessage());
        }
    }

    @Test
    void aStepAllocatesNothingOnceTheBuffersExist() {
        AllocatedBytes allocatedBytes = AllocatedBytes.counter();
        LeNet5 model = new LeNet5(ScalarKernels.INSTANCE, 3);
        try (DataParallel network = new DataParallel(model, 1)) {
            TrainingStep step = adamWithAverage(network);
            for (int warm = 0; warm < 3; warm++) {
                step.run(sample.images, sample.labels, 8);
                step.run(sample.images, sample.labels, 5);
            }
            long before = allocatedBytes.now();
            for (int i = 0; i < 10; i++) {
                step.run(sample.images, sample.labels, 8);
                step.run(sample.images, sample.labels, 5);
            }
            long allocated = allocatedBytes.now() - before;
            // One boxed value per step would already be 20 * 16 bytes; the allowance covers the counter itself.
            assertTrue(allocated < 256, "20 steps allocated " + allocated + " bytes");
        }
    }
}
