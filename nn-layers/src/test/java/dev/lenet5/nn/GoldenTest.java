package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lenet5.nn.io.SafeTensors;
import dev.lenet5.nn.io.StateDict;
import dev.lenet5.nn.optim.Adam;
import dev.lenet5.nn.optim.DoubleAdam;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LeNet-5 against values computed by PyTorch for the same parameters and batch (see
 * {@code src/test/resources/golden/README.md}, and {@code make_golden.py} beside it, which made the file): logits,
 * loss, every parameter gradient, the input gradient (which depends on max-pool tie-breaking) and the parameters
 * after one Adam step, on the scalar and the SIMD kernels. {@code -Dlenet5.golden=PATH} runs the same checks on
 * another file of that format, of any batch size (a relative path is resolved against the module directory, the
 * tests' working directory).
 *
 * <p>Tolerance for logits, loss and gradients: relative error at most 1e-4, plus an absolute floor of 1e-5
 * times the tensor's largest magnitude for entries near zero. Those entries are sums whose terms cancel; their
 * float32 error is set by the size of the terms (bounded by the tensor's scale: about 1e-6 of it here),
 * not by the small result. A tie broken the other way or any wiring error moves entries by whole terms,
 * far beyond the floor.
 *
 * <p>Adam is checked on gradients that both sides share, never on our gradients against PyTorch's step: at t=1
 * Adam moves each weight by {@code lr * g / (|g| + eps)}, so a weight whose gradient is near eps (1e-8) moves by
 * anything between 0 and lr for gradient differences far inside the gradients' tolerance. Given the same
 * gradients the update is well-conditioned: our float Adam on PyTorch's gradients must land on PyTorch's
 * {@code adam1.*}, and over several steps on the network's own gradients it must follow an Adam computed in
 * double on the same gradients, which exercises the moments and both bias corrections (one step from zero
 * moments moves every weight by about lr whatever they do).
 */
class GoldenTest {

    static final String PROPERTY = "lenet5.golden";
    private static final double RTOL = 1e-4;
    private static final double FLOOR_FRACTION = 1e-5;

    // The golden step's settings (PyTorch's defaults).
    private static final double LR = 1e-3;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPS = 1e-8;
    private static final int ADAM_STEPS = 3;
    /**
     * Allowed difference per step as a fraction of lr. The float update differs from the exact one by a few
     * units of float rounding in m, v and the quotient, and because the kernel forms 1 - beta2 from the float
     * 0.999f (1.3e-5 off 1e-3), which changes sqrt(v) by 6.4e-6: below 1e-5 of a step in all. A wrong
     * moment, bias correction or eps placement is off by a sizeable fraction of a step.
     */
    private static final double STEP_TOL = 1e-4;
    /** Plus the rounding of the parameter itself, one unit in the last place per step. */
    private static final double ULP_FRACTION = Math.ulp(1f);

    static Path goldenFile() throws URISyntaxException {
        String override = System.getProperty(PROPERTY);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        URL url = GoldenTest.class.getResource("/golden/lenet5-golden.safetensors");
        assertNotNull(url, "golden file missing from the test resources");
        return Path.of(url.toURI());
    }

    /** The golden file with its batch checked: images {@code [n,1,32,32]} and n labels 0..9. */
    record Golden(SafeTensors.Contents contents, int n, int[] labels) {

        static Golden read() throws IOException, URISyntaxException {
            SafeTensors.Contents contents = SafeTensors.read(goldenFile());
            int[] shape = contents.tensor("input").shape();
            int n = shape[0];
            assertArrayEquals(new int[] {n, 1, 32, 32}, shape, "input shape");
            return new Golden(contents, n, GoldenTest.labels(contents.tensor("labels"), n));
        }

        float[] input() {
            return contents.tensor("input").data();
        }

        Tensor tensor(String name) {
            return contents.tensor(name);
        }

        /** A network with the file's parameters, on the kernels of that name. */
        LeNet5 model(String kernelsName) {
            LeNet5 model = new LeNet5(TestKernels.named(kernelsName), 0);
            StateDict.assign(contents.tensors(), model.parameters(), true);
            return model;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void lenet5MatchesPyTorch(String kernelsName) throws IOException, URISyntaxException {
        Golden golden = Golden.read();
        LeNet5 model = golden.model(kernelsName);
        int n = golden.n();

        compare("logits", golden.tensor("logits"), model.forward(golden.input(), n), RTOL);
        double loss = model.forwardLoss(golden.input(), golden.labels(), n);
        float expectedLoss = golden.tensor("loss").data()[0];
        assertEquals(expectedLoss, loss, RTOL * Math.abs(expectedLoss), "loss");

        model.zeroGrad();
        model.setInputGradientEnabled(true);
        float[] inputGrad = model.backward();
        for (Parameter p : model.parameters()) {
            compare("grad." + p.name(), golden.tensor("grad." + p.name()), p.grad(), RTOL);
        }
        compare("grad.input", golden.tensor("grad.input"), inputGrad, RTOL);
    }

    /** The step itself, on PyTorch's gradients: ours and an Adam in double must both give PyTorch's parameters. */
    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void oneAdamStepOnPyTorchsGradientsGivesPyTorchsParameters(String kernelsName) throws IOException, URISyntaxException {
        Golden golden = Golden.read();
        LeNet5 model = golden.model(kernelsName);
        List<Parameter> params = model.parameters();
        DoubleAdam[] exact = new DoubleAdam[params.size()];
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor grad = golden.tensor("grad." + p.name());
            assertArrayEquals(p.shape(), grad.shape(), "grad." + p.name() + " shape");
            System.arraycopy(grad.data(), 0, p.grad(), 0, p.size());
            exact[i] = new DoubleAdam(Reference.toDouble(p.data()), LR, BETA1, BETA2, ADAM_EPS, 0);
            exact[i].step(Reference.toDouble(grad.data()));
        }
        new Adam(params, model.kernels(), LR, BETA1, BETA2, ADAM_EPS, 0).step();
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor expected = golden.tensor("adam1." + p.name());
            assertArrayEquals(p.shape(), expected.shape(), "adam1." + p.name() + " shape");
            double[] pytorch = Reference.toDouble(expected.data());
            // PyTorch stepped on the unrounded float64 gradients; at t=1 that changes no update by more than
            // lr * 2^-24 / 4, so the double reference lands on PyTorch's parameters up to their float rounding.
            compareAdam("adam1." + p.name() + " (double reference)", pytorch, toFloat(exact[i].parameters()), 1);
            compareAdam("adam1." + p.name(), pytorch, p.data(), 1);
        }
    }

    /**
     * Several steps, each on the gradients the network computes at its current weights, given to our Adam and to
     * the double one alike: the float state (m, v, the step count) must follow the exact one.
     */
    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void adamFollowsAnAdamInDoubleOverSeveralStepsOfTheNetworksGradients(String kernelsName)
            throws IOException, URISyntaxException {
        Golden golden = Golden.read();
        LeNet5 model = golden.model(kernelsName);
        model.setInputGradientEnabled(false);
        List<Parameter> params = model.parameters();
        Adam adam = new Adam(params, model.kernels(), LR, BETA1, BETA2, ADAM_EPS, 0);
        DoubleAdam[] exact = new DoubleAdam[params.size()];
        for (int i = 0; i < params.size(); i++) {
            exact[i] = new DoubleAdam(Reference.toDouble(params.get(i).data()), LR, BETA1, BETA2, ADAM_EPS, 0);
        }
        double firstLoss = 0;
        double loss = 0;
        for (int step = 1; step <= ADAM_STEPS; step++) {
            model.zeroGrad();
            loss = model.forwardLoss(golden.input(), golden.labels(), golden.n());
            firstLoss = step == 1 ? loss : firstLoss;
            model.backward();
            for (int i = 0; i < params.size(); i++) {
                exact[i].step(Reference.toDouble(params.get(i).grad()));
            }
            adam.step();
            for (int i = 0; i < params.size(); i++) {
                compareAdam(params.get(i).name() + " after step " + step, exact[i].parameters(), params.get(i).data(),
                        step);
            }
        }
        // Steps on one batch with a working optimiser lower that batch's loss.
        if (!(loss < firstLoss)) {
            fail("the loss on the batch went from " + firstLoss + " to " + loss + " in " + ADAM_STEPS + " steps");
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

    /** Parameters after {@code steps} Adam steps: per step STEP_TOL of lr plus one unit of the parameter's rounding. */
    private static void compareAdam(String name, double[] expected, float[] actual, int steps) {
        Checks.assertClose(name, expected, actual, steps * ULP_FRACTION, steps * STEP_TOL * LR);
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }
}
