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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SGD over several steps against PyTorch's documented update (dampening 0) evaluated in double. */
class SgdTest {

    @ParameterizedTest(name = "{0} momentum={1} nesterov={2} weightDecay={3}")
    @CsvSource({
        "scalar, 0,   false, 0",
        "scalar, 0.9, false, 0",
        "scalar, 0.9, true,  0",
        "scalar, 0.5, true,  0.1",
        "simd,   0.9, false, 0.01",
        "simd,   0.9, true,  0.01"})
    void fiveStepsMatchTheFormulaInDouble(String kernelsName, double momentum, boolean nesterov, double wd) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random rng = new Random(77);
        Parameter p = new Parameter("fc1.weight", 4, 5);
        double[] ref = new double[p.size()];
        double[] buf = new double[p.size()];
        for (int i = 0; i < p.size(); i++) {
            p.data()[i] = (float) rng.nextGaussian();
            ref[i] = p.data()[i];
        }
        double lr = 0.05;
        Sgd sgd = new Sgd(List.of(p), k, lr, momentum, nesterov, wd);
        for (int step = 1; step <= 5; step++) {
            for (int i = 0; i < p.size(); i++) {
                p.grad()[i] = (float) (rng.nextGaussian() * step);
            }
            for (int i = 0; i < p.size(); i++) {
                double g = p.grad()[i] + wd * ref[i];
                if (momentum != 0) {
                    buf[i] = step == 1 ? g : momentum * buf[i] + g;   // PyTorch: buf = g on the first step
                    g = nesterov ? g + momentum * buf[i] : buf[i];
                }
                ref[i] -= lr * g;
            }
            sgd.step();
            for (int i = 0; i < p.size(); i++) {
                assertEquals(ref[i], p.data()[i], 2e-6 * (1 + Math.abs(ref[i])), "step " + step + " [" + i + "]");
            }
        }
        float[] saved = sgd.state().get("sgd.momentum.fc1.weight").data();
        for (int i = 0; i < p.size(); i++) {
            assertEquals(momentum == 0 ? 0 : buf[i], saved[i], 1e-5 * (1 + Math.abs(buf[i])));
        }
    }

    @Test
    void stateRoundTripsAndNesterovNeedsMomentum() {
        Parameter p = new Parameter("w", 3);
        Sgd sgd = new Sgd(List.of(p), ScalarKernels.INSTANCE, 0.1, 0.9, false, 0);
        p.grad()[1] = 1f;
        sgd.step();
        sgd.step();
        Map<String, Tensor> state = sgd.state();
        assertEquals(List.of("sgd.momentum.w"), List.copyOf(state.keySet()));
        assertArrayEquals(new float[] {0, 1.9f, 0}, state.get("sgd.momentum.w").data(), 1e-6f);

        Sgd other = new Sgd(List.of(p), ScalarKernels.INSTANCE, 0.1, 0.9, false, 0);
        other.restoreState(2, state);
        assertEquals(2, other.stepCount());
        assertArrayEquals(state.get("sgd.momentum.w").data(), other.state().get("sgd.momentum.w").data());

        other.zeroGrad();
        assertArrayEquals(new float[3], p.grad(), "zeroGrad clears the optimised parameters' gradients");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sgd(List.of(p), ScalarKernels.INSTANCE, 0.1, 0, true, 0));
        assertTrue(e.getMessage().contains("Nesterov"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), ScalarKernels.INSTANCE, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p, p), ScalarKernels.INSTANCE, 0.1));
    }

    @Test
    void anInfiniteGradientNamesStepAndParameter() {
        Parameter p = new Parameter("fc3.bias", 10);
        Sgd sgd = new Sgd(List.of(p), ScalarKernels.INSTANCE, 0.1);
        sgd.restoreState(1233, new Sgd(List.of(p), ScalarKernels.INSTANCE, 0.1).state());
        p.grad()[9] = Float.POSITIVE_INFINITY;
        NonFiniteException e = assertThrows(NonFiniteException.class, sgd::step);
        assertEquals("step 1234: gradient of fc3.bias is +Infinity (element 9 of 10)", e.getMessage());
        assertArrayEquals(new float[10], p.data(), "nothing was updated");
    }
}
