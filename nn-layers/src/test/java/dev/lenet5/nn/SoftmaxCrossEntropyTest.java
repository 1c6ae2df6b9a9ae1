package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SoftmaxCrossEntropyTest {

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void lossOfHandComputedLogits(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(k, 3);
        // Row 0: uniform logits → loss ln 3. Row 1: logits (ln 1, ln 2, ln 7), label 2 → -ln(7/10).
        float[] logits = {5, 5, 5, 0, (float) Math.log(2), (float) Math.log(7)};
        double loss = ce.forward(logits, new int[] {1, 2}, 2);
        assertEquals((Math.log(3) - Math.log(0.7)) / 2, loss, 1e-6);
        float[] g = ce.backward();
        // (softmax - onehot) / 2
        float[] expected = {1f / 6, (1f / 3 - 1) / 2, 1f / 6, 0.05f, 0.1f, (0.7f - 1) / 2};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], g[i], 1e-6, "dlogits[" + i + "]");
        }
        assertEquals(1, ce.correct(), "row 1 predicts its label; row 0's tie goes to class 0");
        assertArrayEquals(new int[] {0, 2}, Arrays.copyOf(ce.predictions(), 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void hugeLogitsNeitherOverflowNorLoseTheLoss(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(k, 4);
        // exp(1e4) overflows float and double; the loss of the wrong label is still exactly the logit gap.
        float[] logits = {1e4f, 0f, -1e4f, 5e3f, 1e4f, 1e4f, 1e4f, 1e4f};
        double loss = ce.forward(logits, new int[] {1, 3}, 2);
        assertTrue(Double.isFinite(loss), "loss " + loss);
        assertEquals((1e4 + Math.log(4)) / 2, loss, 1e-3);
        float[] g = ce.backward();
        for (float v : Arrays.copyOf(g, 8)) {
            assertTrue(Float.isFinite(v), "gradient " + Arrays.toString(g));
        }
        assertEquals(0.5f, g[0], 1e-6f);
        assertEquals(-0.5f, g[1], 1e-6f);
        assertEquals((0.25f - 1f) / 2, g[7], 1e-6f);
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void matchesTheReferenceAndFiniteDifferences(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random rng = new Random(17);
        int n = 3;
        int classes = 7;
        float[] logits = Checks.uniform(rng, n * classes, -4, 4);
        int[] labels = {6, 0, 3};
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(k, classes);
        double loss = ce.forward(logits, labels, n);
        double[] x = Reference.toDouble(logits);
        assertEquals(Reference.crossEntropy(x, n, classes, labels), loss, 1e-6);
        float[] g = ce.backward();
        double[] numeric = Checks.numericGradient(v -> Reference.crossEntropy(v, n, classes, labels), x,
                Checks.all(x.length));
        Checks.assertClose("dlogits", numeric, g, 1e-4, 1e-6);

        // A replica of a batch of 3 that is part of a batch of 12 scales its gradient by 3/12.
        float[] quarter = Arrays.copyOf(ce.backward(12), n * classes);
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] *= 3.0 / 12;
        }
        Checks.assertClose("dlogits / 12", numeric, quarter, 1e-4, 1e-6);
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void nanLogitsGiveANanLossNotAWrongNumber(String kernelsName) {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(TestKernels.named(kernelsName), 3);
        assertTrue(Double.isNaN(ce.forward(new float[] {1, Float.NaN, 0}, new int[] {0}, 1)));
        assertTrue(Double.isNaN(ce.forward(new float[] {Float.NaN, 1, 0}, new int[] {0}, 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR})
    void badLabelsAndMissingForwardAreReported(String kernelsName) {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(TestKernels.named(kernelsName), 3);
        IllegalStateException early = assertThrows(IllegalStateException.class, ce::backward);
        assertTrue(early.getMessage().contains("before forward"), early.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ce.forward(new float[6], new int[] {0, 3}, 2));
        assertTrue(e.getMessage().contains("label 3 of row 1"), e.getMessage());
        IllegalArgumentException shortLabels = assertThrows(IllegalArgumentException.class,
                () -> ce.forward(new float[6], new int[] {0}, 2));
        assertTrue(shortLabels.getMessage().contains("1 labels for a batch of 2"), shortLabels.getMessage());
    }

    /** PyTorch's definition written out: the mean over rows of -sum_j target_j * log softmax_j. */
    private static double smoothedCrossEntropy(double[] logits, int n, int classes, int[] labels, double eps) {
        double total = 0;
        for (int b = 0; b < n; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, logits[b * classes + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(logits[b * classes + j] - max);
            }
            for (int j = 0; j < classes; j++) {
                double target = (j == labels[b] ? 1 - eps : 0) + eps / classes;
                double logSoftmax = logits[b * classes + j] - max - Math.log(sum);
                total -= target * logSoftmax;
            }
        }
        return total / n;
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void labelSmoothingMatchesItsDefinitionAndFiniteDifferences(String kernelsName) {
        TensorKernels k = TestKernels.named(kernelsName);
        Random rng = new Random(5);
        int n = 3;
        int classes = 10;
        double eps = 0.1;
        float[] logits = Checks.uniform(rng, n * classes, -5, 5);
        int[] labels = {2, 9, 0};
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(k, classes);
        ce.setLabelSmoothing(eps);
        double[] x = Reference.toDouble(logits);
        double loss = ce.forward(logits, labels, n);
        assertEquals(smoothedCrossEntropy(x, n, classes, labels, eps), loss, 1e-6);
        assertTrue(Math.abs(loss - Reference.crossEntropy(x, n, classes, labels)) > 1e-3, "smoothing changes the loss");
        float[] g = ce.backward();
        double[] numeric = Checks.numericGradient(v -> smoothedCrossEntropy(v, n, classes, labels, eps), x,
                Checks.all(x.length));
        Checks.assertClose("dlogits with smoothing", numeric, g, 1e-4, 1e-6);
        assertEquals(eps, ce.replica().labelSmoothing());

        ce.setLabelSmoothing(0);
        assertEquals(Reference.crossEntropy(x, n, classes, labels), ce.forward(logits, labels, n), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> ce.setLabelSmoothing(1));
        assertThrows(IllegalArgumentException.class, () -> ce.setLabelSmoothing(-0.1));
    }
}
