package dev.lenet5.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.bench.BenchResult;
import dev.lenet5.bench.JmhJson;
import dev.lenet5.tensor.kernel.Kernels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;

/** The bench command's options become the right JMH options; its table and chart come from results. */
class BenchCommandTest {

    @TempDir
    Path tmp;

    /** The one JMH run of a request that needs one. */
    private static Options options(String... args) {
        List<Options> runs = runs(args);
        assertEquals(1, runs.size());
        return runs.get(0);
    }

    private static List<Options> runs(String... args) {
        CommandLine cli = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine.ParseResult parsed = cli.parseArgs(all);
        BenchCommand command = parsed.subcommand().commandSpec().commandLine().getCommand();
        return command.jmhRuns();
    }

    @Test
    void defaultsAreTheShortConvComparisonInTwoRuns() {
        List<Options> runs = runs();
        assertEquals(2, runs.size(), "everything with im2col, then the SIMD convolutions directly");
        Options o = runs.get(0);
        for (Options run : runs) {
            assertEquals(1, run.getForkCount().get());
            assertEquals(3, run.getWarmupIterations().get());
            assertEquals(3, run.getMeasurementIterations().get());
            assertEquals(TimeValue.seconds(1), run.getMeasurementTime().get());
            assertTrue(run.getProfilers().isEmpty());
            assertFalse(run.getResult().hasValue());
            assertTrue(run.shouldFailOnError().get(), "a wrong kernel fails the run instead of reporting a number");
            assertEquals(List.of("conv1", "conv2"), new ArrayList<>(run.getParameter("conv").get()));
            assertEquals(List.of("120", "1"), new ArrayList<>(run.getParameter("batch").get()));
        }
        assertEquals(List.of("ConvBenchmark\\.(forward|backward)$", "GemmBenchmark\\.sgemm$", "PeakFmaBenchmark\\.vectorFma$"),
                o.getIncludes());
        assertEquals(List.of("conv2_fwd"), new ArrayList<>(o.getParameter("shape").get()));
        assertFalse(o.getParameter("kernels").hasValue(), "the classes pair scalar and simd themselves");
        assertEquals(List.of("im2col"), new ArrayList<>(o.getParameter("algorithm").get()));
        Options direct = runs.get(1);
        assertEquals(2, direct.getIncludes().size());
        assertTrue(direct.getIncludes().stream().allMatch(i -> i.contains("ConvBenchmark")), direct.getIncludes()::toString);
        assertEquals(List.of("simd"), new ArrayList<>(direct.getParameter("kernels").get()));
        assertEquals(List.of("direct"), new ArrayList<>(direct.getParameter("algorithm").get()));
    }

    @Test
    void fullAndExplicitSettings() {
        Options full = options("--full", "--suite", "training");
        // The classes' annotations decide: 3 forks, 5 (or 10) warm-up and 5 measurement iterations of 1 s.
        assertFalse(full.getForkCount().hasValue());
        assertFalse(full.getWarmupIterations().hasValue());
        assertFalse(full.getMeasurementIterations().hasValue());
        assertFalse(full.getMeasurementTime().hasValue());
        assertTrue(full.getIncludes().contains("TrainingStepBenchmark\\."));
        assertFalse(full.getParameter("conv").hasValue());
        assertEquals(1, runs("--suite", "gemm").size());
        assertEquals(1, runs("--include", "ConvBenchmark", "-p", "algorithm=im2col,direct", "-p", "kernels=scalar").size(),
                "no SIMD kernels: nothing to run a second time");

        Path json = tmp.resolve("r.json");
        Options o = options("--full", "--forks", "2", "--warmup", "0", "--iterations", "4", "--time", "200ms",
                "--include", "ConvBenchmark.forward$", "-p", "conv=odd", "-p", "kernels=scalar,simd-256", "--gc",
                "--json", json.toString());
        assertEquals(2, o.getForkCount().get());
        assertEquals(0, o.getWarmupIterations().get());
        assertEquals(4, o.getMeasurementIterations().get());
        assertEquals(new TimeValue(200, TimeUnit.MILLISECONDS), o.getWarmupTime().get());
        assertEquals(List.of("ConvBenchmark.forward$"), o.getIncludes());
        assertFalse(o.getParameter("batch").hasValue(), "--include drops the suite's parameters");
        assertEquals(List.of("odd"), new ArrayList<>(o.getParameter("conv").get()));
        assertEquals(List.of("scalar", "simd-256"), new ArrayList<>(o.getParameter("kernels").get()));
        assertEquals(1, o.getProfilers().size());
        assertFalse(o.getResult().hasValue(), "the command writes --json itself, atomically, after the run");
    }

    private static void assertUsageError(String fragment, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        AppRun run = AppRun.of(all);
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: ") && run.err().contains(fragment), () -> fragment + " in\n" + run);
        assertFalse(run.err().contains("\tat "), run::toString);
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertUsageError("unknown benchmark suite 'quick'", "--suite", "quick");
        assertUsageError("--iterations must be at least 1, got 0", "--iterations", "0");
        assertUsageError("--forks must be at least 0, got -1", "--forks", "-1");
        assertUsageError("--time must be a duration such as 1s or 200ms, got 'soon'", "--time", "soon");
        assertUsageError("-p conv=conv1,: empty value", "-p", "conv=conv1,");
        assertUsageError("give one of them", "--from-json", "a.json", "--json", "b.json");
    }

