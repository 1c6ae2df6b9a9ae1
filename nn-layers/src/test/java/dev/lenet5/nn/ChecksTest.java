package dev.lenet5.nn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The checking tools themselves: the differences are accurate and the tolerances catch small mistakes. */
class ChecksTest {

    @Test
    void centralDifferencesOfACubicAreAccurate() {
        double[] x = {0.5, -1.25, 2.0};
        double[] g = Checks.numericGradient(v -> v[0] * v[0] * v[0] + 2 * v[1] * v[2], x, Checks.all(3));
        assertEquals(3 * 0.25, g[0], 1e-9);
        assertEquals(2 * 2.0, g[1], 1e-9);
        assertEquals(2 * -1.25, g[2], 1e-9);
        assertEquals(0.5, x[0], 0.0, "x is restored");
    }

    @Test
    void theLayerToleranceRejectsAGradientThatIsOffByATenthOfAPercent() {
        double[] expected = {1.0, -0.5, 0.25, 2.0};
        float[] exact = {1.0f, -0.5f, 0.25f, 2.0f};
        float[] off = {1.0f, -0.5f, 0.25f * 1.001f, 2.0f};
        double atol = LayerCheck.ATOL_FRACTION * Checks.maxAbs(expected);
        assertDoesNotThrow(() -> Checks.assertClose("exact", expected, exact, LayerCheck.RTOL, atol));
        assertThrows(AssertionFailedError.class, () -> Checks.assertClose("off", expected, off, LayerCheck.RTOL, atol));
    }
}
