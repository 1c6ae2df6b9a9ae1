package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lenet5.nn.optim.Adam;
import dev.lenet5.tensor.kernel.JitWarmUp;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JIT warm-up changes how soon the kernels are fast, never what they compute: a model trained while it runs
 * (its kernels interpreted, then compiled, mid-run) ends with exactly the weights of one trained after it.
 */
class JitWarmUpTest {

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void aRunAlongsideTheWarmUpEndsWithTheSameWeightsAsAfterIt(String kernelsName) throws InterruptedException {
        TensorKernels k = TestKernels.named(kernelsName);
        float[][] alongside;
        try (JitWarmUp warmUp = JitWarmUp.start(k, JitWarmUp.Work.TRAINING)) {
            alongside = train(k);
            warmUp.await(60, java.util.concurrent.TimeUnit.SECONDS);
            assertNull(warmUp.failure());
        }
        float[][] after = train(k);
        for (int i = 0; i < after.length; i++) {
            assertArrayEquals(after[i], alongside[i], LeNet5.PARAMETER_NAMES.get(i));
        }
    }

    /** Five Adam steps on a fixed batch. */
    private static float[][] train(TensorKernels k) {
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
        float[][] weights = new float[model.parameters().size()][];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = model.parameters().get(i).data().clone();
        }
        return weights;
    }
}
