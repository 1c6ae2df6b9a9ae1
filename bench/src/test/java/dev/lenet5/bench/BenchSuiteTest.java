package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/** The suites select benchmarks that exist (in the BenchmarkList the annotation processor wrote) with parameters they have. */
class BenchSuiteTest {

    private static Set<BenchmarkListEntry> all() {
        return BenchmarkList.defaultList().getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
                List.of());
    }

    @Test
    void everyIncludeMatchesABenchmarkAndEveryParameterBelongsToOne() {
        Set<BenchmarkListEntry> entries = all();
        for (BenchSuite suite : BenchSuite.values()) {
            Set<BenchmarkListEntry> selected = new TreeSet<>();
            for (String include : suite.includes()) {
                Pattern p = Pattern.compile(include);
                List<BenchmarkListEntry> matched = entries.stream()
                        .filter(e -> p.matcher(e.getUsername()).find()).collect(Collectors.toList());
                if (!include.startsWith("PeerBenchmark")) {   // built only with the peers profile
                    assertFalse(matched.isEmpty(), suite + ": '" + include + "' matches no benchmark");
                }
                selected.addAll(matched);
            }
            for (String param : suite.params().keySet()) {
                assertTrue(selected.stream().anyMatch(e -> e.getParams().hasValue() && e.getParams().get().containsKey(param)),
                        suite + ": no selected benchmark has the parameter " + param);
            }
        }
    }

    @Test
    void theDefaultSuiteIsTheConvComparison() {
        Set<BenchmarkListEntry> entries = all();
        List<String> names = entries.stream().map(BenchmarkListEntry::getUsername)
                .filter(n -> BenchSuite.CONV.includes().stream().anyMatch(i -> Pattern.compile(i).matcher(n).find()))
                .map(n -> n.substring("dev.lenet5.bench.".length())).sorted().collect(Collectors.toList());
        assertEquals(List.of("ConvBenchmark.backward", "ConvBenchmark.forward", "GemmBenchmark.sgemm",
                "PeakFmaBenchmark.vectorFma"), names);
        assertEquals(List.of("conv1", "conv2"), BenchSuite.CONV.params().get("conv"));
        assertEquals(List.of("120", "1"), BenchSuite.CONV.params().get("batch"));
        assertEquals(BenchSuite.TRAINING, BenchSuite.parse(" Training "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchSuite.parse("quick"));
        assertTrue(e.getMessage().contains("conv, layers, gemm, training or all"), e.getMessage());
    }
}
