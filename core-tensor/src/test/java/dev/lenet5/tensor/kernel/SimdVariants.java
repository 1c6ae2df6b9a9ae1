package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The SIMD kernels a test JVM runs: its one vector width, with either GEMM micro-kernel (sized for 32 or for
 * 16 vector registers). The build runs the kernel tests once per width, 128, 256 and 512 bits, each in a JVM of
 * its own started with {@code -Dlenet5.kernels=simd-N}, besides the default run at the preferred width. In the
 * run without the Vector API module, and in a width's run on a CPU without vectors that wide, every SIMD test is
 * skipped through an assumption that says why, never passed silently; {@link #assertRanWhereAvailable} checks
 * after each test class that the SIMD tests ran exactly where they could.
 */
final class SimdVariants {

    private SimdVariants() {
    }

    /** The width this JVM was started for ({@code -Dlenet5.kernels=simd-N}), or 0 when it names none. */
    static int requestedBits() {
        return KernelChoice.namedBits(KernelChoice.normalise(System.getProperty(Kernels.PROPERTY, "auto")));
    }

    /** Why this JVM cannot have SIMD kernels, or null when it can. */
    static String unavailable() {
        if (!Kernels.vectorModulePresent()) {
            return "this is the run without --add-modules jdk.incubator.vector";
        }
        try {
            Kernels.create("simd");
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** This JVM's SIMD kernels with the chosen GEMM micro-kernel, or a skipped test when it has none. */
    static TensorKernels kernels(boolean wideRegisterFile) {
        String why = unavailable();
        assumeTrue(why == null, () -> "SIMD variant skipped: " + why);
        TensorKernels kernels = Kernels.createVector(wideRegisterFile);
        if (requestedBits() != 0) {
            assertEquals(requestedBits(), kernels.vectorBitSize(), "the width this JVM was started for");
        }
        assertEquals("simd-" + kernels.vectorBitSize(), kernels.name());
        return kernels;
    }

    static TensorKernels kernels() {
        return kernels(true);
    }

    /** Checks, after a test class, that its SIMD tests ran if and only if this JVM can have SIMD kernels. */
    static void assertRanWhereAvailable(boolean ran) {
        String why = unavailable();
        assertEquals(why == null, ran, "SIMD tests ran: " + ran + (why == null ? "" : " (unavailable: " + why + ")"));
    }
}
