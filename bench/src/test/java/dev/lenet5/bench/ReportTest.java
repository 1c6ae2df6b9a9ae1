package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From JMH results to the table, the peer comparison and the chart: FLOP counts, unit conversion, pairing of
 * scalar and SIMD results, and the JSON reader on a file JMH wrote.
 */
class ReportTest {

    @TempDir
    Path tmp;

    private static BenchResult result(String benchmark, Map<String, String> params, double score, String unit) {
        return new BenchResult("dev.lenet5.bench." + benchmark, params, score, unit, Double.NaN, "17.0.1");
    }

    @Test
    void lenetFlopsAreTheLayersSums() {
        // conv1 235,200 + conv2 480,000 + fc1 96,000 + fc2 20,160 + fc3 1,680
        assertEquals(833_040L, Workloads.lenetForwardFlopsPerImage());
        // forward + weight gradients (one forward) + input gradients of all but conv1
        assertEquals(833_040L * 2 + (833_040L - 235_200L), Workloads.lenetTrainFlopsPerImage());
    }

    @Test
    void workloadsNameShapesAndCountFlops() {
        Workloads.Workload w = Workloads.of(result("ConvBenchmark.backward",
                Map.of("batch", "120", "conv", "conv2", "kernels", "simd"), 1, "us/op"));
        assertEquals("conv backward", w.name());
        assertEquals("conv2 6x14x14>16 k5 b120", w.shape());
        assertEquals(2.0 * 480_000 * 120, w.flopsPerOp());
        Workloads.Workload fb = Workloads.of(result("LinearBenchmark.forwardBackward",
                Map.of("batch", "1", "fc", "fc1", "kernels", "simd"), 1, "us/op"));
        assertEquals(3.0 * 96_000, fb.flopsPerOp());
        assertFalse(Workloads.of(result("PoolBenchmark.forward",
                Map.of("batch", "1", "pool", "pool1", "kernels", "simd"), 1, "us/op")).hasFlops());
        Workloads.Workload train = Workloads.of(result("TrainingStepBenchmark.trainStep",
                Map.of("kernels", "simd", "threads", "2"), 1, "ops/s"));
        assertEquals("LeNet-5 b120 2 threads", train.shape());
        assertTrue(train.imagesAreOps());
        assertEquals(2, train.threads());
        Workloads.Workload peer = Workloads.of(result("PeerBenchmark.inferenceBatch500", Map.of("threads", "1"), 1, "ops/s"));
        Workloads.Workload ours = Workloads.of(result("InferenceBenchmark.batch500",
                Map.of("kernels", "simd", "threads", "1"), 1, "ops/s"));
        assertEquals(ours.name() + ours.shape(), peer.name() + peer.shape(), "the peer lines up with ours");
        assertEquals("sgemm", Workloads.of(result("GemmBenchmark.sgemm", Map.of("shape", "conv2_fwd", "kernels", "simd"),
                1, "ops/s")).name());
    }

    @Test
    void unitsConvertToSecondsPerOperation() {
        assertEquals(2e-6, result("X.y", Map.of(), 2, "us/op").secondsPerOp(), 1e-18);
        assertEquals(0.5, result("X.y", Map.of(), 500, "ms/op").secondsPerOp(), 1e-15);
        assertEquals(1e-3, result("X.y", Map.of(), 1000, "ops/s").secondsPerOp(), 1e-15);
        assertEquals(1e-6, result("X.y", Map.of(), 1000, "ops/ms").secondsPerOp(), 1e-18);
        assertEquals(4000, result("X.y", Map.of(), 4, "ops/ms").opsPerSecond(), 1e-9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> result("X.y", Map.of(), 1, "MB/sec").secondsPerOp());
        assertTrue(e.getMessage().contains("MB/sec"), e.getMessage());
        assertEquals("ConvBenchmark.forward", result("ConvBenchmark.forward", Map.of(), 1, "us/op").simpleName());
    }

