package dev.lenet5.app;

import dev.lenet5.bench.BenchPlan;
import dev.lenet5.bench.BenchResult;
import dev.lenet5.bench.BenchSuite;
import dev.lenet5.bench.ComparisonTable;
import dev.lenet5.bench.JmhJson;
import dev.lenet5.bench.MachineInfo;
import dev.lenet5.bench.SpeedupChart;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: runs the bench module's JMH benchmarks in forked JVMs (which add the Vector API module
 * themselves) and prints the scalar vs SIMD table with one header line saying where the numbers came from.
 * Short runs by default (about four minutes for the default suite); {@code --full} for numbers to publish.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Measure the scalar and SIMD kernels with JMH and print a comparison table: benchmark, shape,"
                + " scalar and SIMD time (images/s for the whole network) with JMH's error, speed-up, SIMD GFLOP/s"
                + " and %% of the FMA peak measured in the same run. A number whose error exceeds 10%% of it is"
                + " flagged with '!'.",
            "Suites: conv (default: conv1/conv2 forward and backward at batch 120 and 1, SIMD by im2col + GEMM and"
                + " directly; the conv2 GEMM; the peak), layers (every layer and phase), gemm, training (LeNet-5"
                + " training step and inference, 1 and 2 threads), all."},
        footer = {"", "Examples:",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar bench",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar bench --full --json bench.json --plot bench.png",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar bench --suite training --gc",
            "  java -jar lenet-app.jar bench --include 'ConvBenchmark.forward$' -p conv=conv2 -p batch=120",
            "  java -jar lenet-app.jar bench --from-json bench.json --plot docs/bench-scalar-vs-simd.png"})
final class BenchCommand implements Callable<Integer> {

