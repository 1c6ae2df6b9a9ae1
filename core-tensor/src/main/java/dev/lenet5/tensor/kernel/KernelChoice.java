package dev.lenet5.tensor.kernel;

import java.util.Locale;

/**
 * Which kernels a request gets in a JVM, as a pure function of the request, the JVM's vector width and
 * the {@link JvmFacts}, so every rule can be tested without starting JVMs of every kind.
 *
 * <ul>
 *   <li>{@code scalar} is always granted.</li>
 *   <li>SIMD needs the Vector API module, C2 (without it the Vector API runs as boxed Java objects, far
 *       slower than scalar loops) and vectors of at least 128 bits. Missing one, {@code auto} falls back to
 *       scalar with one warning line saying why, and {@code simd*} is refused with the same reason.</li>
 *   <li>The width is fixed once per JVM ({@link SimdWidth}): {@code simd-N} is granted only when it is this
 *       JVM's width, and refused when the CPU has no vectors that wide (the JVM would only emulate them).</li>
 * </ul>
 */
final class KernelChoice {

    /** The one-line warning of {@code auto} without the Vector API module. */
    static final String NO_MODULE_WARNING = "WARNING: lenet5: the Vector API is not available, using the scalar"
            + " kernels (slower); run java with --add-modules jdk.incubator.vector for SIMD.";
    /** Below this the Vector API is not worth it (Lucene draws the same line). */
    static final int MIN_BITS = 128;

    private KernelChoice() {
    }

    /**
     * The outcome: SIMD kernels of {@code bits} bits, or scalar ({@code bits == 0}) with an optional warning
     * line to print, or a refusal (the message of an {@link IllegalArgumentException}).
     */
    record Choice(int bits, String warning, String refusal) {

        static Choice scalar() {
            return new Choice(0, null, null);
        }

        static Choice simd(int bits) {
            return new Choice(bits, null, null);
        }

        static Choice fallback(String warning) {
            return new Choice(0, warning, null);
        }

        static Choice refused(String message) {
            return new Choice(0, null, message);
        }
    }

    /** Lower case, trimmed; {@code null} means {@code auto}. */
    static String normalise(String request) {
        return request == null ? "auto" : request.trim().toLowerCase(Locale.ROOT);
    }

    /** The width {@code simd-N} names, 0 for any other text. */
    static int namedBits(String request) {
        switch (request) {
            case "simd-128":
                return 128;
            case "simd-256":
                return 256;
            case "simd-512":
                return 512;
            default:
                return 0;
        }
    }

    /**
     * @param request  a normalised request: auto, scalar, simd or simd-N
     * @param jvmBits  this JVM's vector width ({@link SimdWidth#current}); ignored without the module
     * @throws IllegalArgumentException for an unknown request
     */
    static Choice decide(String request, int jvmBits, JvmFacts vm) {
        boolean auto = request.equals("auto");
        int named = namedBits(request);
        if (request.equals("scalar")) {
            return Choice.scalar();
        }
        if (!auto && !request.equals("simd") && named == 0) {
            throw new IllegalArgumentException("unknown kernels '" + request
                    + "': expected auto, scalar, simd, simd-128, simd-256 or simd-512");
        }
        if (!vm.vectorModule()) {
            return auto ? Choice.fallback(NO_MODULE_WARNING) : Choice.refused("kernels '" + request
                    + "' need the Vector API: run java with --add-modules jdk.incubator.vector");
        }
        String obstacle = obstacle(vm);
        int wanted = named != 0 ? named : jvmBits;
        if (obstacle == null && wanted > vm.preferredBits()) {
            String asked = named != 0 ? "" : " (-D" + Kernels.PROPERTY + " asks for them)";
            obstacle = "this JVM and CPU have no " + wanted + "-bit vectors" + asked + ", at most " + vm.preferredBits()
                    + " bits: wider ones would only be emulated";
        }
        if (obstacle != null) {
            return auto ? Choice.fallback("WARNING: lenet5: using the scalar kernels (slower): " + obstacle + ".")
                    : Choice.refused("kernels '" + request + "' are not available: " + obstacle);
        }
        if (wanted != jvmBits) {
            return Choice.refused("kernels '" + request + "' need a JVM started with -D" + Kernels.PROPERTY + "="
                    + request + ": the vector width is fixed once per JVM, and this one's is " + jvmBits + " bits");
        }
        return Choice.simd(jvmBits);
    }

    /** Why this JVM's vector kernels would be slower than scalar ones, or null when they are not. */
    private static String obstacle(JvmFacts vm) {
        if (vm.compilerObstacle() != null) {
            return vm.compilerObstacle();
        }
        if (vm.preferredBits() < MIN_BITS) {
            return "this JVM's widest float vectors are " + vm.preferredBits() + " bits, and below " + MIN_BITS
                    + " the Vector API is slower than scalar code";
        }
        return null;
    }
}
