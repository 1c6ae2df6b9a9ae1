package dev.lenet5.tensor.kernel;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.Optional;

/**
 * The one place that chooses the kernel implementation, once per JVM.
 *
 * <p>{@code -Dlenet5.kernels=auto|scalar|simd} (default {@code auto}). {@code auto} takes the Vector API
 * kernels when the {@code jdk.incubator.vector} module is in the boot layer and falls back to
 * {@link ScalarKernels} otherwise, printing one warning line that names the missing flag. {@code simd}
 * insists and fails if the module is absent. {@code simd-128}, {@code simd-256}, {@code simd-512}
 * force a vector width (for tests and benchmarks).
 */
public final class Kernels {

    public static final String PROPERTY = "lenet5.kernels";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String VECTOR_CLASS = "dev.lenet5.tensor.kernel.VectorKernels";
    static final String WARNING = "WARNING: lenet5: the Vector API is not available, using the scalar kernels"
            + " (slower); run java with --add-modules jdk.incubator.vector for SIMD.";

    private Kernels() {
    }

    /** The kernels chosen for this JVM by {@code -Dlenet5.kernels} (default auto). */
    public static TensorKernels get() {
        return Holder.CHOSEN;
    }

    /** Whether the Vector API module is resolved in this JVM (i.e. {@code --add-modules} was given). */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * Creates kernels for a request: {@code auto}, {@code scalar}, {@code simd} (preferred width), or
     * {@code simd-<bits>}. {@code auto} prints the fallback warning at most once per JVM.
     *
     * @throws IllegalArgumentException for an unknown request, or {@code simd*} when SIMD is unavailable
     */
    public static TensorKernels create(String request) {
        String r = request == null ? "auto" : request.trim().toLowerCase(Locale.ROOT);
        switch (r) {
            case "scalar":
                return ScalarKernels.INSTANCE;
            case "auto":
                return loadVector(0).orElseGet(() -> {
                    Warning.once();
                    return ScalarKernels.INSTANCE;
                });
            default:
                int bits = parseSimdBits(r);
                if (!vectorModulePresent()) {
                    throw new IllegalArgumentException("kernels '" + request + "' need the Vector API: run java with"
                            + " --add-modules jdk.incubator.vector");
                }
                return loadVector(bits).orElseThrow(() -> new IllegalArgumentException(
                        "kernels '" + request + "' are not supported on this JVM or CPU"));
        }
    }

    private static int parseSimdBits(String r) {
        if (r.equals("simd")) {
            return 0;
        }
        if (r.startsWith("simd-")) {
            String bits = r.substring("simd-".length());
            if (bits.equals("64") || bits.equals("128") || bits.equals("256") || bits.equals("512")) {
                return Integer.parseInt(bits);
            }
        }
        throw new IllegalArgumentException("unknown kernels '" + r
                + "': expected auto, scalar, simd, simd-128, simd-256 or simd-512");
    }

    /** Loads VectorKernels reflectively so this class links even when the incubator module is absent. */
    private static Optional<TensorKernels> loadVector(int bits) {
        if (!vectorModulePresent()) {
            return Optional.empty();
        }
        try {
            Class<?> type = Class.forName(VECTOR_CLASS);
            Object k = type.getDeclaredMethod("create", int.class).invoke(null, bits);
            return Optional.of((TensorKernels) k);
        } catch (LinkageError | ReflectiveOperationException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * SIMD kernels of a given width with a chosen GEMM micro-kernel: the one sized for 32 vector registers
     * ({@code wideRegisterFile}) or for 16. {@link #create} picks the right one for the CPU; this lets
     * tests and benchmarks exercise both anywhere.
     *
     * @throws IllegalStateException if the Vector API module is absent
     * @throws UnsupportedOperationException if the width is not supported on this JVM and CPU
     */
    static TensorKernels createVector(int bits, boolean wideRegisterFile) {
        if (!vectorModulePresent()) {
            throw new IllegalStateException("the Vector API module is absent: run java with --add-modules jdk.incubator.vector");
        }
        try {
            Class<?> type = Class.forName(VECTOR_CLASS);
            return (TensorKernels) type.getDeclaredMethod("create", int.class, boolean.class)
                    .invoke(null, bits, wideRegisterFile);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException("cannot create " + bits + "-bit vector kernels", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + bits + "-bit vector kernels", e);
        }
    }

    private static final class Holder {
        static final TensorKernels CHOSEN = create(System.getProperty(PROPERTY, "auto"));
    }

    private static final class Warning {
        private static boolean printed;

        static synchronized void once() {
            if (!printed) {
                printed = true;
                System.err.println(WARNING);
            }
        }
    }
}
