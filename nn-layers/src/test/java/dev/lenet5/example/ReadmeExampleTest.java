package dev.lenet5.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.nn.MnistSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example is this module's {@link ReadmeExample}, and it runs. */
class ReadmeExampleTest {

    static final Path README = Path.of("..", "README.md");
    static final Path SOURCE = Path.of("src", "test", "java", "dev", "lenet5", "example", "ReadmeExample.java");

    @TempDir
    Path tmp;

    @Test
    void theReadmeShowsTheCodeThisTestRuns() throws IOException {
        String readme = Files.readString(README);
        int section = readme.indexOf("\n## Use it from Java");
        assertTrue(section >= 0, "the README has no 'Use it from Java' section");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        String source = Files.readString(SOURCE);
        String region = source.substring(source.indexOf("    // README begin\n") + "    // README begin\n".length(),
                source.indexOf("    // README end"));
        assertTrue(block.contains(region.replaceAll("(?m)^    ", "")), "the README's example differs from "
                + SOURCE + ":\n" + block);
        for (String line : block.split("\n")) {
            if (line.startsWith("import ")) {
                assertTrue(source.contains(line + "\n"), "the example does not compile with " + line);
            }
        }
    }

    @Test
    void theExampleRuns() throws IOException {
        MnistSample test = MnistSample.firstTest(3);
        Path png = tmp.resolve("digit.png");
        ImageIO.write(DigitClassifierTest.redraw(test, 0, 5, 30, 20), "png", png.toFile());
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            ReadmeExample.classify(png, List.of(test.digit28(1), test.digit28(2)));
        } finally {
            System.setOut(stdout);
        }
        String[] lines = printed.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals(4, lines.length, printed::toString);
        assertTrue(lines[0].startsWith(png + ": " + test.labels[0] + " (p="), lines[0]);
        assertTrue(lines[1].startsWith(test.labels[1] + " ["), lines[1]);
        assertTrue(lines[2].startsWith(test.labels[2] + " ["), lines[2]);
        assertTrue(lines[3].startsWith("6 maps, model 0.99"), lines[3]);
    }
}
