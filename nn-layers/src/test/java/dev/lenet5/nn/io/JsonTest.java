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

    private interface Parse {
        Object run() throws Json.JsonException;
    }

    private static String message(Parse parse) {
        return assertThrows(Json.JsonException.class, parse::run).getMessage();
    }
}
