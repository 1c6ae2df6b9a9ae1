package dev.lenet5.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.nn.Parameter;
import dev.lenet5.nn.TestKernels;
import dev.lenet5.nn.Tensor;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeightAverageTest {

    private static Parameter parameter(String name, float... values) {
        Parameter p = new Parameter(name, values.length);
        System.arraycopy(values, 0, p.data(), 0, values.length);
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void followsTheFormulaOverSeveralUpdates(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        Parameter w = parameter("w", 1f, -2f, 0.5f);
        WeightAverage ema = new WeightAverage(List.of(w), k, 0.9);
        double[] expected = {1, -2, 0.5};
        float[][] trajectory = {{2, -1, 0}, {3, 0, -1}, {0, 4, 2}, {1, 1, 1}, {-5, 2, 3}};
        for (int t = 0; t < trajectory.length; t++) {
            System.arraycopy(trajectory[t], 0, w.data(), 0, 3);
            double d = Math.min(0.9, (1.0 + t) / (10.0 + t));   // 0.1, 0.18, 0.25, 0.31, 0.36 by hand
            assertEquals(d, ema.currentDecay(), 1e-15);
            ema.update();
            for (int j = 0; j < 3; j++) {
                expected[j] = d * expected[j] + (1 - d) * trajectory[t][j];
            }
        }
        assertEquals(5, ema.updates());
        float[] raw = w.data().clone();
        ema.swap();
        assertTrue(ema.isSwapped());
        for (int j = 0; j < 3; j++) {
            assertEquals(expected[j], w.data()[j], 1e-5, "average " + j);
        }
        ema.swap();
        assertArrayEquals(raw, w.data(), "swapping twice restores the raw values exactly");
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR})
    void stateRoundTripsAndIsChecked(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        Parameter w = parameter("fc.weight", 1f, 2f);
        WeightAverage ema = new WeightAverage(List.of(w), k, 0.99);
        w.data()[0] = 5f;
        ema.update();
        Map<String, Tensor> saved = ema.state();
        assertEquals(List.of("ema.average.fc.weight"), List.copyOf(saved.keySet()));

        WeightAverage restored = new WeightAverage(List.of(w), k, 0.99);
        restored.restoreState(ema.updates(), saved);
        assertEquals(ema.currentDecay(), restored.currentDecay());
        assertArrayEquals(saved.get("ema.average.fc.weight").data(), restored.state().get("ema.average.fc.weight").data());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> restored.restoreState(1, Map.of("ema.average.fc.weight", Tensor.of(new float[3], 3))));
        assertTrue(e.getMessage().contains("ema.average.fc.weight has shape [3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WeightAverage(List.of(w), k, 1.0));
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR})
    void refusesToUpdateWhileSwappedIn(String kernelsName) {
        Parameter w = parameter("w", 1f);
        WeightAverage ema = new WeightAverage(List.of(w), TestKernels.named(kernelsName), 0.5);
        ema.swap();
        assertThrows(IllegalStateException.class, ema::update);
        assertThrows(IllegalStateException.class, ema::state);
    }
}
