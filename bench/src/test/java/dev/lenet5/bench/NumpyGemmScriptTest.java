package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/**
 * {@code scripts/numpy_gemm.py} times numpy on the bench's GEMM shapes under their names: its table of shapes must
 * be {@link GemmShape}'s, and its default list the GEMM suite's. Read as text; no Python needed.
 */
class NumpyGemmScriptTest {

    private static final Pattern SHAPE = Pattern.compile(
            "\\(\"(\\w+)\", (True|False), (True|False), ([\\d *]+), ([\\d *]+), ([\\d *]+), ([\\d.]+)\\),");

    private static String script() throws IOException {
        return Files.readString(Path.of("scripts", "numpy_gemm.py"));
    }

    /** {@code 120 * 784} and the like. */
    private static int product(String expression) {
        int p = 1;
        for (String factor : expression.split("\\*")) {
            p *= Integer.parseInt(factor.trim());
        }
        return p;
    }

    @Test
    void theScriptsShapesAreGemmShapes() throws IOException {
        Matcher m = SHAPE.matcher(script());
        List<String> found = new ArrayList<>();
        while (m.find()) {
            GemmShape s = GemmShape.parse(m.group(1));
            String where = m.group(1);
            assertEquals(s.transA(), Boolean.parseBoolean(m.group(2).toLowerCase()), where);
            assertEquals(s.transB(), Boolean.parseBoolean(m.group(3).toLowerCase()), where);
            assertEquals(s.m(), product(m.group(4)), where);
            assertEquals(s.n(), product(m.group(5)), where);
            assertEquals(s.k(), product(m.group(6)), where);
            assertEquals(s.beta(), Float.parseFloat(m.group(7)), where);
            found.add(s.paramName());
        }
        assertEquals(Arrays.stream(GemmShape.values()).map(GemmShape::paramName).toList(), found);
    }

    @Test
    void itsDefaultIsTheGemmSuite() throws IOException, NoSuchFieldException {
        String text = script();
        int start = text.indexOf("SUITE = [");
        assertTrue(start >= 0, "no SUITE list");
        String list = text.substring(start, text.indexOf(']', start));
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\"(\\w+)\"").matcher(list);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertEquals(List.of(GemmBenchmark.class.getField("shape").getAnnotation(Param.class).value()), names);
        assertTrue(BenchSuite.GEMM.params().isEmpty(), "the suite runs the class's shapes");
    }
}