    /** Short default: one fork, 3 x 1 s warm-up, 3 x 1 s measurement. */
    static final int SHORT_FORKS = 1;
    static final int SHORT_WARMUP = 3;
    static final int SHORT_ITERATIONS = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--suite", defaultValue = "conv", paramLabel = "NAME",
            description = "conv, layers, gemm, training or all (default: ${DEFAULT-VALUE})")
    String suite;

    @Option(names = "--include", paramLabel = "REGEX",
            description = "run the benchmarks whose name matches REGEX instead of the suite's (repeatable),"
                    + " e.g. 'ConvBenchmark.backward$'")
    List<String> includes = new ArrayList<>();

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=V1,V2",
            description = "benchmark parameter values replacing the suite's or the class's (repeatable), e.g."
                    + " -p conv=conv2 -p batch=120 -p kernels=scalar,simd-256 -p threads=2 -p algorithm=im2col,direct"
                    + " (the SIMD convolution algorithms side by side; the scalar reference has one and runs once)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--full", description = "long run for numbers to publish, with the benchmark classes' own settings:"
            + " 3 forks, 5 x 1 s warm-up (10 for the whole network), 5 x 1 s measurement (default: 1 fork, 3 x 1 s,"
            + " 3 x 1 s)")
    boolean full;

    @Option(names = "--forks", paramLabel = "N", description = "forked JVMs per benchmark (0 runs in this JVM: quick"
            + " checks only)")
    Integer forks;

    @Option(names = "--warmup", paramLabel = "N", description = "warm-up iterations per fork")
    Integer warmup;

    @Option(names = "--iterations", paramLabel = "N", description = "measurement iterations per fork")
    Integer iterations;

    @Option(names = "--time", paramLabel = "TIME", description = "length of each iteration, e.g. 1s or 200ms"
            + " (default: 1s)")
    String time;

    @Option(names = "--gc", description = "add JMH's GC profiler: the table shows the bytes allocated per operation"
            + " on the SIMD path (0 is the goal)")
    boolean gc;

    @Option(names = "--json", paramLabel = "FILE", description = "also write JMH's JSON result file")
    Path json;

    @Option(names = "--plot", paramLabel = "FILE", description = "draw the SIMD/scalar speed-ups as a PNG bar chart")
    Path plot;

    @Option(names = "--from-json", paramLabel = "FILE", description = "run nothing: print the table (and --plot) from"
            + " the JSON file of an earlier run")
    Path fromJson;

    @Option(names = {"-v", "--verbose"}, description = "print stack traces of errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<BenchResult> results;
        String jdk;
        if (fromJson != null) {
            if (json != null) {
                throw new ParameterException(spec.commandLine(), "--from-json reads an earlier run; --json writes a new"
                        + " one: give one of them");
            }
            FileChecks.readableFile(fromJson, "JSON file");
            checkWritable(plot, "--plot");
            results = JmhJson.read(fromJson);
            jdk = results.stream().map(BenchResult::jdk).filter(v -> !v.isEmpty()).findFirst().orElse("unknown")
                    + " (from " + fromJson + ")";
        } else {
            List<Options> runs = jmhRuns();
            // Checked before the benchmarks run for minutes, not when their results are written.
            checkWritable(json, "--json");
            checkWritable(plot, "--plot");
            Collection<RunResult> run = new ArrayList<>();
            for (Options options : runs) {
                try {
                    run.addAll(new Runner(options).run());
                } catch (RunnerException e) {
                    throw new IllegalStateException("the benchmark run failed (JMH's output above says which benchmark"
                            + " and why): " + e.getMessage(), e);
                }
            }
            if (json != null) {
                JmhJson.write(json, run);
            }
            results = BenchResult.of(run);
            jdk = MachineInfo.jdk();
        }
        String header = fromJson != null ? MachineInfo.headerForSavedRun(jdk) : MachineInfo.header(jdk);
        List<ComparisonTable.Row> rows = ComparisonTable.rows(results);
        out.println();
        out.println(header);
        out.print(ComparisonTable.format(rows, ComparisonTable.peakGflops(results)));
        String peers = ComparisonTable.formatPeers(rows);
        if (!peers.isEmpty()) {
            out.println();
            out.print(peers);
        }
        String footnotes = ComparisonTable.footnotes(rows);
        if (!footnotes.isEmpty()) {
            out.println();
            out.print(footnotes);
        }
        if (json != null) {
            out.println("JMH results: " + json);
        }
        if (plot != null) {
            SpeedupChart.write(plot, rows, header);
            out.println("chart: " + plot);
        }
        out.flush();
        return 0;
    }

    /**
     * The JMH runs these command-line options ask for, usually one ({@link BenchPlan} says when two); checks the
     * options first (usage errors name the option).
     */
    List<Options> jmhRuns() {
        BenchSuite chosen = Errors.usage(spec, () -> BenchSuite.parse(suite));
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (includes.isEmpty()) {
            values.putAll(chosen.params());
        }
        for (Map.Entry<String, String> p : params.entrySet()) {
            String[] given = p.getValue().split(",", -1);
            for (String v : given) {
                if (v.isBlank()) {
                    throw new ParameterException(spec.commandLine(), "-p " + p.getKey() + "=" + p.getValue()
                            + ": empty value; give NAME=V1,V2");
                }
            }
            values.put(p.getKey(), List.of(given));
        }
        List<Options> runs = new ArrayList<>();
        for (BenchPlan.Run run : BenchPlan.plan(includes.isEmpty() ? chosen.includes() : includes, values)) {
            ChainedOptionsBuilder b = settings();
            run.includes().forEach(b::include);
            run.params().forEach((name, v) -> b.param(name, v.toArray(new String[0])));
            runs.add(b.build());
        }
        return runs;
    }

    /** What every run of the command shares: forks, iterations, their length, profilers. */
    private ChainedOptionsBuilder settings() {
        ChainedOptionsBuilder b = new OptionsBuilder().shouldFailOnError(true);
        // --full leaves what is not given explicitly to the classes' annotations.
        if (forks != null || !full) {
            b.forks(check("--forks", forks != null ? forks : SHORT_FORKS, 0));
        }
        if (warmup != null || !full) {
            b.warmupIterations(check("--warmup", warmup != null ? warmup : SHORT_WARMUP, 0));
        }
        if (iterations != null || !full) {
            b.measurementIterations(check("--iterations", iterations != null ? iterations : SHORT_ITERATIONS, 1));
        }
        if (time != null || !full) {
            TimeValue t = Errors.usage(spec, () -> iterationTime(time));
            b.warmupTime(t).measurementTime(t);
        }
        if (gc) {
            b.addProfiler(GCProfiler.class);
        }
        // No result file for JMH: it would write --json in place; the command writes it atomically after the runs.
        return b;
    }

    private static void checkWritable(Path file, String option) throws java.io.IOException {
        if (file != null) {
            FileChecks.writableFile(file, option);
        }
    }

    private int check(String option, int value, int min) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    /** {@code 1s}, {@code 200ms}, {@code 2 s}; default 1 s. */
    static TimeValue iterationTime(String text) {
        if (text == null) {
            return TimeValue.seconds(1);
        }
        TimeValue t;
        try {
            t = TimeValue.fromString(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--time must be a duration such as 1s or 200ms, got '" + text + "'");
        }
        if (t.getTime() <= 0) {
            throw new IllegalArgumentException("--time must be positive, got '" + text + "'");
        }
        return t;
    }
}
