package dev.lenet5.app;

import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.TensorKernels;
import picocli.CommandLine.Option;

/** Options that change how fast a command runs, not what it computes. Shared by every subcommand. */
final class RuntimeOptions {

    @Option(names = "--kernels", defaultValue = "auto", paramLabel = "KIND",
            description = "auto, scalar, simd, simd-128, simd-256 or simd-512 (default: ${DEFAULT-VALUE}: SIMD when"
                    + " the Vector API module is added, scalar otherwise)")
    String kernels;

    @Option(names = "--threads", paramLabel = "N",
            description = "worker threads (default: the number of processors)")
    Integer threads;

    @Option(names = {"-v", "--verbose"}, description = "print stack traces of errors")
    boolean verbose;

    /**
     * The kernels of {@code --kernels}. A width ({@code simd-128} ...) becomes this JVM's vector width, which is
     * fixed once the vector kernels have loaded.
     *
     * @throws IllegalArgumentException for an unknown kind, SIMD this JVM cannot have, or another width than the
     *                                  one this JVM already has
     */
    TensorKernels kernels() {
        return Kernels.createFixingWidth(kernels);
    }

    int threads() {
        if (threads == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("--threads must be between 1 and 256, got " + threads);
        }
        return threads;
    }
}