    private Path sampleRun() throws IOException {
        try (InputStream in = BenchCommandTest.class.getResourceAsStream("bench-sample-run.json")) {
            return Files.write(tmp.resolve("run.json"), in.readAllBytes());
        }
    }

    @Test
    void redrawsTheTableAndChartFromAnEarlierRun() throws IOException {
        Path png = tmp.resolve("chart.png");
        AppRun run = AppRun.of("bench", "--from-json", sampleRun().toString(), "--plot", png.toString());
        assertEquals(0, run.exitCode(), run::toString);
        String[] lines = run.out().strip().split("\\R");
        assertTrue(lines[0].startsWith("CPU ") && lines[0].contains("JDK 17.0.15 (from "), lines[0]);
        assertFalse(lines[0].contains("load"), lines[0]);
        assertTrue(lines[1].startsWith("benchmark"), lines[1]);
        assertTrue(run.out().contains("inference"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("conv forward") && l.contains("conv2 6x14x14>16 k5 b1")
                && l.contains("166 us") && l.contains("931 us") && l.contains("0.2x")), run.out());
        assertTrue(run.out().contains("chart: " + png), run.out());
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() > 500 && image.getHeight() > 150);
    }

    @Test
    void aMissingResultFileIsAFailure() {
        AppRun run = AppRun.of("bench", "--from-json", tmp.resolve("none.json").toString());
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("none.json"), run::toString);
    }

    /** One tiny real run through JMH, in this JVM (--forks 0) so it takes a second or two. */
    @Test
    void runsJmhAndPrintsTheComparison() throws IOException {
        String kernels = Kernels.vectorModulePresent() ? "scalar,simd" : "scalar";
        Path json = tmp.resolve("results/run.json");
        AppRun run = AppRun.of("bench", "--include", "ConvBenchmark.forward$", "-p", "conv=conv2", "-p", "batch=1",
                "-p", "kernels=" + kernels, "--forks", "0", "--warmup", "0", "--iterations", "3", "--time", "100ms",
                "--json", json.toString());
        assertEquals(0, run.exitCode(), run::toString);
        String row = run.out().lines().filter(l -> l.startsWith("conv forward")).findFirst().orElse("");
        assertTrue(row.contains("conv2 6x14x14>16 k5 b1"), run.out());
        assertTrue(row.matches(".* [mun]?s \\+-\\S+%.*"), "JMH's error beside the time: " + row);
        assertTrue(run.out().contains("+- JMH's error: half-width of the 99.9% confidence interval"), run.out());
        if (Kernels.vectorModulePresent()) {
            assertTrue(row.matches(".*\\d\\.\\dx.*"), "a speed-up: " + row);
        }
        // The JSON file holds the same runs, and redraws the same table.
        List<BenchResult> saved = JmhJson.read(json);
        assertEquals(Kernels.vectorModulePresent() ? 2 : 1, saved.size());
        assertTrue(saved.stream().allMatch(r -> r.param("conv", "").equals("conv2")), saved::toString);
        AppRun redrawn = AppRun.of("bench", "--from-json", json.toString());
        assertEquals(0, redrawn.exitCode(), redrawn::toString);
        assertTrue(redrawn.out().contains(row), redrawn.out());
        assertEquals(run.out().substring(run.out().indexOf("\nbenchmark")).replaceAll("(?s)JMH results: .*", "").strip(),
                redrawn.out().substring(redrawn.out().indexOf("\nbenchmark")).strip(),
                "the same table, errors and footnotes from the file");
        try (var files = Files.list(json.getParent())) {
            assertEquals(List.of(json), files.toList(), "only the result file, no temporary file");
        }
    }

    /** Two algorithms: two tiny runs in this JVM, the scalar reference once, the SIMD algorithms side by side. */
    @Test
    void runsTheConvolutionAlgorithmsSideBySide() throws IOException {
        boolean simd = Kernels.vectorModulePresent();
        Path json = tmp.resolve("algorithms.json");
        AppRun run = AppRun.of("bench", "--include", "ConvBenchmark.forward$", "-p", "conv=conv2", "-p", "batch=1",
                "-p", "kernels=" + (simd ? "scalar,simd" : "scalar"), "-p", "algorithm=im2col,direct", "--forks", "0",
                "--warmup", "0", "--iterations", "1", "--time", "100ms", "--json", json.toString());
        assertEquals(0, run.exitCode(), run::toString);
        List<BenchResult> saved = JmhJson.read(json);
        List<String> measured = saved.stream().map(r -> r.param("kernels", "") + " " + r.param("algorithm", ""))
                .sorted().toList();
        assertEquals(simd ? List.of("scalar im2col", "simd direct", "simd im2col") : List.of("scalar im2col"), measured);
        if (simd) {
            String header = run.out().lines().filter(l -> l.startsWith("benchmark")).findFirst().orElse("");
            assertTrue(header.matches("benchmark\\s+shape\\s+scalar\\s+SIMD im2col\\s+speedup\\s+SIMD direct\\s+speedup"
                    + "\\s+best GFLOP/s\\s+% peak"), run.out());
            String row = run.out().lines().filter(l -> l.startsWith("conv forward")).findFirst().orElse("");
            assertTrue(row.matches("conv forward\\s+conv2 6x14x14>16 k5 b1\\s+\\S+ [mun]?s( \\S+)?"
                    + "(\\s+\\S+ [mun]?s( \\S+)?\\s+\\d+\\.\\dx){2}.*"),
                    run.out());
        }
    }
}