    @Test
    void rowsPairScalarAndSimdAndTheTableShowsSpeedupGflopsAndPeak() {
        List<BenchResult> results = List.of(
                result("PeakFmaBenchmark.vectorFma", Map.of(), 100e9, "ops/s"),
                result("ConvBenchmark.forward", Map.of("batch", "120", "conv", "conv2", "kernels", "scalar"), 24_000, "us/op"),
                result("ConvBenchmark.forward", Map.of("batch", "120", "conv", "conv2", "kernels", "simd"), 2_400, "us/op"),
                result("TrainingStepBenchmark.trainStep", Map.of("kernels", "scalar", "threads", "2"), 1_000, "ops/s"),
                result("TrainingStepBenchmark.trainStep", Map.of("kernels", "simd", "threads", "2"), 8_000, "ops/s"),
                result("PeerBenchmark.trainStep", Map.of("threads", "2"), 3_200, "ops/s"));
        assertEquals(100.0, ComparisonTable.peakGflops(results), 1e-9);
        List<ComparisonTable.Row> rows = ComparisonTable.rows(results);
        assertEquals(2, rows.size(), "the peak is the yardstick, the peer joins our training row");
        ComparisonTable.Row conv = rows.get(0);
        assertEquals(10.0, conv.speedup(), 1e-12);
        // 57.6 MFLOP in 2.4 ms
        assertEquals(24.0, conv.simdGflops(), 1e-9);
        ComparisonTable.Row train = rows.get(1);
        assertEquals(8.0, train.speedup(), 1e-12);
        assertEquals(2.5, train.oursOverPytorch(), 1e-12);

        String table = ComparisonTable.format(rows, 100.0);
        String[] lines = table.split("\\R");
        assertEquals(3, lines.length, table);
        assertTrue(lines[0].matches("benchmark\\s+shape\\s+scalar\\s+SIMD\\s+speedup\\s+GFLOP/s\\s+% peak\\s*"), lines[0]);
        assertTrue(lines[1].matches("conv forward\\s+conv2 6x14x14>16 k5 b120\\s+24\\.0 ms\\s+2\\.40 ms\\s+10\\.0x\\s+24\\.00\\s+24\\.0%"),
                lines[1]);
        // 8,000 img/s x 2,263,920 FLOP = 18.1 GFLOP/s, against 2 threads x 100 GFLOP/s of peak.
        assertTrue(lines[2].matches("train step\\s+LeNet-5 b120 2 threads\\s+1,000 img/s\\s+8,000 img/s\\s+8\\.0x\\s+18\\.11\\s+9\\.1%"),
                lines[2]);

        String peers = ComparisonTable.formatPeers(rows);
        assertTrue(peers.contains("ours/PyTorch"), peers);
        assertTrue(peers.split("\\R")[1].matches("train step\\s+LeNet-5 b120 2 threads\\s+8,000 img/s\\s+3,200 img/s\\s+2\\.50x"),
                peers);
        assertEquals("", ComparisonTable.formatPeers(rows.subList(0, 1)));
    }

    @Test
    void theConvolutionAlgorithmsStandSideBySideInASectionOfTheirOwn() throws IOException {
        List<BenchResult> results = List.of(
                result("PeakFmaBenchmark.vectorFma", Map.of(), 100e9, "ops/s"),
                result("ConvBenchmark.forward", Map.of("batch", "120", "conv", "conv2", "kernels", "scalar",
                        "algorithm", "im2col"), 24_000, "us/op"),
                result("ConvBenchmark.forward", Map.of("batch", "120", "conv", "conv2", "kernels", "simd",
                        "algorithm", "im2col"), 4_800, "us/op"),
                result("GemmBenchmark.sgemm", Map.of("shape", "conv2_fwd", "kernels", "scalar"), 50, "ops/s"),
                result("GemmBenchmark.sgemm", Map.of("shape", "conv2_fwd", "kernels", "simd"), 1000, "ops/s"),
                // The second run: the SIMD convolution directly.
                result("ConvBenchmark.forward", Map.of("batch", "120", "conv", "conv2", "kernels", "simd",
                        "algorithm", "direct"), 2_400, "us/op"));
        List<ComparisonTable.Row> rows = ComparisonTable.rows(results);
        assertEquals(2, rows.size());
        ComparisonTable.Row conv = rows.get(0);
        assertEquals(List.of("simd im2col", "simd direct"), conv.simdVariants());
        assertEquals(5.0, conv.speedup("simd im2col"), 1e-12);
        assertEquals(10.0, conv.speedup("simd direct"), 1e-12);
        assertEquals("simd direct", conv.fastestSimd());
        assertEquals(24_000e-6, conv.scalar().secondsPerOp(), 1e-12, "the scalar reference ignores the algorithm");

        String[] lines = ComparisonTable.format(rows, 100.0).split("\\R", -1);
        assertEquals(6, lines.length, String.join("\n", lines));   // the last is after the final line break
        assertTrue(lines[0].matches("benchmark\\s+shape\\s+scalar\\s+SIMD im2col\\s+speedup\\s+SIMD direct\\s+speedup"
                + "\\s+best GFLOP/s\\s+% peak"), lines[0]);
        // GFLOP/s of the fastest: 57.6 MFLOP in 2.4 ms.
        assertTrue(lines[1].matches("conv forward\\s+conv2 6x14x14>16 k5 b120\\s+24\\.0 ms\\s+4\\.80 ms\\s+5\\.0x"
                + "\\s+2\\.40 ms\\s+10\\.0x\\s+24\\.00\\s+24\\.0%"), lines[1]);
        assertEquals("", lines[2], "a blank line between sections");
        assertTrue(lines[3].matches("benchmark\\s+shape\\s+scalar\\s+SIMD\\s+speedup\\s+GFLOP/s\\s+% peak"), lines[3]);
        assertTrue(lines[4].matches("sgemm\\s+conv2_fwd 16x12000x150 NN\\s+20\\.0 ms\\s+1\\.00 ms\\s+20\\.0x\\s+57\\.60\\s+57\\.6%"),
                lines[4]);

        assertEquals(2, SpeedupChart.plotted(rows).size());
        Path png = tmp.resolve("algorithms.png");
        SpeedupChart.write(png, rows, "CPU X | JDK 17");
        assertTrue(ImageIO.read(png.toFile()).getHeight() > 150);
    }

