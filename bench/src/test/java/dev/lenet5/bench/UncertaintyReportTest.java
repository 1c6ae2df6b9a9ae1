package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.lenet5.nn.io.Json;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.util.ListStatistics;

/**
 * The table says how sure each number is and flags the unsure ones, from a JMH result file. The two fixtures are
 * JMH result files of the same benchmarks (1 fork, 5 iterations): in {@code quiet-run.json} every benchmark's
 * iterations agree within half a percent; in {@code noisy-run.json} the direct SIMD convolution's scatter by
 * half their size. Their iteration scores were chosen by hand; score, error, interval and percentiles are JMH's
 * statistics of them, which {@link #theFixturesAreWhatJmhWouldWrite} recomputes with JMH's own code.
 */
class UncertaintyReportTest {

    private static String fixture(String name) throws IOException {
        try (InputStream in = UncertaintyReportTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<BenchResult> read(String name) throws IOException {
        return JmhJson.parse(fixture(name), name);
    }

    @Test
    void theFixturesAreWhatJmhWouldWrite() throws IOException, Json.JsonException {
        for (String name : List.of("quiet-run.json", "noisy-run.json")) {
            List<?> raw = (List<?>) Json.parseLenient(fixture(name));
            List<BenchResult> results = read(name);
            for (int i = 0; i < results.size(); i++) {
                Map<?, ?> primary = (Map<?, ?>) ((Map<?, ?>) raw.get(i)).get("primaryMetric");
                ListStatistics stats = new ListStatistics();
                for (Object fork : (List<?>) primary.get("rawData")) {
                    for (Object v : (List<?>) fork) {
                        stats.addValue(((Number) v).doubleValue());
                    }
                }
                BenchResult r = results.get(i);
                assertEquals(stats.getMeanErrorAt(0.999), r.spread().error(), 1e-9 * stats.getMean(), name + " " + i);
                assertEquals(stats.getPercentile(50), r.score(), 1e-9 * stats.getMean(), name + " " + i);
                assertEquals(stats.getMin(), r.spread().min());
                assertEquals(stats.getMax(), r.spread().max());
                assertEquals(5, r.spread().iterations());
            }
        }
    }

    @Test
    void aQuietRunShowsItsErrorsAndFlagsNothing() throws IOException {
        List<ComparisonTable.Row> rows = ComparisonTable.rows(read("quiet-run.json"));
        String table = ComparisonTable.format(rows, ComparisonTable.peakGflops(read("quiet-run.json")));
        String conv = line(table, "conv forward");
        // 24.0 ms +-0.7%, then im2col 4.81 ms +-0.8% (5.0x), direct 1.30 ms +-0.7% (18.5x)
        assertTrue(conv.matches("conv forward\\s+conv2 6x14x14>16 k5 b120\\s+24\\.0 ms \\+-0\\.7%\\s+4\\.81 ms \\+-0\\.8%"
                + "\\s+5\\.0x\\s+1\\.30 ms \\+-0\\.7%\\s+18\\.5x\\s+.*"), conv);
        assertTrue(line(table, "sgemm").matches("sgemm\\s+conv2_fwd 16x12000x150 NN\\s+14\\.9 ms \\+-0\\.7%"
                + "\\s+666 us \\+-0\\.9%\\s+22\\.3x.*"), line(table, "sgemm"));
        assertFalse(table.contains("!"), table);
        String notes = ComparisonTable.footnotes(rows);
        assertEquals("+- JMH's error: half-width of the 99.9% confidence interval of the mean", notes.strip());
    }

    @Test
    void aNoisyRowIsFlaggedWithAFootnote() throws IOException {
        List<ComparisonTable.Row> rows = ComparisonTable.rows(read("noisy-run.json"));
        String table = ComparisonTable.format(rows, Double.NaN);
        String conv = line(table, "conv forward");
        // The direct convolution's error is 85% of its score (the median); the others stay unflagged.
        assertTrue(conv.matches(".*\\s+4\\.81 ms \\+-0\\.8%\\s+5\\.0x\\s+1\\.32 ms \\+-85%!\\s+18\\.2x\\s+.*"), conv);
        assertEquals(1, table.chars().filter(c -> c == '!').count(), table);
        String notes = ComparisonTable.footnotes(rows);
        assertTrue(notes.lines().anyMatch(l -> l.startsWith("!  error above 10% of the score: rerun on a quiet machine")),
                notes);
        assertTrue(ComparisonTable.noisy(rows.get(0).result("simd direct")));
        assertFalse(ComparisonTable.noisy(rows.get(0).result("simd im2col")));
    }

    @Test
    void withoutJmhsErrorTheRangeStandsInAndOneIterationShowsNone() {
        BenchResult two = withSpread(new BenchResult.Spread(Double.NaN, 225, 275, 2));
        assertEquals(0.10, two.relativeUncertainty(), 1e-12);
        assertFalse(two.uncertaintyIsJmhError());
        Workloads.Workload w = Workloads.of(two);
        assertEquals("250 us ~10%", ComparisonTable.measured(two, w), "10% is not above 10%");
        assertEquals("250 us ~20%!", ComparisonTable.measured(withSpread(new BenchResult.Spread(Double.NaN, 200, 300, 2)), w));
        assertEquals("250 us", ComparisonTable.measured(withSpread(new BenchResult.Spread(Double.NaN, 250, 250, 1)), w));
        assertEquals("250 us", ComparisonTable.measured(withSpread(BenchResult.Spread.UNKNOWN), w));
        assertEquals("250 us +-2.5%", ComparisonTable.measured(withSpread(new BenchResult.Spread(6.25, 240, 262, 5)), w));
        List<ComparisonTable.Row> rows = ComparisonTable.rows(List.of(withSpread(new BenchResult.Spread(Double.NaN, 200, 300, 2))));
        String notes = ComparisonTable.footnotes(rows);
        assertTrue(notes.startsWith("~  half the range of the iterations"), notes);
        assertTrue(notes.contains("!  error above 10%"), notes);
        assertEquals("", ComparisonTable.footnotes(ComparisonTable.rows(List.of(withSpread(BenchResult.Spread.UNKNOWN)))));
        assertEquals(">999%", ComparisonTable.percent(12.5));
    }

    private static BenchResult withSpread(BenchResult.Spread spread) {
        return new BenchResult("dev.lenet5.bench.ConvBenchmark.forward", Map.of("batch", "1", "conv", "conv1",
                "kernels", "simd"), 250, "us/op", Double.NaN, "17", spread);
    }

    private static String line(String table, String start) {
        return table.lines().filter(l -> l.startsWith(start)).findFirst().orElse("(no line starting with " + start + ")");
    }
}
