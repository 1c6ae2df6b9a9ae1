package dev.lenet5.tensor.kernel;

/**
 * This JVM's vector width in bits: the one {@code -Dlenet5.kernels=simd-N} names, otherwise the preferred
 * one. It is fixed once, when {@link VectorConstants} initialises (C2 needs the species as a constant);
 * until then a program may still name it ({@link Kernels#createFixingWidth}). Imports nothing from the
 * Vector API, so {@link Kernels} can ask before any vector class loads.
 */
final class SimdWidth {

    /** 0 until VectorConstants has initialised. */
    private static int fixed;

    private SimdWidth() {
    }

    /** Fixes the width, once; VectorConstants' initialiser calls it. */
    static synchronized int fix(int preferredBits) {
        if (fixed == 0) {
            fixed = named(System.getProperty(Kernels.PROPERTY), preferredBits);
        }
        return fixed;
    }

    /** The width in force or, before the vector kernels have loaded, the one they would get. */
    static synchronized int current(int preferredBits) {
        return fixed != 0 ? fixed : named(System.getProperty(Kernels.PROPERTY), preferredBits);
    }

    /**
     * Makes {@code bits} the width the vector kernels will load with, by setting {@code -Dlenet5.kernels=simd-N},
     * when they have not loaded yet and the property asks for nothing more specific (absent, {@code auto} or
     * {@code simd}). Otherwise leaves everything as it is: the request is then judged against the width in force.
     */
    static synchronized void nameIfOpen(int bits) {
        String property = System.getProperty(Kernels.PROPERTY);
        boolean open = property == null || property.isBlank()
                || KernelChoice.normalise(property).equals("auto") || KernelChoice.normalise(property).equals("simd");
        if (fixed == 0 && open) {
            System.setProperty(Kernels.PROPERTY, "simd-" + bits);
        }
    }

    /** The width a value of {@code -Dlenet5.kernels} names, or preferredBits when it names none. */
    static int named(String property, int preferredBits) {
        int bits = property == null ? 0 : KernelChoice.namedBits(KernelChoice.normalise(property));
        return bits != 0 ? bits : preferredBits;
    }
}
