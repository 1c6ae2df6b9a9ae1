package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The SIMD variants the tests run: 128, 256 and 512 bits, each with both GEMM micro-kernels (sized for
 * 32 and for 16 vector registers). In the scalar test run (no Vector API module) every SIMD variant is
 * skipped through an assumption, never passed silently; widths the CPU lacks are skipped the same way,
 * and {@link #assertAllRan} checks afterwards that every width this JVM supports did run.
 */
final class SimdVariants {

    static final int[] WIDTHS = {128, 256, 512};

    private SimdVariants() {
    }

    /** Parameter source for {@code @MethodSource}: the widths, whether or not this run can use them. */
    static IntStream widths() {
        return IntStream.of(WIDTHS);
    }

    /** The widths among {@link #WIDTHS} this JVM and CPU run natively; empty without the module. */
    static Set<Integer> supportedWidths() {
        Set<Integer> widths = new TreeSet<>();
        if (Kernels.vectorModulePresent()) {
            int preferred = Kernels.create("simd").vectorBitSize();
            for (int bits : WIDTHS) {
                if (bits <= preferred) {
                    widths.add(bits);
                }
            }
        }
        return widths;
    }

    /** The SIMD kernels of one width, or a skipped test when this run or CPU cannot have them. */
    static TensorKernels kernels(int bits, boolean wideRegisterFile) {
        assumeTrue(Kernels.vectorModulePresent(),
                "SIMD variant skipped: this is the run without --add-modules jdk.incubator.vector");
        assumeTrue(supportedWidths().contains(bits), "SIMD variant skipped: no " + bits + "-bit vectors on this CPU");
        TensorKernels kernels = Kernels.createVector(bits, wideRegisterFile);
        assertEquals(bits, kernels.vectorBitSize());
        assertEquals("simd-" + bits, kernels.name());
        return kernels;
    }

    static TensorKernels kernels(int bits) {
        return kernels(bits, true);
    }

    /**
     * Checks, after a test class, that the widths which ran are exactly the ones this JVM supports: 128,
     * 256 and, on an AVX-512 machine, 512 in the SIMD run; none in the scalar run.
     */
    static void assertAllRan(Set<Integer> ran) {
        assertEquals(supportedWidths(), new TreeSet<>(ran), "SIMD widths that ran");
        if (Kernels.vectorModulePresent()) {
            assertEquals(true, ran.contains(128) && ran.contains(256), "128 and 256 bits must always run: " + ran);
        }
    }
}
