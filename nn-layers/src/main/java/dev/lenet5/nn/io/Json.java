package dev.lenet5.nn.io;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's one JSON code, by hand: a strict RFC 8259 parser into {@code Map} (insertion-ordered,
 * duplicate keys rejected), {@code List}, {@code String}, {@code BigDecimal}, {@code Boolean} and {@link #NULL},
 * a string escaper for the safetensors writer, and a writer of such values ({@link #write}) for the programs'
 * machine-readable output. Nesting is capped, so a hostile header cannot overflow the
 * stack. It reads safetensors headers ({@link #parse}) and JMH's result files ({@link #parseLenient}, which
 * also takes the bare {@code NaN} and {@code Infinity} JMH writes for scores it could not compute).
 */
public final class Json {

    /** Objects and arrays nest at most this deep; a safetensors header needs 3, a JMH result file 5. */
    public static final int MAX_DEPTH = 32;
    /** Sentinel for JSON null (maps cannot hold null values in a way that is distinguishable from absence). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
    private static final String[] NON_FINITE = {"NaN", "Infinity", "-Infinity"};

    private final String text;
    private final boolean lenient;
    private int pos;

    private Json(String text, boolean lenient) {
        this.text = text;
        this.lenient = lenient;
    }

    /** Parses one JSON value that must make up the whole text (whitespace around it allowed). */
    public static Object parse(String text) throws JsonException {
        return parse(text, false);
    }

    /**
     * {@link #parse}, except that the bare words {@code NaN}, {@code Infinity} and {@code -Infinity} are numbers
     * too, read as {@code Double}: what JMH and other writers of JavaScript-style JSON emit for values JSON
     * cannot hold. Everything else is as strict.
     */
    public static Object parseLenient(String text) throws JsonException {
        return parse(text, true);
    }

    private static Object parse(String text, boolean lenient) throws JsonException {
        Json p = new Json(text, lenient);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the JSON value");
        }
        return value;
    }

    private Object value(int depth) throws JsonException {
        if (pos >= text.length()) {
            throw error("unexpected end of the JSON text");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
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
                return NULL;
            default:
                if (lenient && (c == 'N' || c == 'I' || c == '-')) {
                    Double special = nonFinite();
                    if (special != null) {
                        return special;
                    }
                }
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + printable(c) + "'");
        }
    }

    private Map<String, Object> object(int depth) throws JsonException {
        checkDepth(depth);
        pos++;   // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value(depth);
            if (map.put(key, value) != null) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            skipWhitespace();
            char c = next("',' or '}'");
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws JsonException {
        checkDepth(depth);
        pos++;   // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            char c = next("',' or ']'");
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() throws JsonException {
        pos++;   // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next("closing '\"'");
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("unescaped control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next("escape character");
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    char c1 = hexEscape();
                    // A surrogate must come as a high-low pair, or the string is not Unicode (and cannot be written).
                    if (Character.isHighSurrogate(c1) && text.startsWith("\\u", pos)) {
                        pos += 2;
                        char c2 = hexEscape();
                        if (!Character.isLowSurrogate(c2)) {
                            pos -= 6;
                            throw error("unpaired surrogate in a \\u escape");
                        }
                        sb.append(c1).append(c2);
                    } else if (Character.isSurrogate(c1)) {
                        pos -= 6;
                        throw error("unpaired surrogate in a \\u escape");
                    } else {
                        sb.append(c1);
                    }
                }
                default -> {
                    pos--;
                    throw error("invalid escape '\\" + printable(e) + "'");
                }
            }
        }
    }

    /** The four hex digits after a backslash and 'u', as a char. */
    private char hexEscape() throws JsonException {
        if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) {
                throw error("invalid \\u escape");
            }
            code = code * 16 + d;
        }
        pos += 4;
        return (char) code;
    }

    private BigDecimal number() throws JsonException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("invalid number");
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error("invalid number: digits must follow '.'");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("invalid number: digits must follow the exponent");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        try {
            return new BigDecimal(text.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("number out of range");
        }
    }

    /** NaN, Infinity or -Infinity at the current position (consumed), else null. */
    private Double nonFinite() {
        for (String word : NON_FINITE) {
            if (text.startsWith(word, pos)) {
                pos += word.length();
                return Double.valueOf(word);
            }
        }
        return null;
    }

    private void literal(String word) throws JsonException {
        if (!text.startsWith(word, pos)) {
            throw error("invalid literal");
        }
        pos += word.length();
    }

    private void checkDepth(int depth) throws JsonException {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next(String expected) throws JsonException {
        if (pos >= text.length()) {
            throw error("unexpected end of the JSON text, expected " + expected);
        }
        return text.charAt(pos++);
    }

    private void expect(char c) throws JsonException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private JsonException error(String problem) {
        return new JsonException(problem, pos);
    }

    /** A quoted JSON string literal for {@code s}. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * The JSON text of {@code value}: a {@code Map} with string keys (written in its iteration order), a
     * {@code List}, an {@code Object[]}, a {@code float[]}, {@code double[]}, {@code int[]} or {@code long[]}, a
     * {@code CharSequence}, a {@code Number}, a {@code Boolean}, {@code null} or {@link #NULL}; nested as deep as
     * {@link #MAX_DEPTH}. A float or double that is NaN or infinite, which JSON cannot hold, is written as
     * {@code null}. {@code pretty} puts every member and element on a line of its own, indented by two spaces.
     *
     * @throws IllegalArgumentException for a value of another type, a key that is not a string, or deeper nesting
     */
    public static String write(Object value, boolean pretty) {
        StringBuilder out = new StringBuilder();
        writeValue(out, value, pretty, 0);
        return out.toString();
    }

    private static void writeValue(StringBuilder out, Object v, boolean pretty, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("cannot write JSON nested deeper than " + MAX_DEPTH);
        }
        if (v == null || v == NULL) {
            out.append("null");
        } else if (v instanceof CharSequence cs) {
            out.append(quote(cs.toString()));
        } else if (v instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            out.append(Double.isFinite(d) ? (v instanceof Float ? Float.toString((Float) v) : Double.toString(d)) : "null");
        } else if (v instanceof BigDecimal || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof Byte || v instanceof java.math.BigInteger) {
            out.append(v);
        } else if (v instanceof Map<?, ?> map) {
            out.append('{');
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("cannot write a JSON object with the key " + e.getKey()
                            + ": keys must be strings");
                }
                separate(out, i++, pretty, depth + 1);
                out.append(quote(key)).append(pretty ? ": " : ":");
                writeValue(out, e.getValue(), pretty, depth + 1);
            }
            close(out, i, pretty, depth, '}');
        } else if (v instanceof List<?> || v instanceof Object[] || v instanceof float[] || v instanceof double[]
                || v instanceof int[] || v instanceof long[]) {
            List<?> list = asList(v);
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                separate(out, i, pretty, depth + 1);
                writeValue(out, list.get(i), pretty, depth + 1);
            }
            close(out, list.size(), pretty, depth, ']');
        } else {
            throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
        }
    }

    private static List<?> asList(Object v) {
        if (v instanceof List<?> list) {
            return list;
        }
        if (v instanceof Object[] a) {
            return Arrays.asList(a);
        }
        List<Object> out = new ArrayList<>();
        if (v instanceof float[] a) {
            for (float x : a) {
                out.add(x);
            }
        } else if (v instanceof double[] a) {
            for (double x : a) {
                out.add(x);
            }
        } else if (v instanceof int[] a) {
            for (int x : a) {
                out.add(x);
            }
        } else {
            for (long x : (long[]) v) {
                out.add(x);
            }
        }
        return out;
    }

    /** Before the i-th member or element: a comma after the first, and a new line at the depth when pretty. */
    private static void separate(StringBuilder out, int i, boolean pretty, int depth) {
        if (i > 0) {
            out.append(',');
        }
        if (pretty) {
            out.append('\n').append("  ".repeat(depth));
        }
    }

    private static void close(StringBuilder out, int members, boolean pretty, int depth, char bracket) {
        if (pretty && members > 0) {
            out.append('\n').append("  ".repeat(depth));
        }
        out.append(bracket);
    }

    /** Malformed JSON; the message gives the problem and the character position. */
    public static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String problem;
        private final int position;

        JsonException(String problem, int position) {
            super(problem + " at character " + position);
            this.problem = problem;
            this.position = position;
        }

        /** What is wrong, without the position. */
        public String problem() {
            return problem;
        }

        /** The index in the text (in chars, from 0) where the problem was found. */
        public int position() {
            return position;
        }
    }
}
