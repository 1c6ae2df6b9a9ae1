package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * The build runs this module's tests in several JVMs: with {@code --add-modules jdk.incubator.vector} and
 * {@code -Dlenet5.expectKernels=simd} (auto must choose SIMD at the preferred width), without the module and
 * {@code -Dlenet5.expectKernels=scalar}, and the kernel tests once per width with
 * {@code -Dlenet5.kernels=simd-N -Dlenet5.expectKernels=simd-N}. This test checks that each run really got the
 * kernels it was meant to exercise.
 */
class KernelSelectionTest {

    private static final int[] WIDTHS = {128, 256, 512};

    @Test
    void eachTestRunGetsTheKernelsItIsMeantToExercise() {
        String expected = System.getProperty("lenet5.expectKernels");
        if (expected == null) {
            // Run from an IDE without the build's settings: the choice must still match the module's presence.
            expected = Kernels.vectorModulePresent() ? "simd" : "scalar";
        }
        if (expected.equals("scalar")) {
            assertSame(ScalarKernels.INSTANCE, Kernels.get());
            assertTrue(!Kernels.vectorModulePresent(), "the scalar run must not have the Vector API module");
            return;
        }
        int preferred = JvmFacts.current().preferredBits();
        int bits = expected.equals("simd") ? preferred : Integer.parseInt(expected.substring("simd-".length()));
        if (bits > preferred) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Kernels::get);
            String message = e.getMessage();
            assertTrue(message.contains("no " + bits + "-bit vectors") && message.contains(preferred + " bits"), message);
            abort("this CPU has no " + bits + "-bit vectors (at most " + preferred + "): the " + expected
                    + " tests are skipped");
        }
        TensorKernels chosen = Kernels.get();
        assertEquals(bits, chosen.vectorBitSize(), "the width this run is meant to exercise");
        assertEquals("simd-" + bits, chosen.name());
        assertEquals(bits, Kernels.create("simd").vectorBitSize());
        assertEquals(bits, Kernels.create("auto").vectorBitSize());
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
        assertThrows(IllegalArgumentException.class, () -> Kernels.create("simd-64"));
    }

    @Test
    void simdWithoutTheModuleNamesTheFlag() {
        assumeTrue(!Kernels.vectorModulePresent(), "the Vector API module is present in this run");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.create("simd"));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kernels.create("simd-128"));
    }

    /** One width per JVM: any other is refused, naming the flag that gives it or saying the CPU lacks it. */
    @Test
    void otherWidthsThanThisJvmsAreRefusedClearly() {
        assumeTrue(SimdVariants.unavailable() == null, "this run has no SIMD kernels");
        int mine = Kernels.create("simd").vectorBitSize();
        int preferred = JvmFacts.current().preferredBits();
        assertEquals(mine, Kernels.create("simd-" + mine).vectorBitSize());
        assertEquals(mine, Kernels.createFixingWidth("simd-" + mine).vectorBitSize());
        int refused = 0;
        for (int bits : WIDTHS) {
            if (bits == mine) {
                continue;
            }
            String request = "simd-" + bits;
            String message = assertThrows(IllegalArgumentException.class, () -> Kernels.create(request)).getMessage();
            if (bits <= preferred) {
                assertTrue(message.contains("-Dlenet5.kernels=" + request), message);
                assertTrue(message.contains(mine + " bits"), message);
            } else {
                assertTrue(message.contains("no " + bits + "-bit vectors"), message);
            }
            // Once the vector kernels have loaded, a program cannot move their width either.
            String property = System.getProperty(Kernels.PROPERTY);
            assertThrows(IllegalArgumentException.class, () -> Kernels.createFixingWidth(request));
            assertEquals(property, System.getProperty(Kernels.PROPERTY), "the property must stay as it was");
            refused++;
        }
        assertEquals(WIDTHS.length - 1, refused);
    }

    @Test
    void bothGemmMicroKernelsCanBeHadAtThisJvmsWidth() {
        assumeTrue(SimdVariants.unavailable() == null, "this run has no SIMD kernels");
        VectorKernels wide = (VectorKernels) Kernels.createVector(true);
        VectorKernels narrow = (VectorKernels) Kernels.createVector(false);
        int lanes = wide.vectorBitSize() / 32;
        assertEquals(KernelTuning.WIDE_MR + "x" + KernelTuning.WIDE_NR_VECTORS * lanes, wide.gemmTile());
        assertEquals(KernelTuning.NARROW_MR + "x" + KernelTuning.NARROW_NR_VECTORS * lanes, narrow.gemmTile());
        assertEquals(wide.vectorBitSize(), narrow.vectorBitSize());
    }
}
