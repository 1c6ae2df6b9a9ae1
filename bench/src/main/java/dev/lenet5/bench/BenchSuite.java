package dev.lenet5.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Named selections of benchmarks for the application's {@code bench} command: which benchmark methods
 * (JMH include patterns) with which parameter values; {@link BenchPlan} turns them into JMH runs. Every suite
 * includes the FMA peak, the yardstick of the "% peak" column. Parameter names are unique per benchmark class
 * ({@code conv}, {@code algorithm}, {@code pool}, {@code fc}, {@code shape}), so one run can narrow each class
 * separately.
 */
public enum BenchSuite {

    /**
     * The scalar vs SIMD convolution comparison: conv1 and conv2 forward and backward at batch 120 and 1, the SIMD
     * kernels by im2col + GEMM and directly.
     */
    CONV(List.of("ConvBenchmark\\.(forward|backward)$", "GemmBenchmark\\.sgemm$", "PeakFmaBenchmark\\.vectorFma$"),
            Map.of("conv", List.of("conv1", "conv2"), "batch", List.of("120", "1"), "shape", List.of("conv2_fwd"),
                    ConvBenchmark.ALGORITHM, Constants.BOTH_ALGORITHMS)),
    /** Every layer (convolution, pooling, linear, with the odd shapes), every phase; convolutions both ways. */
    LAYERS(List.of("ConvBenchmark\\.", "PoolBenchmark\\.", "LinearBenchmark\\.", "PeakFmaBenchmark\\.vectorFma$"),
            Map.of(ConvBenchmark.ALGORITHM, Constants.BOTH_ALGORITHMS)),
    /** The GEMMs the layers lower to, at LeNet's batch-120 shapes, and a 512^3 reference. */
    GEMM(List.of("GemmBenchmark\\.sgemm$", "PeakFmaBenchmark\\.vectorFma$"), Map.of()),
    /** The LeNet-5 training step and inference on 1 and 2 threads (and the PyTorch peer when it is built in). */
    TRAINING(List.of("TrainingStepBenchmark\\.", "InferenceBenchmark\\.", "PeerBenchmark\\.",
            "PeakFmaBenchmark\\.vectorFma$"), Map.of()),
    /** Everything above. */
    ALL(List.of("ConvBenchmark\\.", "PoolBenchmark\\.", "LinearBenchmark\\.", "GemmBenchmark\\.sgemm$",
            "Im2ColBenchmark\\.", "TrainingStepBenchmark\\.", "InferenceBenchmark\\.", "PeerBenchmark\\.",
            "PeakFmaBenchmark\\.vectorFma$"), Map.of(ConvBenchmark.ALGORITHM, Constants.BOTH_ALGORITHMS));

    /** Enum constants cannot read the enum's own static fields while they are built; this holder they can. */
    private static final class Constants {
        /** The SIMD convolution algorithms side by side (auto is direct for LeNet-5's convolutions). */
        static final List<String> BOTH_ALGORITHMS = List.of("im2col", "direct");
    }

    private final List<String> includes;
    private final Map<String, List<String>> params;

    BenchSuite(List<String> includes, Map<String, List<String>> params) {
        this.includes = includes;
        this.params = params;
    }

    public static BenchSuite parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown benchmark suite '" + name
                    + "': expected conv, layers, gemm, training or all", e);
        }
    }

    /** JMH include patterns (regular expressions found in the benchmark's full name). */
    public List<String> includes() {
        return includes;
    }

    /** Parameter values that replace the classes' defaults; parameters not named keep theirs. */
    public Map<String, List<String>> params() {
        return params;
    }

    public String paramName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
