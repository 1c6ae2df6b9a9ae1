package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole network, batch 3, against the double-precision reference: loss and logits directly; every bias
 * entry, a sample of every weight tensor (always including its first and last entry) and a sample of input
 * pixels against central differences of the reference loss.
 *
 * <p>Tolerance: the same as for single layers ({@link LayerCheck}: 1e-4 relative plus 1e-5 of the tensor's
 * largest magnitude). Rounding compounds through six layers, but the float gradients still agree with the
 * double differences to about 1e-5 relative here (the test passes with ten times tighter bounds), while a
 * wiring mistake (wrong flatten order, transposed weight, missing ReLU mask) moves gradients by O(1).
 */
class LeNet5GradientTest {

    private static final double RTOL = LayerCheck.RTOL;
    private static final double ATOL_FRACTION = LayerCheck.ATOL_FRACTION;

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void gradientsOfTheWholeNetworkMatchFiniteDifferences(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        int n = 3;
        Random rng = new Random(2024);
        LeNet5 model = new LeNet5(k, 99);
        float[] images = Checks.uniform(rng, n * LeNet5.INPUT_SIZE, 0, 1);
        int[] labels = {3, 8, 0};

        double loss = model.forwardLoss(images, labels, n);
        float[] logits = Arrays.copyOf(model.forward(images, n), n * 10);
        loss = model.forwardLoss(images, labels, n);   // forward again: the result must not depend on the repeat
        model.zeroGrad();
        float[] dInput = Arrays.copyOf(model.backward(), n * LeNet5.INPUT_SIZE);

        Map<String, double[]> params = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            params.put(p.name(), Reference.toDouble(p.data()));
        }
        double[] x = Reference.toDouble(images);
        double[] refLogits = Reference.lenet5Logits(x, n, params);
        Checks.assertClose("logits", refLogits, logits, 1e-4, 1e-5 * Checks.maxAbs(refLogits));
        assertEquals(Reference.lenet5Loss(x, n, params, labels), loss, 1e-5);

        for (Parameter p : model.parameters()) {
            double[] values = params.get(p.name());
            int[] idx = p.name().endsWith(".bias") ? Checks.all(p.size()) : Checks.sample(rng, p.size(), 24);
            double[] numeric = Checks.numericGradient(v -> Reference.lenet5Loss(x, n, params, labels), values, idx);
            Checks.assertClose("gradient of " + p.name(), numeric, p.grad(), idx, RTOL,
                    ATOL_FRACTION * Math.max(Checks.maxAbs(numeric), 1e-12));
        }
        int[] pixels = Checks.sample(rng, x.length, 48);
        double[] numeric = Checks.numericGradient(v -> Reference.lenet5Loss(v, n, params, labels), x, pixels);
        Checks.assertClose("input gradient", numeric, dInput, pixels, RTOL, ATOL_FRACTION * Checks.maxAbs(numeric));
    }
}
