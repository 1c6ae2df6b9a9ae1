package dev.lenet5.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lenet5.nn.io.AtomicFiles;
import dev.lenet5.nn.io.Json;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;

/**
 * Writes JMH's JSON result file ({@code --json} of the app's bench command) and reads the results back from
 * it, so tables and charts can be redrawn from a saved run. JMH has a writer for this format but no reader:
 * the project's JSON reader parses it ({@link Json#parseLenient}, as JMH writes bare {@code NaN}) and this
 * class maps JMH's fields. Reads the median ({@code scorePercentiles."50.0"}) as
 * {@link BenchResult#of(org.openjdk.jmh.results.RunResult)} does, and how sure it is: JMH's
 * {@code scoreError} and the iterations' scores ({@code rawData}, one list per fork). JMH's file holds all of
 * it, so the table is redrawn from a file exactly as it was printed after the run.
 */
public final class JmhJson {

    private JmhJson() {
    }

    /** @throws IOException if the file cannot be read or is not a JMH JSON result file (the message says where) */
    public static List<BenchResult> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Writes the results as JMH's {@code -rf json} would, but atomically (JMH writes its file in place). */
    public static void write(Path file, Collection<RunResult> results) throws IOException {
        AtomicFiles.write(file, out -> {
            PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8);
            ResultFormatFactory.getInstance(ResultFormatType.JSON, print).writeOut(results);
            print.flush();
            if (print.checkError()) {
                throw new IOException("cannot write the benchmark results to " + file);
            }
        });
    }

    /** @throws IOException if {@code json} is not a JMH result array; the message names {@code source} */
    public static List<BenchResult> parse(String json, String source) throws IOException {
        Object root;
        try {
            root = Json.parseLenient(json);
        } catch (Json.JsonException e) {
            throw new IOException(source + ": invalid JSON at " + lineAndColumn(json, e.position()) + ": " + e.problem(), e);
        }
        if (!(root instanceof List)) {
            throw new IOException(source + ": not a JMH result file (expected a JSON array of results)");
        }
        List<BenchResult> results = new ArrayList<>();
        int index = 0;
        for (Object item : (List<?>) root) {
            results.add(result(item, source + ": result " + index++));
        }
        return results;
    }

    /** "line L, column C" of a character position, both counted from 1, as editors show them. */
    private static String lineAndColumn(String text, int position) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(position, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return "line " + line + ", column " + column;
    }

    private static BenchResult result(Object item, String where) throws IOException {
        Map<?, ?> r = object(item, where);
        String benchmark = string(r.get("benchmark"), where + " benchmark");
        Map<String, String> params = new LinkedHashMap<>();
        Object p = r.get("params");
        if (present(p)) {
            for (Map.Entry<?, ?> e : object(p, where + " params").entrySet()) {
                params.put((String) e.getKey(), String.valueOf(e.getValue()));
            }
        }
        Map<?, ?> primary = object(r.get("primaryMetric"), where + " primaryMetric");
        double score = median(primary, where + " primaryMetric");
        BenchResult.Spread spread = spread(primary, where + " primaryMetric");
        String unit = string(primary.get("scoreUnit"), where + " primaryMetric.scoreUnit");
        double bytes = Double.NaN;
        Object secondary = r.get("secondaryMetrics");
        if (present(secondary)) {
            Object alloc = object(secondary, where + " secondaryMetrics").get("gc.alloc.rate.norm");
            if (present(alloc)) {
                bytes = median(object(alloc, where + " gc.alloc.rate.norm"), where + " gc.alloc.rate.norm");
            }
        }
        Object jdk = r.get("jdkVersion");
        return new BenchResult(benchmark, params, score, unit, bytes, jdk instanceof String ? (String) jdk : "", spread);
    }

    /** JMH's error and the range of the iterations' scores ({@code rawData}: per fork, per iteration). */
    private static BenchResult.Spread spread(Map<?, ?> metric, String where) throws IOException {
        Object e = metric.get("scoreError");
        double error = present(e) ? number(e, where + ".scoreError") : Double.NaN;
        double min = Double.NaN;
        double max = Double.NaN;
        long iterations = 0;
        Object raw = metric.get("rawData");
        if (present(raw)) {
            int fork = 0;
            for (Object iterationsOfFork : list(raw, where + ".rawData")) {
                for (Object value : list(iterationsOfFork, where + ".rawData[" + fork + "]")) {
                    double v = number(value, where + ".rawData[" + fork + "]");
                    min = iterations == 0 ? v : Math.min(min, v);
                    max = iterations == 0 ? v : Math.max(max, v);
                    iterations++;
                }
                fork++;
            }
        }
        return new BenchResult.Spread(error, min, max, iterations);
    }

    private static double median(Map<?, ?> metric, String where) throws IOException {
        Object percentiles = metric.get("scorePercentiles");
        if (present(percentiles)) {
            Object m = object(percentiles, where + ".scorePercentiles").get("50.0");
            if (present(m)) {
                return number(m, where + ".scorePercentiles.50.0");
            }
        }
        return number(metric.get("score"), where + ".score");
    }

    /** Whether a field is there: absent and JSON null both mean no value. */
    private static boolean present(Object o) {
        return o != null && o != Json.NULL;
    }

    private static Map<?, ?> object(Object o, String where) throws IOException {
        if (o instanceof Map) {
            return (Map<?, ?>) o;
        }
        throw new IOException(where + ": expected a JSON object, found " + describe(o));
    }

    private static List<?> list(Object o, String where) throws IOException {
        if (o instanceof List) {
            return (List<?>) o;
        }
        throw new IOException(where + ": expected a JSON array, found " + describe(o));
    }

    private static String string(Object o, String where) throws IOException {
        if (o instanceof String) {
            return (String) o;
        }
        throw new IOException(where + ": expected a string, found " + describe(o));
    }

    /** Numbers, bare or quoted NaN / Infinity included: JMH writes both for values JSON cannot hold. */
    private static double number(Object o, String where) throws IOException {
        if (o instanceof BigDecimal) {
            return ((BigDecimal) o).doubleValue();
        }
        if (o instanceof Double) {
            return (Double) o;
        }
        if (o instanceof String) {
            try {
                return Double.parseDouble((String) o);
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw new IOException(where + ": expected a number, found " + describe(o));
    }

    private static String describe(Object o) {
        return !present(o) ? "nothing" : o instanceof Map ? "an object" : o instanceof List ? "an array" : "'" + o + "'";
    }
}
