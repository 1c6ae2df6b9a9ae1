package dev.lenet5.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.nn.NonFiniteException;
import dev.lenet5.nn.Parameter;
import dev.lenet5.nn.Tensor;
import dev.lenet5.nn.TestKernels;
import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Adam over several steps with changing gradients against the update formula evaluated in double, so the
 * moments and both bias corrections are exercised (a single step from zero moments moves every parameter by
 * about lr * sign(g) whatever the moment arithmetic does).
 */
class AdamTest {

    @ParameterizedTest(name = "{0} weightDecay={1}")
    @CsvSource({"scalar, 0", "scalar, 0.01", "simd, 0", "simd, 0.01"})
    void fiveStepsMatchTheFormulaInDouble(String kernelsName, double weightDecay) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random rng = new Random(31);
        Parameter w = new Parameter("w", 3, 7);
        Parameter b = new Parameter("b", 5);
        for (Parameter p : List.of(w, b)) {
            for (int i = 0; i < p.size(); i++) {
                p.data()[i] = (float) rng.nextGaussian();
            }
        }
        double lr = 0.01;
        Adam adam = new Adam(List.of(w, b), k, lr, 0.8, 0.95, 1e-8, weightDecay);
        DoubleAdam refW = new DoubleAdam(toDouble(w.data()), lr, 0.8, 0.95, 1e-8, weightDecay);
        DoubleAdam refB = new DoubleAdam(toDouble(b.data()), lr, 0.8, 0.95, 1e-8, weightDecay);

