package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiniteChecksTest {

    private static final TensorKernels K = ScalarKernels.INSTANCE;

    @Test
    void findsTheFirstNonFiniteElementAndIgnoresOverflowingSums() {
        assertEquals(-1, FiniteChecks.firstNonFinite(K, new float[] {1, 2, 3}, 3));
        assertEquals(1, FiniteChecks.firstNonFinite(K, new float[] {1, Float.NaN, Float.POSITIVE_INFINITY}, 3));
        assertEquals(-1, FiniteChecks.firstNonFinite(K, new float[] {1, 2, Float.NaN}, 2), "only the first n count");
        // Finite values whose sum overflows: not an error.
        assertEquals(-1, FiniteChecks.firstNonFinite(K, new float[] {3e38f, 3e38f, -1f}, 3));
        // +Inf and -Inf sum to NaN, still found.
        assertEquals(0, FiniteChecks.firstNonFinite(K, new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, 2));
    }

    @Test
    void gradientChecksNameStepParameterAndElement() {
        Parameter ok = new Parameter("conv1.bias", 6);
        Parameter bad = new Parameter("fc1.weight", 2, 3);
        FiniteChecks.requireFiniteGradients(5, List.of(ok, bad), K);
        bad.data()[4] = Float.NEGATIVE_INFINITY;   // values are not the gradient check's business
        FiniteChecks.requireFiniteGradients(6, List.of(ok, bad), K);
        bad.grad()[0] = Float.NaN;
        NonFiniteException g = assertThrows(NonFiniteException.class,
                () -> FiniteChecks.requireFiniteGradients(7, List.of(ok, bad), K));
        assertEquals("step 7: gradient of fc1.weight is NaN (element 0 of 6)", g.getMessage());
        assertEquals("fc1.weight", g.source());
    }

    @Test
    void tensorsCheckTheirShapeAndCompareByValue() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.of(data, 2, 3);
        assertEquals(Tensor.of(data.clone(), 2, 3), t);
        assertTrue(!t.equals(Tensor.of(data, 3, 2)), "same values, other shape");
        int[] shape = t.shape();
        shape[0] = 9;
        assertArrayEquals(new int[] {2, 3}, t.shape(), "the shape cannot be changed from outside");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(data, 4, 2));
        assertTrue(e.getMessage().contains("[4, 2] holds 8 elements but the data has 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0], -1, 0));
        assertEquals(1, Tensor.of(new float[] {7}).size(), "a scalar has the empty shape");
    }
}
