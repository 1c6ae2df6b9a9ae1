package dev.lenet5.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lenet5.nn.io.AtomicFiles;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;

/**
 * Writes JMH's JSON result file ({@code --json} of the app's bench command) and reads the results back from
 * it, so tables and charts can be redrawn from a saved run. JMH has a writer for this format but
 * no reader; this is a small strict JSON parser plus the mapping of JMH's fields. Reads the median
 * ({@code scorePercentiles."50.0"}) as {@link BenchResult#of(org.openjdk.jmh.results.RunResult)} does.
 */
public final class JmhJson {

    private final String text;
    private final String source;
    private int pos;

    private JmhJson(String text, String source) {
        this.text = text;
        this.source = source;
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
        JmhJson p = new JmhJson(json, source);
        p.skipWhitespace();
        Object root = p.value(0);
        p.skipWhitespace();
        if (p.pos != json.length()) {
            throw p.error("unexpected text after the JSON value");
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

    private static BenchResult result(Object item, String where) throws IOException {
        Map<?, ?> r = object(item, where);
        String benchmark = string(r.get("benchmark"), where + " benchmark");
        Map<String, String> params = new LinkedHashMap<>();
        Object p = r.get("params");
        if (p != null) {
            for (Map.Entry<?, ?> e : object(p, where + " params").entrySet()) {
                params.put((String) e.getKey(), String.valueOf(e.getValue()));
            }
        }
        Map<?, ?> primary = object(r.get("primaryMetric"), where + " primaryMetric");
        double score = median(primary, where + " primaryMetric");
        String unit = string(primary.get("scoreUnit"), where + " primaryMetric.scoreUnit");
        double bytes = Double.NaN;
        Object secondary = r.get("secondaryMetrics");
        if (secondary != null) {
            Object alloc = object(secondary, where + " secondaryMetrics").get("gc.alloc.rate.norm");
            if (alloc != null) {
                bytes = median(object(alloc, where + " gc.alloc.rate.norm"), where + " gc.alloc.rate.norm");
            }
        }
        Object jdk = r.get("jdkVersion");
        return new BenchResult(benchmark, params, score, unit, bytes, jdk instanceof String ? (String) jdk : "");
    }

    private static double median(Map<?, ?> metric, String where) throws IOException {
        Object percentiles = metric.get("scorePercentiles");
        if (percentiles != null) {
            Object m = object(percentiles, where + ".scorePercentiles").get("50.0");
            if (m != null) {
                return number(m, where + ".scorePercentiles.50.0");
            }
        }
        return number(metric.get("score"), where + ".score");
    }

    private static Map<?, ?> object(Object o, String where) throws IOException {
        if (o instanceof Map) {
            return (Map<?, ?>) o;
        }
        throw new IOException(where + ": expected a JSON object, found " + describe(o));
    }

    private static String string(Object o, String where) throws IOException {
        if (o instanceof String) {
            return (String) o;
        }
        throw new IOException(where + ": expected a string, found " + describe(o));
    }

    /** Numbers, and the strings "NaN" / "Infinity" JMH writes for values JSON cannot hold. */
    private static double number(Object o, String where) throws IOException {
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
        return o == null ? "nothing" : o instanceof Map ? "an object" : o instanceof List ? "an array" : "'" + o + "'";
    }

    // --- the JSON grammar (RFC 8259), numbers as double ---

    private Object value(int depth) throws IOException {
        if (depth > 64) {
            throw error("nesting deeper than 64 levels");
        }
        if (pos >= text.length()) {
            throw error("unexpected end of the text");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9') || c == 'N' || c == 'I') {
                    return number();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private Map<String, Object> object(int depth) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;   // {
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a quoted key");
            }
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            map.put(key, value(depth + 1));
            skipWhitespace();
            char c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw error("expected ',' or '}' in an object");
            }
        }
    }

    private List<Object> array(int depth) throws IOException {
        List<Object> list = new ArrayList<>();
        pos++;   // [
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth + 1));
            skipWhitespace();
            char c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw error("expected ',' or ']' in an array");
            }
        }
    }

    private String string() throws IOException {
        pos++;   // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                char e = next();
                switch (e) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u':
                        if (pos + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                        break;
                    default:
                        throw error("bad escape '\\" + e + "'");
                }
            } else if (c < 0x20) {
                throw error("control character in a string");
            } else {
                sb.append(c);
            }
        }
    }

    /** JSON numbers, plus bare NaN / Infinity / -Infinity, which some writers emit. */
    private Double number() throws IOException {
        int start = pos;
        for (String special : new String[]{"NaN", "Infinity", "-Infinity"}) {
            if (text.startsWith(special, pos)) {
                pos += special.length();
                return Double.parseDouble(special);
            }
        }
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        try {
            return Double.parseDouble(text.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("bad number");
        }
    }

    private void literal(String word) throws IOException {
        if (!text.startsWith(word, pos)) {
            throw error("expected '" + word + "'");
        }
        pos += word.length();
    }

    private void expect(char c) throws IOException {
        if (next() != c) {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private char peek() throws IOException {
        if (pos >= text.length()) {
            throw error("unexpected end of the text");
        }
        return text.charAt(pos);
    }

    private char next() throws IOException {
        char c = peek();
        pos++;
        return c;
    }

    private void skipWhitespace() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private IOException error(String message) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new IOException(source + ": invalid JSON at line " + line + ", column " + column + ": " + message);
    }
}