    @Test
    void variantsNameTheAlgorithmOnlyWhereItWasChosenForSimd() {
        assertEquals("scalar", ComparisonTable.variant(result("ConvBenchmark.forward",
                Map.of("kernels", "scalar", "algorithm", "direct"), 1, "us/op")));
        assertEquals("simd", ComparisonTable.variant(result("ConvBenchmark.forward",
                Map.of("kernels", "simd", "algorithm", "auto"), 1, "us/op")));
        assertEquals("simd-256 direct", ComparisonTable.variant(result("ConvBenchmark.forward",
                Map.of("kernels", "simd-256", "algorithm", "direct"), 1, "us/op")));
        assertEquals("simd", ComparisonTable.variant(result("GemmBenchmark.sgemm", Map.of("kernels", "simd"), 1, "ops/s")));
        assertEquals("SIMD-256 direct", ComparisonTable.label("simd-256 direct"));
    }

    @Test
    void rowsFollowTheNetworkForwardBeforeBackwardShapesInRunOrder() {
        List<ComparisonTable.Row> rows = ComparisonTable.rows(List.of(
                result("GemmBenchmark.sgemm", Map.of("shape", "conv2_fwd", "kernels", "simd"), 1, "ops/s"),
                result("ConvBenchmark.backward", Map.of("batch", "1", "conv", "conv1", "kernels", "simd"), 1, "us/op"),
                result("ConvBenchmark.forward", Map.of("batch", "120", "conv", "conv2", "kernels", "simd"), 1, "us/op"),
                result("ConvBenchmark.forward", Map.of("batch", "120", "conv", "conv1", "kernels", "simd"), 1, "us/op"),
                result("ConvBenchmark.forward", Map.of("batch", "120", "conv", "conv2", "kernels", "scalar"), 1, "us/op")));
        assertEquals(List.of("conv forward conv2", "conv forward conv1", "conv backward conv1", "sgemm conv2_fwd"),
                rows.stream().map(r -> r.workload().name() + " " + r.workload().shape().split(" ")[0])
                        .collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void missingHalvesAndNoPeakShowDashes() {
        List<ComparisonTable.Row> rows = ComparisonTable.rows(List.of(
                new BenchResult("dev.lenet5.bench.ConvBenchmark.forward", Map.of("batch", "1", "conv", "conv1",
                        "kernels", "simd"), 50, "us/op", 0.25, "")));
        assertNull(rows.get(0).scalar());
        String table = ComparisonTable.format(rows, Double.NaN);
        String line = table.split("\\R")[1];
        assertTrue(line.matches("conv forward\\s+conv1 1x32x32>6 k5 b1\\s+-\\s+50\\.0 us\\s+-\\s+4\\.70\\s+-\\s+0"), line);
        assertTrue(table.split("\\R")[0].endsWith("SIMD B/op"), table);
    }

    @Test
    void timesReadWell() {
        assertEquals("812 ns", ComparisonTable.time(812e-9));
        assertEquals("12.3 us", ComparisonTable.time(12.34e-6));
        assertEquals("4.56 ms", ComparisonTable.time(4.561e-3));
        assertEquals("1.20 s", ComparisonTable.time(1.2));
    }

    @Test
    void readsTheJsonJmhWrote() throws IOException {
        String json;
        try (InputStream in = ReportTest.class.getResourceAsStream("sample-run.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = Files.writeString(tmp.resolve("run.json"), json);
        List<BenchResult> results = JmhJson.read(file);
        assertEquals(5, results.size());
        BenchResult first = results.get(0);
        assertEquals("dev.lenet5.bench.InferenceBenchmark.batch120", first.benchmark());
        assertEquals(Map.of("kernels", "scalar", "threads", "1"), first.params());
        assertEquals(3146.851785234586, first.score());
        assertEquals("ops/s", first.unit());
        assertEquals(8.266666666666667, first.bytesPerOp());
        assertEquals("17.0.15", first.jdk());
        BenchResult conv = results.get(3);
        assertEquals("us/op", conv.unit());
        assertEquals("conv2", conv.param("conv", "?"));
        assertEquals(114.05836265012715, ComparisonTable.peakGflops(results), 1e-9);
        assertEquals(2, ComparisonTable.rows(results).size());
    }

    @Test
    void jsonErrorsSayWhere() {
        IOException e = assertThrows(IOException.class, () -> JmhJson.parse("[\n  {\"benchmark\" : }\n]", "bad.json"));
        assertEquals("bad.json: invalid JSON at line 2, column 18: unexpected character '}'", e.getMessage());
        e = assertThrows(IOException.class, () -> JmhJson.parse("{}", "obj.json"));
        assertTrue(e.getMessage().contains("not a JMH result file"), e.getMessage());
        e = assertThrows(IOException.class, () -> JmhJson.parse("[{\"benchmark\": \"a.B.c\"}]", "short.json"));
        assertEquals("short.json: result 0 primaryMetric: expected a JSON object, found nothing", e.getMessage());
        e = assertThrows(IOException.class, () -> JmhJson.parse("[1] x", "tail.json"));
        assertTrue(e.getMessage().contains("unexpected text after the JSON value"), e.getMessage());
    }

    @Test
    void jsonReaderHandlesEscapesAndNaN() throws IOException {
        List<BenchResult> r = JmhJson.parse("[{\"benchmark\":\"p.A\\u002eb\",\"params\":{\"k\":\"x\\\"y\"},"
                + "\"primaryMetric\":{\"score\":NaN,\"scorePercentiles\":{\"50.0\":\"2.5\"},\"scoreUnit\":\"us/op\"}}]", "t");
        assertEquals("p.A.b", r.get(0).benchmark());
        assertEquals("x\"y", r.get(0).param("k", ""));
        assertEquals(2.5, r.get(0).score());
        // The bare NaN is the value when there are no percentiles.
        r = JmhJson.parse("[{\"benchmark\":\"p.A.b\",\"primaryMetric\":{\"score\":NaN,\"scoreUnit\":\"us/op\"}}]", "t");
        assertTrue(Double.isNaN(r.get(0).score()));
        IOException e = assertThrows(IOException.class, () -> JmhJson.parse("[{\"benchmark\":\"a\",\"benchmark\":\"b\"}]",
                "twice.json"));
        assertEquals("twice.json: invalid JSON at line 1, column 19: duplicate key \"benchmark\"", e.getMessage());
    }

    @Test
    void cpuModelComesFromProcCpuinfo() {
        String cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)  CPU @ 2.80GHz\n"
                + "processor\t: 1\nmodel name\t: Intel(R) Xeon(R)  CPU @ 2.80GHz\n";
        assertEquals("Intel(R) Xeon(R) CPU @ 2.80GHz", MachineInfo.cpuModel(cpuinfo));
        assertNull(MachineInfo.cpuModel("processor : 0\n"));
        assertEquals("CPU X | 2 cores | JDK 17.0.1 | simd-256 (256-bit vectors) | load 0.50",
                MachineInfo.header("X", 2, "17.0.1", "simd-256 (256-bit vectors)", 0.5));
        assertTrue(MachineInfo.header("17").contains(" cores | JDK 17 | "));
        assertTrue(MachineInfo.header("17").contains(" | load "));
        assertFalse(MachineInfo.headerForSavedRun("17").contains("load"), "today's load says nothing about a saved run");
    }

    @Test
    void chartHasOneBarPerComparedRow() throws IOException {
        List<ComparisonTable.Row> rows = ComparisonTable.rows(List.of(
                result("ConvBenchmark.forward", Map.of("batch", "1", "conv", "conv1", "kernels", "scalar"), 100, "us/op"),
                result("ConvBenchmark.forward", Map.of("batch", "1", "conv", "conv1", "kernels", "simd"), 10, "us/op"),
                result("ConvBenchmark.backward", Map.of("batch", "1", "conv", "conv1", "kernels", "simd"), 10, "us/op")));
        assertEquals(1, SpeedupChart.plotted(rows).size(), "a row without scalar has no speed-up to draw");
        Path png = tmp.resolve("sub/chart.png");
        SpeedupChart.write(png, rows, "CPU X | JDK 17");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(SpeedupChart.WIDTH, image.getWidth());
        assertTrue(image.getHeight() > 150);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpeedupChart.render(rows.subList(1, 2), "x"));
        assertTrue(e.getMessage().startsWith("nothing to plot"), e.getMessage());
    }
}