        for (int step = 1; step <= 5; step++) {
            for (Parameter p : List.of(w, b)) {
                for (int i = 0; i < p.size(); i++) {
                    // Gradients change sign and scale between steps, so m and v drift apart.
                    p.grad()[i] = (float) (rng.nextGaussian() * (1 + step));
                }
            }
            float[] gradW = w.grad().clone();
            refW.step(toDouble(w.grad()));
            refB.step(toDouble(b.grad()));
            adam.step();
            assertEquals(step, adam.stepCount());
            assertArrayEquals(gradW, w.grad(), "step must not change the gradients");
            // The float update differs from the double one by float rounding of values of order 1 plus
            // lr-sized steps: 1e-6 absolute is 100x the rounding and 1e-4 of a step.
            assertClose(refW.parameters(), w.data(), 1e-6, "w after step " + step);
            assertClose(refB.parameters(), b.data(), 1e-6, "b after step " + step);
        }
        Map<String, Tensor> state = adam.state();
        assertEquals(List.of("adam.m.w", "adam.v.w", "adam.m.b", "adam.v.b"), List.copyOf(state.keySet()));
        assertArrayEquals(new int[] {3, 7}, state.get("adam.m.w").shape());
        assertClose(refW.firstMoment(), state.get("adam.m.w").data(), 1e-5, "m");
        assertClose(refW.secondMoment(), state.get("adam.v.w").data(), 1e-4, "v");
    }

    @Test
    void stateCanBeSavedAndRestoredToResumeExactly() {
        TensorKernels k = ScalarKernels.INSTANCE;
        Random rng = new Random(4);
        float[] start = new float[10];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) rng.nextGaussian();
        }
        float[][] grads = new float[6][10];
        for (float[] g : grads) {
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) rng.nextGaussian();
            }
        }
        // Uninterrupted: six steps.
        Parameter a = new Parameter("p", 10);
        System.arraycopy(start, 0, a.data(), 0, 10);
        Adam straight = new Adam(List.of(a), k, 1e-2);
        for (float[] g : grads) {
            System.arraycopy(g, 0, a.grad(), 0, 10);
            straight.step();
        }
        // Interrupted after three: a new optimiser restored from the saved state does the rest.
        Parameter b = new Parameter("p", 10);
        System.arraycopy(start, 0, b.data(), 0, 10);
        Adam first = new Adam(List.of(b), k, 1e-2);
        for (int s = 0; s < 3; s++) {
            System.arraycopy(grads[s], 0, b.grad(), 0, 10);
            first.step();
        }
        Map<String, Tensor> saved = first.state();
        long steps = first.stepCount();
        Adam resumed = new Adam(List.of(b), k, 1e-2);
        resumed.restoreState(steps, saved);
        for (int s = 3; s < 6; s++) {
            System.arraycopy(grads[s], 0, b.grad(), 0, 10);
            resumed.step();
        }
        assertArrayEquals(a.data(), b.data(), "bias corrections and moments continue where they stopped");
        assertEquals(6, resumed.stepCount());
    }

    @Test
    void restoringAMismatchedStateIsRejectedAndChangesNothing() {
        Parameter p = new Parameter("conv1.weight", 2, 3);
        Adam adam = new Adam(List.of(p), ScalarKernels.INSTANCE, 1e-3);
        Map<String, Tensor> wrong = Map.of(
                "adam.m.conv1.weight", Tensor.of(new float[6], 3, 2),
                "adam.m.conv9.weight", Tensor.of(new float[1], 1),
                "model.weight", Tensor.of(new float[1], 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.restoreState(3, wrong));
        assertTrue(e.getMessage().contains("missing adam.v.conv1.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("adam.m.conv1.weight has shape [3, 2], expected [2, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected adam.m.conv9.weight"), e.getMessage());
        assertTrue(!e.getMessage().contains("model.weight"), "other prefixes are not the optimiser's business");
        assertEquals(0, adam.stepCount());
    }

    @Test
    void aNonFiniteGradientStopsTheStepBeforeAnythingChanges() {
        Parameter a = new Parameter("fc1.weight", 4);
        Parameter b = new Parameter("conv2.bias", 3);
        a.data()[0] = 1f;
        Adam adam = new Adam(List.of(a, b), ScalarKernels.INSTANCE, 1e-3);
        a.grad()[0] = 1f;
        adam.step();
        float[] before = a.data().clone();
        b.grad()[2] = Float.NaN;
        NonFiniteException e = assertThrows(NonFiniteException.class, adam::step);
        assertEquals("step 2: gradient of conv2.bias is NaN (element 2 of 3)", e.getMessage());
        assertArrayEquals(before, a.data());
        assertEquals(1, adam.stepCount());
        b.grad()[2] = Float.NEGATIVE_INFINITY;
        assertTrue(assertThrows(NonFiniteException.class, adam::step).getMessage().contains("-Infinity"));
    }

    @Test
    void hugeButFiniteGradientsAreNotMistakenForInfinity() {
        // The fast check sums the gradient; this sum overflows although every element is finite.
        Parameter p = new Parameter("w", 4);
        Arrays.fill(p.grad(), 3e38f);
        Adam adam = new Adam(List.of(p), ScalarKernels.INSTANCE, 1e-3);
        adam.step();
        assertEquals(1, adam.stepCount());
    }

    @Test
    void theLearningRateCanChangeBetweenSteps() {
        Parameter p = new Parameter("w", 1);
        Adam adam = new Adam(List.of(p), ScalarKernels.INSTANCE, 0.1);
        p.grad()[0] = 2f;
        adam.step();
        assertEquals(-0.1, p.data()[0], 1e-6, "first step moves by lr");
        adam.setLearningRate(0.01);
        assertEquals(0.01, adam.learningRate());
        adam.step();   // same gradient: m/sqrt(v) stays 1 after bias correction
        assertEquals(-0.11, p.data()[0], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> adam.setLearningRate(-1));
        assertThrows(IllegalArgumentException.class, () -> adam.setLearningRate(Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> new Adam(List.of(p), ScalarKernels.INSTANCE, 0.1, 1.0, 0.999, 1e-8, 0));
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    static void assertClose(double[] expected, float[] actual, double atol, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], atol + 1e-6 * Math.abs(expected[i]), what + "[" + i + "]");
        }
    }
}
