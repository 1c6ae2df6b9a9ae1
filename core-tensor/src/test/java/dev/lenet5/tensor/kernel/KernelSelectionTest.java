package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The build runs the suite twice: with {@code --add-modules jdk.incubator.vector} and
 * {@code -Dlenet5.expectKernels=simd}, and without the module and {@code -Dlenet5.expectKernels=scalar}.
 * This test checks that each run really got the kernels it was meant to exercise.
 */
class KernelSelectionTest {

    @Test
    void eachTestRunGetsTheKernelsItIsMeantToExercise() {
        String expected = System.getProperty("lenet5.expectKernels");
        if (expected == null) {
            // Run from an IDE without the build's settings: the choice must still match the module's presence.
            expected = Kernels.vectorModulePresent() ? "simd" : "scalar";
        }
        TensorKernels chosen = Kernels.get();
        if (expected.equals("scalar")) {
            assertSame(ScalarKernels.INSTANCE, chosen);
            assertEquals(0, chosen.vectorBitSize());
            assertTrue(!Kernels.vectorModulePresent(), "the scalar run must not have the Vector API module");
        } else {
            assertTrue(chosen.name().startsWith("simd-"), "expected SIMD kernels but got " + chosen.name());
            assertTrue(chosen.vectorBitSize() >= 64, "vector width " + chosen.vectorBitSize());
            assertEquals("simd-" + chosen.vectorBitSize(), chosen.name());
        }
    }

    @Test
    void scalarCanAlwaysBeRequested() {
        assertSame(ScalarKernels.INSTANCE, Kernels.create("scalar"));
        assertSame(ScalarKernels.INSTANCE, Kernels.create(" Scalar "));
    }

    @Test
    void unknownRequestsAreRejectedWithTheAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.create("gpu"));
        assertTrue(e.getMessage().contains("auto, scalar, simd"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kernels.create("simd-100"));
    }

    @Test
    void simdWithoutTheModuleNamesTheFlag() {
        if (Kernels.vectorModulePresent()) {
            assertTrue(Kernels.create("simd").name().startsWith("simd-"));
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.create("simd"));
            assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
        }
    }
}
