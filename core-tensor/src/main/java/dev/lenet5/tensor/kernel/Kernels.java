package dev.lenet5.tensor.kernel;

import java.lang.reflect.InvocationTargetException;

/**
 * The one place that chooses the kernel implementation, once per JVM.
 *
 * <p>{@code -Dlenet5.kernels=auto|scalar|simd|simd-128|simd-256|simd-512} (default {@code auto}).
 * {@code auto} takes the Vector API kernels when they can be fast: the {@code jdk.incubator.vector} module in
 * the boot layer, C2 compiling, vectors of at least 128 bits. Otherwise it falls back to {@link ScalarKernels}
 * and prints one warning line saying why. {@code simd} insists and fails with that reason. {@code simd-N}
 * also fixes this JVM's vector width: the species is a compile-time constant for C2, so there is one width
 * per JVM, and asking {@link #create} for another is an error naming the flag that would give it (see
 * {@link KernelChoice} for every rule).
 */
public final class Kernels {

    public static final String PROPERTY = "lenet5.kernels";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String VECTOR_CLASS = "dev.lenet5.tensor.kernel.VectorKernels";

    private Kernels() {
    }

    /**
     * The kernels chosen for this JVM by {@code -Dlenet5.kernels} (default auto).
     *
     * @throws IllegalArgumentException when the property is unknown or asks for SIMD kernels this JVM cannot have
     */
    public static TensorKernels get() {
        if (Holder.FAILURE != null) {
            throw new IllegalArgumentException(Holder.FAILURE);
        }
        return Holder.CHOSEN;
    }

    /** Whether the Vector API module is resolved in this JVM (i.e. {@code --add-modules} was given). */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * Creates kernels for a request: {@code auto}, {@code scalar}, {@code simd} (this JVM's width), or
     * {@code simd-<bits>}, which must be this JVM's width. {@code auto} prints its fallback warning at most once
     * per JVM.
     *
     * @throws IllegalArgumentException for an unknown request, or {@code simd*} that this JVM cannot have; for
     *                                  another width than this JVM's, the message names the
     *                                  {@code -Dlenet5.kernels=simd-<bits>} that would give it
     */
    public static TensorKernels create(String request) {
        KernelChoice.Choice choice = choose(request);
        if (choice.bits() == 0) {
            if (choice.warning() != null) {
                Warning.once(choice.warning());
            }
            return ScalarKernels.INSTANCE;
        }
        return loadVector(JvmFacts.current().preferredBits() >= KernelTuning.WIDE_REGISTER_FILE_MIN_BITS);
    }

    /**
     * As {@link #create}, for a program that takes its kernels from its own options: a request naming a width
     * ({@code simd-128} ...) first makes it this JVM's width, when the vector kernels have not loaded yet and
     * {@code -Dlenet5.kernels} names no width. Once they have loaded, another width is refused as by create.
     */
    public static TensorKernels createFixingWidth(String request) {
        int bits = KernelChoice.namedBits(KernelChoice.normalise(request));
        if (bits != 0) {
            SimdWidth.nameIfOpen(bits);
        }
        return create(request);
    }

    /**
     * This JVM's SIMD kernels with a chosen GEMM micro-kernel: the one sized for 32 vector registers
     * ({@code wideRegisterFile}) or for 16. {@link #create} picks the right one for the CPU; this lets tests
     * exercise both anywhere.
     *
     * @throws IllegalArgumentException when this JVM cannot have SIMD kernels (as {@code create("simd")})
     */
    static TensorKernels createVector(boolean wideRegisterFile) {
        choose("simd");
        return loadVector(wideRegisterFile);
    }

    /** The choice for a request in this JVM; a refusal is thrown. */
    private static KernelChoice.Choice choose(String request) {
        JvmFacts vm = JvmFacts.current();
        KernelChoice.Choice choice = KernelChoice.decide(KernelChoice.normalise(request),
                SimdWidth.current(vm.preferredBits()), vm);
        if (choice.refusal() != null) {
            throw new IllegalArgumentException(choice.refusal());
        }
        return choice;
    }

    /** Loads VectorKernels reflectively so this class links even when the incubator module is absent. */
    private static TensorKernels loadVector(boolean wideRegisterFile) {
        try {
            return (TensorKernels) Class.forName(VECTOR_CLASS).getDeclaredMethod("create", boolean.class)
                    .invoke(null, wideRegisterFile);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException("cannot create the vector kernels", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the vector kernels", e);
        }
    }

    private static final class Holder {
        static final TensorKernels CHOSEN;
        /** Why the property's request cannot be had, or null. */
        static final String FAILURE;

        static {
            TensorKernels chosen = null;
            String failure = null;
            try {
                chosen = create(System.getProperty(PROPERTY, "auto"));
            } catch (IllegalArgumentException e) {
                failure = e.getMessage();
            }
            CHOSEN = chosen;
            FAILURE = failure;
        }
    }

    private static final class Warning {
        private static boolean printed;

        static synchronized void once(String line) {
            if (!printed) {
                printed = true;
                System.err.println(line);
            }
        }
    }
}
