package dev.lenet5.app;

import dev.lenet5.tensor.kernel.ConvAlgorithm;
import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.TensorKernels;
import picocli.CommandLine.Option;

/** Options that change how fast a command runs, not what it computes. Shared by every subcommand. */
final class RuntimeOptions {

    /** What a report calls the scalar kernels' convolution: their one way, the definition's loops. */
    static final String SCALAR_CONV = "reference";

    @Option(names = "--kernels", defaultValue = "auto", paramLabel = "KIND",
            description = "auto, scalar, simd, simd-128, simd-256 or simd-512 (default: ${DEFAULT-VALUE}: SIMD when"
                    + " the Vector API module is added, scalar otherwise)")
    String kernels;

    // No picocli default: a resumed run tells "not given" (keep the run's own) from "given".
    @Option(names = "--conv", paramLabel = "ALGORITHM",
            description = "how the SIMD kernels convolve: auto (direct where it applies, otherwise im2col), im2col"
                    + " (im2col + GEMM) or direct (default: auto; train --resume keeps the run's). The scalar kernels"
                    + " have one algorithm, their reference loops, whatever this says (reported as conv=" + SCALAR_CONV
                    + ")")
    String conv;

    @Option(names = "--threads", paramLabel = "N",
            description = "worker threads (default: the number of processors)")
    Integer threads;

    @Option(names = {"-v", "--verbose"}, description = "print stack traces of errors")
    boolean verbose;

    /** The kernels of {@code --kernels} computing convolutions as {@code --conv} says (auto when not given). */
    TensorKernels kernels() {
        return kernels(ConvAlgorithm.AUTO);
    }

    /**
     * The kernels of {@code --kernels} computing convolutions as {@code --conv} says, or as {@code whenNotGiven}
     * says without it. A width ({@code simd-128} ...) becomes this JVM's vector width, which is fixed once the
     * vector kernels have loaded.
     *
     * @throws IllegalArgumentException for an unknown kind or algorithm, SIMD this JVM cannot have, or another
     *                                  width than the one this JVM already has
     */
    TensorKernels kernels(ConvAlgorithm whenNotGiven) {
        ConvAlgorithm algorithm = conv(whenNotGiven);
        return Kernels.createFixingWidth(kernels).withConvAlgorithm(algorithm);
    }

    /**
     * The algorithm {@code --conv} asks for, or {@code whenNotGiven}.
     *
     * @throws IllegalArgumentException for an unknown algorithm
     */
    ConvAlgorithm conv(ConvAlgorithm whenNotGiven) {
        return conv == null ? whenNotGiven : ConvAlgorithm.parse(conv);
    }

    /**
     * How {@code kernels} really convolve, for the reports: {@code auto}, {@code im2col} or {@code direct} on the
     * SIMD kernels, {@value #SCALAR_CONV} on the scalar ones, which have one algorithm whatever was asked.
     */
    static String convReport(TensorKernels kernels) {
        return kernels.vectorBitSize() == 0 ? SCALAR_CONV : kernels.convAlgorithm().toString();
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
