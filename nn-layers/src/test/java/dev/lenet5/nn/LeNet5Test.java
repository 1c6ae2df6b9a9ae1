package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeNet5Test {

    private static final TensorKernels SCALAR = ScalarKernels.INSTANCE;

    @Test
    void theInputConventionFramesMnistDigitsToTheInputSize() {
        assertEquals(new LeNet5.InputConvention(28, 2), LeNet5.INPUT);
        assertEquals(LeNet5.HEIGHT, LeNet5.INPUT.size());
        assertEquals(LeNet5.WIDTH, LeNet5.INPUT.size());
        assertEquals(LeNet5.CHANNELS * 32 * 32, LeNet5.INPUT_SIZE);
    }

    @Test
    void parametersHavePyTorchNamesShapesAndOrder() {
        LeNet5 model = new LeNet5(SCALAR, 1);
        int[][] shapes = {{6, 1, 5, 5}, {6}, {16, 6, 5, 5}, {16}, {120, 400}, {120}, {84, 120}, {84}, {10, 84}, {10}};
        List<Parameter> params = model.parameters();
        assertEquals(LeNet5.PARAMETER_NAMES, params.stream().map(Parameter::name).toList());
        for (int i = 0; i < shapes.length; i++) {
            assertArrayEquals(shapes[i], params.get(i).shape(), params.get(i).name());
        }
        assertEquals(61_706, params.stream().mapToInt(Parameter::size).sum());
        assertSame(params.get(4), model.parameter("fc1.weight"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.parameter("fc4.weight"));
        assertTrue(e.getMessage().contains("fc4.weight") && e.getMessage().contains("fc3.bias"), e.getMessage());
    }

    @Test
    void initialisationFollowsPyTorchBoundsAndIsRepeatablePerSeed() {
        LeNet5 a = new LeNet5(SCALAR, 42);
        LeNet5 b = new LeNet5(SCALAR, 42);
        LeNet5 c = new LeNet5(SCALAR, 43);
        int[] fanIn = {25, 25, 150, 150, 400, 400, 120, 120, 84, 84};
        for (int i = 0; i < fanIn.length; i++) {
            Parameter p = a.parameters().get(i);
            float bound = (float) (1 / Math.sqrt(fanIn[i]));
            double maxAbs = 0;
            double sumSq = 0;
            for (float v : p.data()) {
                assertTrue(Math.abs(v) <= bound, p.name() + " value " + v + " outside +-" + bound);
                maxAbs = Math.max(maxAbs, Math.abs(v));
                sumSq += (double) v * v;
            }
            // Uniform on (-b, b): the values must fill the range, not sit in a corner of it (max near b,
            // variance near b^2/3; loose enough for the 6 values of conv1.bias).
            assertTrue(maxAbs > 0.5 * bound, p.name() + " max |value| " + maxAbs + " of bound " + bound);
            if (p.size() >= 100) {
                double variance = sumSq / p.size();
                assertEquals(bound * bound / 3, variance, 0.25 * bound * bound / 3, p.name() + " variance");
            }
            assertArrayEquals(p.data(), b.parameters().get(i).data(), p.name() + " differs for the same seed");
            assertFalse(Arrays.equals(p.data(), c.parameters().get(i).data()), p.name() + " same for another seed");
            assertTrue(Arrays.equals(new float[p.size()], p.grad()), "gradients start at zero");
        }
        // resetParameters(seed) restores exactly the constructor's values.
        c.resetParameters(42);
        for (int i = 0; i < fanIn.length; i++) {
            assertArrayEquals(a.parameters().get(i).data(), c.parameters().get(i).data());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void buffersAreReusedAndASmallerBatchGivesTheSameRows(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random rng = new Random(5);
        LeNet5 model = new LeNet5(k, 7);
        float[] images = Checks.uniform(rng, 5 * LeNet5.INPUT_SIZE, 0, 1);
        int[] labels = {1, 2, 3, 4, 5};

        model.forwardLoss(images, labels, 5);
        float[] logits5 = model.forward(images, 5);
        float[] expected = Arrays.copyOf(logits5, 3 * 10);
        model.zeroGrad();
        model.forwardLoss(images, labels, 5);
        float[] dx5 = model.backward();

        // A smaller batch (the last one of an epoch) reuses the same arrays and computes the same first rows.
        float[] logits3 = model.forward(images, 3);
        assertSame(logits5, logits3, "logits buffer reused");
        LeNet5 fresh = new LeNet5(k, 7);
        float[] freshLogits = fresh.forward(images, 3);
        assertArrayEquals(Arrays.copyOf(freshLogits, 30), Arrays.copyOf(logits3, 30));
        assertArrayEquals(expected, Arrays.copyOf(logits3, 30), "per-image results do not depend on the batch");

        model.zeroGrad();
        fresh.zeroGrad();
        model.forwardLoss(images, labels, 3);
        fresh.forwardLoss(images, labels, 3);
        float[] dx3 = model.backward();
        assertSame(dx5, dx3, "input-gradient buffer reused");
        assertArrayEquals(Arrays.copyOf(fresh.backward(), 3 * 1024), Arrays.copyOf(dx3, 3 * 1024));
        for (int i = 0; i < model.parameters().size(); i++) {
            assertArrayEquals(fresh.parameters().get(i).grad(), model.parameters().get(i).grad(),
                    model.parameters().get(i).name() + ": stale rows of the larger batch leaked in");
        }
    }

    @Test
    void forwardAndBackwardAllocateNothingOnceBuffersExist() {
        AllocatedBytes allocatedBytes = AllocatedBytes.counter();
        LeNet5 model = new LeNet5(SCALAR, 3);
        Random rng = new Random(3);
        float[] images = Checks.uniform(rng, 8 * LeNet5.INPUT_SIZE, 0, 1);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
        for (int warm = 0; warm < 3; warm++) {
            step(model, images, labels, 8);
            step(model, images, labels, 5);
        }
        long before = allocatedBytes.now();
        for (int i = 0; i < 10; i++) {
            step(model, images, labels, 8);
            step(model, images, labels, 5);
        }
        long allocated = allocatedBytes.now() - before;
        // One re-allocated buffer would be at least 8 * 1024 * 4 bytes (conv1's input gradient) or, for the
        // smallest, 8 * 10 * 4; the allowance only covers the counter's own bookkeeping.
        assertTrue(allocated < 256, "20 steps allocated " + allocated + " bytes");
    }

    private static void step(LeNet5 model, float[] images, int[] labels, int n) {
        model.zeroGrad();
        model.forwardLoss(images, labels, n);
        model.backward();
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void replicasShareValuesAndTheirHalfBatchGradientsSumToTheWholeBatchGradient(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random rng = new Random(8);
        LeNet5 model = new LeNet5(k, 11);
        float[] images = Checks.uniform(rng, 6 * LeNet5.INPUT_SIZE, 0, 1);
        int[] labels = {9, 4, 4, 0, 2, 7};

        model.zeroGrad();
        double wholeLoss = model.forwardLoss(images, labels, 6);
        model.backward();
        float[][] whole = new float[10][];
        for (int i = 0; i < 10; i++) {
            whole[i] = model.parameters().get(i).grad().clone();
        }

        LeNet5 a = model.replica();
        LeNet5 b = model.replica();
        for (int i = 0; i < 10; i++) {
            assertSame(model.parameters().get(i).data(), a.parameters().get(i).data(), "values shared");
            assertNotSame(model.parameters().get(i).grad(), a.parameters().get(i).grad(), "gradients owned");
        }
        float[] second = Arrays.copyOfRange(images, 3 * 1024, 6 * 1024);
        int[] secondLabels = Arrays.copyOfRange(labels, 3, 6);
        double lossA = a.forwardLoss(images, labels, 3);
        a.backward(6);
        double lossB = b.forwardLoss(second, secondLabels, 3);
        b.backward(6);
        assertEquals(wholeLoss, (lossA + lossB) / 2, 1e-6);

        model.zeroGrad();
        model.addGradientsFrom(a);
        model.addGradientsFrom(b);
        for (int i = 0; i < 10; i++) {
            float[] summed = model.parameters().get(i).grad();
            double scale = Checks.maxAbs(Reference.toDouble(whole[i]));
            for (int j = 0; j < summed.length; j++) {
                assertEquals(whole[i][j], summed[j], 1e-5 * scale + 1e-9,
                        model.parameters().get(i).name() + "[" + j + "]");
            }
        }

        // An update through the model is seen by a replica: the same forward now gives different logits.
        float before = a.forward(images, 1)[0];
        model.parameter("fc3.bias").data()[0] += 1f;
        assertEquals(before + 1f, a.forward(images, 1)[0], 1e-5f);

        IllegalArgumentException stranger = assertThrows(IllegalArgumentException.class,
                () -> model.addGradientsFrom(new LeNet5(k, 11)));
        assertTrue(stranger.getMessage().contains("not a replica"), stranger.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void skippingTheInputGradientLeavesParameterGradientsUnchanged(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random rng = new Random(9);
        float[] images = Checks.uniform(rng, 2 * LeNet5.INPUT_SIZE, 0, 1);
        int[] labels = {3, 1};
        LeNet5 with = new LeNet5(k, 5);
        LeNet5 without = new LeNet5(k, 5);
        without.setInputGradientEnabled(false);
        with.forwardLoss(images, labels, 2);
        assertTrue(with.backward() != null);
        without.forwardLoss(images, labels, 2);
        assertNull(without.backward());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(with.parameters().get(i).grad(), without.parameters().get(i).grad());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void predictionsAreTheFirstMaximumOfTheLogitsAndCorrectCountsThem(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random rng = new Random(21);
        LeNet5 model = new LeNet5(k, 4);
        float[] images = Checks.uniform(rng, 6 * LeNet5.INPUT_SIZE, 0, 1);
        float[] logits = Arrays.copyOf(model.forward(images, 6), 60);
        int[] expected = new int[6];
        for (int i = 0; i < 6; i++) {
            for (int j = 1; j < 10; j++) {
                if (logits[i * 10 + j] > logits[i * 10 + expected[i]]) {
                    expected[i] = j;
                }
            }
        }
        assertArrayEquals(expected, Arrays.copyOf(model.predictions(), 6));
        // Labels equal to the predictions for rows 0, 2 and 5 only.
        int[] labels = new int[6];
        for (int i = 0; i < 6; i++) {
            labels[i] = i == 0 || i == 2 || i == 5 ? expected[i] : (expected[i] + 1) % 10;
        }
        model.forwardLoss(images, labels, 6);
        assertEquals(3, model.correct());
        float[] probs = model.probabilities();
        for (int i = 0; i < 6; i++) {
            double sum = 0;
            for (int j = 0; j < 10; j++) {
                sum += probs[i * 10 + j];
            }
            assertEquals(1.0, sum, 1e-5, "softmax row " + i);
        }
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        Random rng = new Random(10);
        float[] images = Checks.uniform(rng, 2 * LeNet5.INPUT_SIZE, 0, 1);
        int[] labels = {6, 2};
        LeNet5 model = new LeNet5(SCALAR, 12);
        model.forwardLoss(images, labels, 2);
        model.backward();
        float[] once = model.parameter("conv1.weight").grad().clone();
        model.forwardLoss(images, labels, 2);
        model.backward();
        float[] twice = model.parameter("conv1.weight").grad();
        // Equal up to float rounding: the second pass adds each image's term onto the first pass's sum.
        double scale = Checks.maxAbs(Reference.toDouble(once));
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-5 * scale);
        }
        model.zeroGrad();
        assertArrayEquals(new float[once.length], model.parameter("conv1.weight").grad());
    }

    @Test
    void misuseIsReportedClearly() {
        LeNet5 model = new LeNet5(SCALAR, 1);
        IllegalStateException noLoss = assertThrows(IllegalStateException.class, model::backward);
        assertTrue(noLoss.getMessage().contains("forwardLoss"), noLoss.getMessage());
        model.forward(new float[1024], 1);
        assertThrows(IllegalStateException.class, model::backward, "forward alone has no loss");
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> model.forward(new float[1000], 1));
        assertTrue(small.getMessage().contains("1000") && small.getMessage().contains("1024"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.forward(new float[1024], 0));
        Layer fc1 = model.layers().get(5);
        assertEquals("fc1", fc1.name());
        IllegalStateException mismatch = assertThrows(IllegalStateException.class,
                () -> fc1.backward(new float[240], 2));
        assertTrue(mismatch.getMessage().contains("fc1"), mismatch.getMessage());
    }

    @Test
    void aNanLossNamesTheStepAndTheFirstLayerThatWentNonFinite() {
        LeNet5 model = new LeNet5(SCALAR, 1);
        float[] images = new float[2 * 1024];
        int[] labels = {0, 1};
        assertEquals(Math.log(10), model.forwardLoss(images, labels, 2), 0.5);
        model.requireFiniteLoss(1, 2.3);   // finite: no exception

        model.parameter("fc2.weight").data()[5] = Float.NaN;
        double loss = model.forwardLoss(images, labels, 2);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> model.requireFiniteLoss(17, loss));
        assertEquals("step 17: loss is NaN; parameter fc2.weight holds NaN (element 5)", e.getMessage());
        assertEquals(17, e.step());
        assertEquals("fc2.weight", e.source());

        model.parameter("fc2.weight").data()[5] = 0f;
        images[1024 + 3 * 32 + 4] = Float.POSITIVE_INFINITY;
        double loss2 = model.forwardLoss(images, labels, 2);
        NonFiniteException e2 = assertThrows(NonFiniteException.class, () -> model.requireFiniteLoss(18, loss2));
        assertTrue(e2.getMessage().startsWith("step 18: loss is NaN; first non-finite value in the output of conv1 (image 1"),
                e2.getMessage());
        assertEquals("conv1", e2.source());
    }
}
