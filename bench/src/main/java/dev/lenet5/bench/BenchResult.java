package dev.lenet5.bench;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * One benchmark configuration's outcome, as the reports need it: which benchmark and parameters, the
 * median of its measurement iterations in JMH's unit (the median shrugs off the odd slow iteration on a
 * shared machine), how sure that is, and the allocation per operation when the GC profiler ran. Made from a
 * live JMH run or read back from its JSON file ({@link JmhJson}), so a report can be redrawn without running
 * again.
 *
 * @param benchmark fully qualified method, e.g. {@code dev.lenet5.bench.ConvBenchmark.forward}
 * @param params the {@code @Param} values, in declaration order
 * @param score median score
 * @param unit JMH's score unit, e.g. {@code us/op} or {@code ops/s}
 * @param bytesPerOp {@code gc.alloc.rate.norm}, or NaN without {@code -prof gc}
 * @param jdk the forked JVM's version, e.g. {@code 17.0.16}, or empty if unknown
 * @param spread how far the iterations' scores scatter
 */
public record BenchResult(String benchmark, Map<String, String> params, double score, String unit,
                          double bytesPerOp, String jdk, Spread spread) {

    /**
     * How sure a score is, in the score's unit.
     *
     * @param error      JMH's error: the half-width of the 99.9% confidence interval of the mean (Student's t over
     *                   all iterations of all forks), NaN when JMH has none (fewer than 3 iterations)
     * @param min        the lowest iteration score, NaN if unknown
     * @param max        the highest iteration score, NaN if unknown
     * @param iterations measurement iterations over all forks, 0 if unknown
     */
    public record Spread(double error, double min, double max, long iterations) {

        public static final Spread UNKNOWN = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
    }

    public BenchResult {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A result whose spread is not known. */
    public BenchResult(String benchmark, Map<String, String> params, double score, String unit, double bytesPerOp,
                       String jdk) {
        this(benchmark, params, score, unit, bytesPerOp, jdk, Spread.UNKNOWN);
    }

    /** Converts a JMH result; the median comes from the iteration scores. */
    public static BenchResult of(RunResult r) {
        BenchmarkParams p = r.getParams();
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : p.getParamsKeys()) {
            params.put(key, p.getParam(key));
        }
        Result<?> primary = r.getPrimaryResult();
        double bytes = Double.NaN;
        Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
        if (alloc != null) {
            bytes = alloc.getStatistics().getPercentile(50);
        }
        Statistics stats = primary.getStatistics();
        return new BenchResult(p.getBenchmark(), params, stats.getPercentile(50), primary.getScoreUnit(), bytes,
                p.getJdkVersion(), new Spread(primary.getScoreError(), stats.getMin(), stats.getMax(), stats.getN()));
    }

    /**
     * How uncertain the score is, as a fraction of it: JMH's error where it has one, otherwise half the range of
     * the iterations (two iterations), otherwise NaN (one iteration, or not known).
     */
    public double relativeUncertainty() {
        if (Double.isFinite(spread.error())) {
            return spread.error() / score;
        }
        if (spread.iterations() >= 2 && Double.isFinite(spread.max() - spread.min())) {
            return (spread.max() - spread.min()) / 2 / score;
        }
        return Double.NaN;
    }

    /** Whether {@link #relativeUncertainty} is JMH's error rather than the iterations' range. */
    public boolean uncertaintyIsJmhError() {
        return Double.isFinite(spread.error());
    }

    public static List<BenchResult> of(Collection<RunResult> results) {
        return results.stream().map(BenchResult::of).collect(Collectors.toList());
    }

    /** {@code ConvBenchmark.forward}: class and method without the package. */
    public String simpleName() {
        int method = benchmark.lastIndexOf('.');
        int type = method <= 0 ? -1 : benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    /** The benchmark method's name, e.g. {@code forward}. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** A parameter's value, or {@code fallback} if the benchmark has no such parameter. */
    public String param(String name, String fallback) {
        return params.getOrDefault(name, fallback);
    }

    /**
     * Seconds per operation, whatever the unit: time units per op ({@code us/op}) are scaled, rates
     * ({@code ops/s}) inverted.
     *
     * @throws IllegalArgumentException for a unit that is neither (sample-time histograms, for example)
     */
    public double secondsPerOp() {
        String u = unit.trim();
        int slash = u.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(simpleName() + ": cannot read the score unit '" + unit + "'");
        }
        String top = u.substring(0, slash);
        String bottom = u.substring(slash + 1);
        if (bottom.equals("op")) {
            return score * secondsIn(top);
        }
        if (top.equals("ops")) {
            return secondsIn(bottom) / score;
        }
        throw new IllegalArgumentException(simpleName() + ": cannot read the score unit '" + unit + "'");
    }

    public double opsPerSecond() {
        return 1 / secondsPerOp();
    }

    private String secondsInError(String u) {
        return simpleName() + ": unknown time unit '" + u + "' in '" + unit + "'";
    }

    private double secondsIn(String timeUnit) {
        switch (timeUnit.toLowerCase(Locale.ROOT)) {
            case "s":
                return 1;
            case "ms":
                return 1e-3;
            case "us":
            case "\u00b5s":
                return 1e-6;
            case "ns":
                return 1e-9;
            case "min":
                return 60;
            default:
                throw new IllegalArgumentException(secondsInError(timeUnit));
        }
    }
}
