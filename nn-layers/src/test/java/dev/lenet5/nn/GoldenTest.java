package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lenet5.nn.io.SafeTensors;
import dev.lenet5.nn.io.StateDict;
import dev.lenet5.nn.optim.Adam;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LeNet-5 against values computed by PyTorch for the same parameters and batch (see
 * {@code src/test/resources/golden/README.md}): logits, loss, every parameter gradient, the input gradient
 * (which depends on max-pool tie-breaking) and the parameters after one Adam step, on the scalar and the
 * SIMD kernels. {@code -Dlenet5.golden=PATH} runs the same checks on another file of that format (a relative
 * path is resolved against the module directory, the tests' working directory).
 *
 * <p>Tolerance for logits, loss and gradients: relative error at most 1e-4, plus an absolute floor of 1e-5
 * times the tensor's largest magnitude for entries near zero. Those entries are sums whose terms cancel; their
 * float32 error is set by the size of the terms (bounded by the tensor's scale: about 1e-6 of it here),
 * not by the small result. A tie broken the other way or any wiring error moves entries by whole terms,
 * far beyond the floor. Adam's parameters: absolute 1e-6, i.e. 1e-3 of the learning rate, because at t=1 an
 * entry whose gradient is near eps moves by a step that is sensitive to tiny gradient differences.
 */
class GoldenTest {

    static final String PROPERTY = "lenet5.golden";
    private static final double RTOL = 1e-4;
    private static final double FLOOR_FRACTION = 1e-5;
    private static final double ADAM_ATOL = 1e-6;

    static Path goldenFile() throws URISyntaxException {
        String override = System.getProperty(PROPERTY);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        URL url = GoldenTest.class.getResource("/golden/lenet5-golden.safetensors");
        assertNotNull(url, "golden file missing from the test resources");
        return Path.of(url.toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void lenet5MatchesPyTorch(String kernelsName) throws IOException, URISyntaxException {
        TensorKernels k = TestKernels.named(kernelsName);
        SafeTensors.Contents golden = SafeTensors.read(goldenFile());
        LeNet5 model = new LeNet5(k, 0);
        StateDict.assign(golden.tensors(), model.parameters(), true);

        Tensor input = golden.tensor("input");
        int n = input.shape()[0];
        assertArrayEquals(new int[] {n, 1, 32, 32}, input.shape(), "input shape");
        int[] labels = labels(golden.tensor("labels"), n);

        double loss = model.forwardLoss(input.data(), labels, n);
        compare("logits", golden.tensor("logits"), model.forward(input.data(), n), RTOL);
        loss = model.forwardLoss(input.data(), labels, n);
        float expectedLoss = golden.tensor("loss").data()[0];
        assertEquals(expectedLoss, loss, RTOL * Math.abs(expectedLoss), "loss");

        model.zeroGrad();
        model.setInputGradientEnabled(true);
        float[] inputGrad = model.backward();
        for (Parameter p : model.parameters()) {
            compare("grad." + p.name(), golden.tensor("grad." + p.name()), p.grad(), RTOL);
        }
        compare("grad.input", golden.tensor("grad.input"), inputGrad, RTOL);

        Adam adam = new Adam(model.parameters(), k, 1e-3, 0.9, 0.999, 1e-8, 0);
        adam.step();
        for (Parameter p : model.parameters()) {
            Tensor expected = golden.tensor("adam1." + p.name());
            assertArrayEquals(p.shape(), expected.shape(), "adam1." + p.name() + " shape");
            compareAbsolute("adam1." + p.name(), expected.data(), p.data(), ADAM_ATOL);
        }
    }

    private static int[] labels(Tensor t, int n) {
        assertArrayEquals(new int[] {n}, t.shape(), "labels shape");
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float v = t.data()[i];
            if (v != Math.rint(v) || v < 0 || v > 9) {
                fail("label " + i + " is " + v + ", not a class 0..9");
            }
            labels[i] = (int) v;
        }
        return labels;
    }

    private static void compare(String name, Tensor expected, float[] actual, double rtol) {
        double[] e = Reference.toDouble(expected.data());
        if (actual.length < e.length) {
            fail(name + ": " + actual.length + " values, expected " + e.length);
        }
        Checks.assertClose(name, e, Arrays.copyOf(actual, e.length), rtol, FLOOR_FRACTION * Checks.maxAbs(e));
    }

    private static void compareAbsolute(String name, float[] expected, float[] actual, double atol) {
        Checks.assertClose(name, Reference.toDouble(expected), actual, 0, atol);
    }
}
