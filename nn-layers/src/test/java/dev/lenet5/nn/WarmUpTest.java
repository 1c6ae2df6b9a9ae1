package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.nn.optim.Adam;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The warm-up trains on its own: a model trained while it runs ends with exactly the weights of one trained
 * without it, it makes progress, and close() stops it.
 */
class WarmUpTest {

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void aRunAlongsideTheWarmUpEndsWithTheSameWeightsBitForBit(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        float[][] alone = train(k, null);
        int steps;
        float[][] alongside;
        try (WarmUp warmUp = WarmUp.start(k, 4)) {
            alongside = train(k, warmUp);
            steps = warmUp.steps();
            assertNull(warmUp.failure());
        }
        assertTrue(steps > 0, "the warm-up made no step while the other model trained");
        for (int i = 0; i < alone.length; i++) {
            assertArrayEquals(alone[i], alongside[i], LeNet5.PARAMETER_NAMES.get(i));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR})
    void closeStopsItAndItCountsItsSteps(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        WarmUp warmUp = WarmUp.start(k, 3);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (warmUp.steps() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        warmUp.close();
        int steps = warmUp.steps();
        assertTrue(steps >= 2 && steps < WarmUp.MAX_STEPS, "steps after close: " + steps);
        assertEquals(steps, warmUp.steps(), "still stepping after close");
        assertNull(warmUp.failure());
        assertThrows(IllegalArgumentException.class, () -> WarmUp.start(k, 0));
    }

    /** Five Adam steps on a fixed batch; while a warm-up is given, waits until it has stepped too. */
    private static float[][] train(TensorKernels k, WarmUp concurrent) {
        Random rng = new Random(31);
        float[] images = Checks.uniform(rng, 6 * LeNet5.INPUT_SIZE, 0, 1);
        int[] labels = {3, 1, 4, 1, 5, 9};
        LeNet5 model = new LeNet5(k, 77);
        Adam adam = new Adam(model.parameters(), k, 1e-3);
        for (int step = 0; step < 5; step++) {
            model.zeroGrad();
            model.forwardLoss(images, labels, 6);
            model.backward();
            adam.step();
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (concurrent != null && concurrent.steps() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        float[][] weights = new float[model.parameters().size()][];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = model.parameters().get(i).data().clone();
        }
        return weights;
    }
}
