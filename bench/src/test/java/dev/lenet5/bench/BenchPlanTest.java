package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * A request with several convolution algorithms becomes runs that measure every (benchmark, kernels, algorithm)
 * variant the table shows exactly once: the scalar reference once, each SIMD algorithm once, the rest once.
 */
class BenchPlanTest {

    private static Set<BenchmarkListEntry> all() {
        return BenchmarkList.defaultList().getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
                List.of());
    }

    /** The benchmark methods a run selects, as JMH selects them. */
    private static Set<String> selected(Set<BenchmarkListEntry> entries, BenchPlan.Run run) {
        return BenchmarkList.defaultList().find(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
                run.includes(), List.of()).stream().map(e -> e.getUsername().substring("dev.lenet5.bench.".length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The table's variants each run measures, as "benchmark variant" for every combination JMH makes of the run's
     * parameter values (a benchmark's own defaults where the run names none).
     */
    private static List<String> measured(Set<BenchmarkListEntry> entries, List<BenchPlan.Run> runs) {
        List<String> out = new ArrayList<>();
        for (BenchPlan.Run run : runs) {
            for (String benchmark : selected(entries, run)) {
                BenchmarkListEntry entry = entries.stream().filter(e -> e.getUsername().endsWith("." + benchmark))
                        .findFirst().orElseThrow();
                Map<String, String[]> defaults = entry.getParams().hasValue() ? entry.getParams().get() : Map.of();
                List<String> kernels = defaults.containsKey("kernels")
                        ? run.params().getOrDefault("kernels", List.of(defaults.get("kernels"))) : List.of("-");
                List<String> algorithms = defaults.containsKey("algorithm")
                        ? run.params().getOrDefault("algorithm", List.of(defaults.get("algorithm"))) : List.of("auto");
                for (String k : kernels) {
                    for (String a : algorithms) {
                        BenchResult r = new BenchResult("dev.lenet5.bench." + benchmark,
                                Map.of("kernels", k, "algorithm", a), 1, "us/op", Double.NaN, "");
                        out.add(benchmark + " " + ComparisonTable.variant(r));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theConvSuiteMeasuresScalarOnceAndEachSimdAlgorithmOnce() {
        Set<BenchmarkListEntry> entries = all();
        List<BenchPlan.Run> runs = BenchPlan.plan(BenchSuite.CONV.includes(), BenchSuite.CONV.params());
        assertEquals(2, runs.size());
        List<String> measured = measured(entries, runs);
        assertEquals(measured.size(), new TreeSet<>(measured).size(), "nothing measured twice: " + measured);
        assertEquals(new TreeSet<>(List.of(
                "ConvBenchmark.forward scalar", "ConvBenchmark.forward simd im2col", "ConvBenchmark.forward simd direct",
                "ConvBenchmark.backward scalar", "ConvBenchmark.backward simd im2col", "ConvBenchmark.backward simd direct",
                "GemmBenchmark.sgemm scalar", "GemmBenchmark.sgemm simd", "PeakFmaBenchmark.vectorFma -")),
                new TreeSet<>(measured));
        // The second run keeps the suite's other parameters.
        assertEquals(List.of("conv1", "conv2"), runs.get(1).params().get("conv"));
        assertEquals(List.of("direct"), runs.get(1).params().get("algorithm"));
    }

    @Test
    void everySuiteMeasuresEachVariantOnce() {
        Set<BenchmarkListEntry> entries = all();
        for (BenchSuite suite : BenchSuite.values()) {
            List<String> measured = measured(entries, BenchPlan.plan(suite.includes(), suite.params()));
            assertEquals(measured.size(), new TreeSet<>(measured).size(), suite + ": " + measured);
        }
    }

    @Test
    void oneAlgorithmOrNoneIsOneRunAsAsked() {
        Map<String, List<String>> params = Map.of("conv", List.of("conv2"), "algorithm", List.of("im2col"));
        assertEquals(List.of(new BenchPlan.Run(List.of("ConvBenchmark"), params)), BenchPlan.plan(List.of("ConvBenchmark"), params));
        assertEquals(1, BenchPlan.plan(BenchSuite.GEMM.includes(), BenchSuite.GEMM.params()).size());
    }

    @Test
    void theSecondRunTakesTheSimdKernelsAskedForAndOnlyWhatSelectsConvolutions() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("kernels", List.of("scalar", "simd-256", "simd"));
        params.put("algorithm", List.of("auto", "im2col", "direct"));
        List<BenchPlan.Run> runs = BenchPlan.plan(List.of("Conv", "Gemm"), params);
        assertEquals(List.of("auto"), runs.get(0).params().get("algorithm"));
        assertEquals(List.of("scalar", "simd-256", "simd"), runs.get(0).params().get("kernels"));
        assertEquals(List.of("simd-256", "simd"), runs.get(1).params().get("kernels"));
        assertEquals(List.of("im2col", "direct"), runs.get(1).params().get("algorithm"));
        assertEquals(Set.of("ConvBenchmark.forward", "ConvBenchmark.backward", "ConvBenchmark.forwardBackward"),
                selected(all(), runs.get(1)), "every method of the convolution benchmark, nothing else");

        params.put("kernels", List.of("scalar"));
        assertEquals(1, BenchPlan.plan(List.of("Conv"), params).size(), "no SIMD kernels: no second run");
        params.remove("kernels");
        assertEquals(List.of("simd"), BenchPlan.plan(List.of("Conv"), params).get(1).params().get("kernels"),
                "the classes' own SIMD kernels");
        assertEquals(1, BenchPlan.plan(List.of("PoolBenchmark"), params).size(), "no convolution selected");
    }

    @Test
    void theMethodsItKnowsAreTheConvolutionBenchmarksMethods() {
        Set<String> methods = all().stream().map(BenchmarkListEntry::getUsername)
                .filter(n -> n.startsWith(ConvBenchmark.class.getName() + "."))
                .map(n -> "^" + java.util.regex.Pattern.quote(n) + "$").collect(Collectors.toSet());
        assertEquals(methods, Set.copyOf(BenchPlan.convBenchmarksMatching(List.of("."))));
        assertTrue(BenchPlan.convBenchmarksMatching(List.of("Gemm")).isEmpty());
        assertEquals(List.of("scalar", "simd"), BenchPlan.defaultKernels());
    }
}
