package dev.lenet5.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one JSON reader in both modes: strict (safetensors headers) and lenient (JMH's bare NaN). */
class JsonTest {

    private static final String DOCUMENT = " {\"s\":\"a\\u00e9\\n\\\"\",\"n\":[-0.5e2,0,12345678901234567890],"
            + "\"b\":[true,false,null],\"o\":{}}\n";

    private static Map<String, Object> expectedDocument() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "aé\n\"");
        m.put("n", List.of(new BigDecimal("-0.5e2"), new BigDecimal("0"), new BigDecimal("12345678901234567890")));
        m.put("b", Arrays.asList(Boolean.TRUE, Boolean.FALSE, Json.NULL));
        m.put("o", Map.of());
        return m;
    }

    @Test
    void bothModesReadStandardJsonAlike() throws Json.JsonException {
        assertEquals(expectedDocument(), Json.parse(DOCUMENT));
        assertEquals(expectedDocument(), Json.parseLenient(DOCUMENT));
        assertSame(Json.NULL, Json.parse("null"));
    }

    @Test
    void strictRejectsNonFiniteWordsWithItsMessage() {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse("[1, NaN]"));
        assertEquals("unexpected character 'N' at character 4", e.getMessage());
        assertEquals("unexpected character 'N'", e.problem());
        assertEquals(4, e.position());
        assertEquals("unexpected character 'I' at character 0", message(() -> Json.parse("Infinity")));
        assertEquals("invalid number at character 1", message(() -> Json.parse("-Infinity")));
    }

    @Test
    void lenientReadsBareNanAndInfinitiesAsDoubles() throws Json.JsonException {
        assertEquals(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, new BigDecimal("-3")),
                Json.parseLenient("[NaN, Infinity, -Infinity, -3]"));
        Map<?, ?> m = (Map<?, ?>) Json.parseLenient("{\"score\":NaN,\"error\":\"NaN\"}");
        assertEquals(Double.NaN, m.get("score"));
        assertEquals("NaN", m.get("error"), "a quoted NaN stays a string");
    }

    @Test
    void lenientIsOtherwiseJustAsStrict() {
        for (String bad : List.of("nan", "Inf", "-Inf", "+1", "NaNa", "[NaN,]", "{\"a\":1,\"a\":2}", "01", "[1] x",
                "\"\\q\"", "'a'")) {
            Json.JsonException strict = assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
            Json.JsonException lenient = assertThrows(Json.JsonException.class, () -> Json.parseLenient(bad), bad);
            if (!bad.contains("NaN")) {   // only there do the modes differ
                assertEquals(strict.getMessage(), lenient.getMessage(), bad);
            }
        }
        assertEquals("unexpected text after the JSON value at character 3", message(() -> Json.parseLenient("NaNa")));
        assertEquals("duplicate key \"a\" at character 7", message(() -> Json.parseLenient("{\"a\":1,\"a\":2}")));
    }

    @Test
    void nestingIsCappedInBothModes() throws Json.JsonException {
        String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(deepest);
        Json.parseLenient(deepest);
        String tooDeep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        String expected = "nesting deeper than " + Json.MAX_DEPTH + " at character " + Json.MAX_DEPTH;
        assertEquals(expected, message(() -> Json.parse(tooDeep)));
        assertEquals(expected, message(() -> Json.parseLenient(tooDeep)));
        String objects = "{\"a\":".repeat(Json.MAX_DEPTH + 1);
        assertEquals("nesting deeper than " + Json.MAX_DEPTH + " at character " + 5 * Json.MAX_DEPTH,
                message(() -> Json.parseLenient(objects)));
    }

    @Test
    void numbersBeyondBigDecimalAreRejected() {
        assertEquals("number out of range at character 1", message(() -> Json.parse("[1e99999999999]")));
        assertEquals("number out of range at character 1", message(() -> Json.parseLenient("[1e99999999999]")));
    }

    @Test
    void quoteEscapesWhatJsonRequires() throws Json.JsonException {
        String s = "a\"b\\c\nd\te\u0001é";
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001é\"", Json.quote(s));
        assertEquals(s, Json.parse(Json.quote(s)));
    }

    @Test
    void writtenJsonReadsBackAsTheSameValues() throws Json.JsonException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("s", "aé\n\"\u0001");
        doc.put("i", 7);
        doc.put("l", -12345678901L);
        doc.put("d", 0.1);
        doc.put("tiny", 1e-300);
        doc.put("f", new float[] {0.99999994f, -2.5f});
        doc.put("ints", new int[] {3, -1});
        doc.put("list", Arrays.asList(true, null, Json.NULL, List.of()));
        doc.put("empty", Map.of());
        Object read = Json.parse(Json.write(doc, false));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "aé\n\"\u0001");
        expected.put("i", new BigDecimal("7"));
        expected.put("l", new BigDecimal("-12345678901"));
        expected.put("d", new BigDecimal("0.1"));
        expected.put("tiny", new BigDecimal("1.0E-300"));
        expected.put("f", List.of(new BigDecimal("0.99999994"), new BigDecimal("-2.5")));
        expected.put("ints", List.of(new BigDecimal("3"), new BigDecimal("-1")));
        expected.put("list", Arrays.asList(true, Json.NULL, Json.NULL, List.of()));
        expected.put("empty", Map.of());
        assertEquals(expected, read);
        assertEquals(Json.parse(Json.write(doc, false)), Json.parse(Json.write(doc, true)));
        // The shortest decimal that reads back as the same float: a float's bits survive the trip.
        assertEquals(0.99999994f, ((BigDecimal) ((List<?>) ((Map<?, ?>) read).get("f")).get(0)).floatValue());
    }

    @Test
    void prettyJsonPutsEachMemberOnALine() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("a", List.of(1, 2));
        doc.put("b", Map.of());
        doc.put("c", List.of());
        assertEquals("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": []\n}", Json.write(doc, true));
        assertEquals("{\"a\":[1,2],\"b\":{},\"c\":[]}", Json.write(doc, false));
    }

    @Test
    void numbersJsonCannotHoldAreWrittenAsNull() {
        assertEquals("[null,null,null,1.5]", Json.write(new double[] {Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, 1.5}, false));
        assertEquals("[null]", Json.write(List.of(Float.NaN), false));
    }

    @Test
    void valuesJsonHasNoWordForAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object(), false));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "x"), false));
        List<Object> deep = new java.util.ArrayList<>();
        List<Object> inner = deep;
        for (int i = 0; i < Json.MAX_DEPTH + 2; i++) {
            List<Object> next = new java.util.ArrayList<>();
            inner.add(next);
            inner = next;
        }
        assertThrows(IllegalArgumentException.class, () -> Json.write(deep, false));
    }

    private interface Parse {
        Object run() throws Json.JsonException;
    }

    private static String message(Parse parse) {
        return assertThrows(Json.JsonException.class, parse::run).getMessage();
    }
}
