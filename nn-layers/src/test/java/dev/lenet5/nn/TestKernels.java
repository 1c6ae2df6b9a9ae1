package dev.lenet5.nn;

import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;

/**
 * The kernel implementations a test runs on. Tests take a name ({@code scalar} or {@code simd}) as a
 * parameter: the scalar run always runs; the SIMD run is skipped, visibly, by an assumption when the JVM has
 * no Vector API module (the build's second surefire run) or the SIMD kernels cannot be created.
 */
public final class TestKernels {

    /** Parameter values for {@code @ValueSource(strings = ...)}. */
    public static final String SCALAR = "scalar";
    public static final String SIMD = "simd";

    private TestKernels() {
    }

    public static TensorKernels named(String name) {
        if (name.equals(SCALAR)) {
            return ScalarKernels.INSTANCE;
        }
        assumeTrue(Kernels.vectorModulePresent(), "jdk.incubator.vector is not in this JVM: SIMD part skipped");
        TensorKernels k;
        try {
            k = Kernels.create(name);
        } catch (IllegalArgumentException e) {
            return abort("SIMD kernels cannot be created in this JVM: " + e.getMessage());
        }
        assumeTrue(k.vectorBitSize() > 0, "'" + name + "' gave " + k.name() + ", not SIMD kernels");
        return k;
    }
}
