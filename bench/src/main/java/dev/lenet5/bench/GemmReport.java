package dev.lenet5.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Turns JMH results of {@link GemmBenchmark} and {@link PeakFmaBenchmark} into GFLOP/s, the fraction of
 * the FMA peak measured in the same run, and the SIMD/scalar speed-up per shape. Uses the median of the
 * measurement iterations, which shrugs off the odd slow iteration on a shared machine.
 *
 * <p>As a program it runs both benchmarks (JMH command-line options pass through) and prints the table:
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.lenet5.bench.GemmReport -f 1 -wi 3 -i 5 -p shape=square512,conv2_fwd
 * </pre>
 */
public final class GemmReport {

    /** One shape: GFLOP/s per kernel name ({@code scalar}, {@code simd}, ...), in the order seen. */
    public record Row(GemmShape shape, Map<String, Double> gflopsByKernels) {

        /** SIMD over scalar, or NaN if either is missing. */
        public double speedup() {
            Double simd = gflopsByKernels.get("simd");
            Double scalar = gflopsByKernels.get("scalar");
            return simd == null || scalar == null ? Double.NaN : simd / scalar;
        }
    }

    private GemmReport() {
    }

    /** GFLOP/s of a shape run at {@code callsPerSecond}. */
    public static double gflops(GemmShape shape, double callsPerSecond) {
        return callsPerSecond * shape.flops() / 1e9;
    }

    /** {@code 100 * gflops / peak}. */
    public static double percentOfPeak(double gflops, double peakGflops) {
        return 100 * gflops / peakGflops;
    }

    /** The vector FMA peak in GFLOP/s found among the results, or NaN if the peak benchmark did not run. */
    public static double peakGflops(Collection<RunResult> results) {
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("PeakFmaBenchmark.vectorFma")) {
                return median(r) / 1e9;   // one op is one FLOP
            }
        }
        return Double.NaN;
    }

    /** GEMM rows in the order the shapes first appear. */
    public static List<Row> rows(Collection<RunResult> results) {
        Map<GemmShape, Map<String, Double>> byShape = new LinkedHashMap<>();
        for (RunResult r : results) {
            if (!r.getParams().getBenchmark().endsWith("GemmBenchmark.sgemm")) {
                continue;
            }
            GemmShape shape = GemmShape.parse(r.getParams().getParam("shape"));
            byShape.computeIfAbsent(shape, s -> new LinkedHashMap<>())
                    .put(r.getParams().getParam("kernels"), gflops(shape, median(r)));
        }
        List<Row> rows = new ArrayList<>();
        byShape.forEach((shape, g) -> rows.add(new Row(shape, g)));
        return rows;
    }

    private static double median(RunResult r) {
        return r.getPrimaryResult().getStatistics().getPercentile(50);
    }

    /** A plain-text table: one line per shape and kernels, with % of peak and the SIMD/scalar ratio. */
    public static String format(List<Row> rows, double peakGflops) {
        StringBuilder out = new StringBuilder();
        if (!Double.isNaN(peakGflops)) {
            out.append(String.format(Locale.ROOT, "FMA peak (one thread, preferred vector width): %.1f GFLOP/s%n",
                    peakGflops));
        }
        out.append(String.format(Locale.ROOT, "%-16s %-16s %-10s %10s %8s %9s%n",
                "shape", "m x n x k", "kernels", "GFLOP/s", "% peak", "simd/sc."));
        for (Row row : rows) {
            boolean first = true;
            for (Map.Entry<String, Double> e : row.gflopsByKernels().entrySet()) {
                double pct = percentOfPeak(e.getValue(), peakGflops);
                out.append(String.format(Locale.ROOT, "%-16s %-16s %-10s %10.2f %8s %9s%n",
                        first ? row.shape().paramName() : "", first ? row.shape().describe() : "", e.getKey(), e.getValue(),
                        Double.isNaN(pct) ? "-" : String.format(Locale.ROOT, "%.1f%%", pct),
                        first && !Double.isNaN(row.speedup()) ? String.format(Locale.ROOT, "%.1fx", row.speedup()) : ""));
                first = false;
            }
        }
        return out.toString();
    }

    /** Runs the peak and GEMM benchmarks with the given JMH options and prints the table. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        Options options = new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(PeakFmaBenchmark.class.getSimpleName() + ".vectorFma")
                .include(GemmBenchmark.class.getSimpleName() + ".sgemm")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.print(format(rows(results), peakGflops(results)));
    }
}
