package dev.lenet5.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.openjdk.jmh.annotations.Param;

/**
 * The JMH runs behind one request of the application's {@code bench} command.
 *
 * <p>JMH measures every combination of parameter values, but the convolution algorithm
 * ({@link ConvBenchmark#ALGORITHM}) means nothing to the scalar kernels, which have one: asking for two algorithms
 * in one run would measure the scalar reference, the slowest benchmark of all, twice. So a request with several
 * algorithms becomes two runs: first everything as asked with the first algorithm (the scalar kernels included,
 * once), then only the convolution benchmarks, on the SIMD kernels, with the other algorithms. A request with one
 * algorithm or none is one run.
 */
public final class BenchPlan {

    /** One JMH run: include patterns (regular expressions found in benchmark names) and parameter values. */
    public record Run(List<String> includes, Map<String, List<String>> params) {

        public Run {
            includes = List.copyOf(includes);
            params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }

    private static final String KERNELS = "kernels";
    private static final String SCALAR = "scalar";

    private BenchPlan() {
    }

    /**
     * The runs for benchmarks matching {@code includes} with {@code params} (parameters not named keep the
     * classes' defaults).
     */
    public static List<Run> plan(List<String> includes, Map<String, List<String>> params) {
        List<String> algorithms = params.get(ConvBenchmark.ALGORITHM);
        if (algorithms == null || algorithms.size() < 2) {
            return List.of(new Run(includes, params));
        }
        List<Run> runs = new ArrayList<>();
        Map<String, List<String>> first = new LinkedHashMap<>(params);
        first.put(ConvBenchmark.ALGORITHM, algorithms.subList(0, 1));
        runs.add(new Run(includes, first));

        List<String> simd = new ArrayList<>();
        for (String k : params.getOrDefault(KERNELS, defaultKernels())) {
            if (!k.equals(SCALAR)) {
                simd.add(k);
            }
        }
        List<String> convMethods = convBenchmarksMatching(includes);
        if (!simd.isEmpty() && !convMethods.isEmpty()) {
            Map<String, List<String>> rest = new LinkedHashMap<>(params);
            rest.put(KERNELS, simd);
            rest.put(ConvBenchmark.ALGORITHM, algorithms.subList(1, algorithms.size()));
            runs.add(new Run(convMethods, rest));
        }
        return runs;
    }

    /** The layer benchmarks' own kernels values, those JMH runs when the request names none. */
    static List<String> defaultKernels() {
        try {
            return Arrays.asList(LayerBenchmark.class.getField(KERNELS).getAnnotation(Param.class).value());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("LayerBenchmark has no kernels parameter", e);
        }
    }

    /** Exact include patterns of the convolution benchmark methods that {@code includes} select. */
    static List<String> convBenchmarksMatching(List<String> includes) {
        List<String> matched = new ArrayList<>();
        for (String method : new String[] {"forward", "backward", "forwardBackward"}) {
            String name = ConvBenchmark.class.getName() + "." + method;
            if (includes.stream().anyMatch(i -> Pattern.compile(i).matcher(name).find())) {
                matched.add("^" + Pattern.quote(name) + "$");
            }
        }
        return matched;
    }
}
