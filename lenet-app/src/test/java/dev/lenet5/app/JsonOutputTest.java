package dev.lenet5.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.app.train.Trainer;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.mnist.MnistDataset;
import dev.lenet5.nn.io.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json} (one JSON document on stdout, the text on stderr), {@code --quiet} (only the results),
 * {@code run.json}, and {@code predict} and {@code evaluate} without {@code --model} (the bundled model, named).
 */
class JsonOutputTest {

    static final Pattern EVALUATE_RESULT = Pattern.compile("RESULT test_acc=(\\d\\.\\d{4}) test_loss=\\S+ images=300 .*");

    @TempDir
    static Path tmp;
    static ImageSet test;
    static List<Path> images = new ArrayList<>();
    static int[] labels = new int[6];

    @BeforeAll
    static void drawDigits() throws IOException {
        test = MnistDataset.load(Path.of("../data/mnist")).test();
        for (int i = 0; i < labels.length; i++) {
            int index = 2000 + i;
            labels[i] = test.label(index);
            BufferedImage img = PredictTest.redraw(test, index, 4, 20 + 5 * i, 10 + 3 * i);
            Path file = tmp.resolve("digit" + i + ".png");
            ImageIO.write(img, "png", file.toFile());
            images.add(file);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    static double number(Object o) {
        return ((BigDecimal) o).doubleValue();
    }

    static Map<String, Object> parse(String text) throws Json.JsonException {
        return object(Json.parse(text));
    }

    private static String[] predict(String... options) {
        List<String> args = new ArrayList<>(List.of("predict"));
        args.addAll(List.of(options));
        images.forEach(p -> args.add(p.toString()));
        return args.toArray(new String[0]);
    }

    @Test
    void predictJsonIsOneDocumentOnStdoutAndTheTextGoesToStderr() throws Json.JsonException {
        AppRun run = AppRun.of(predict("--json"));
        assertEquals(0, run.exitCode(), run::toString);
        Map<String, Object> doc = parse(run.out());
        Map<String, Object> model = object(doc.get("model"));
        assertEquals(Boolean.TRUE, model.get("bundled"), run::toString);
        assertEquals(Json.NULL, model.get("file"));
        assertEquals("best", object(model.get("metadata")).get("recipe"));
        List<Object> predictions = list(doc.get("predictions"));
        assertEquals(images.size(), predictions.size());
        int right = 0;
        for (int i = 0; i < images.size(); i++) {
            Map<String, Object> p = object(predictions.get(i));
            assertEquals(images.get(i).toString(), p.get("image"));
            int digit = ((BigDecimal) p.get("digit")).intValueExact();
            List<Object> probs = list(p.get("probabilities"));
            assertEquals(10, probs.size());
            double sum = 0;
            for (Object v : probs) {
                sum += number(v);
            }
            assertEquals(1.0, sum, 1e-5);
            assertEquals(number(probs.get(digit)), number(p.get("confidence")));
            right += digit == labels[i] ? 1 : 0;
            assertTrue(run.err().contains(images.get(i) + ": " + digit + " (p="), run::toString);
        }
        assertTrue(right >= images.size() - 1, right + " right:\n" + run);
        assertTrue(run.err().startsWith("model: the bundled model (train --recipe best --seed 1, 30 epochs, test accuracy"),
                run::toString);
    }

    @Test
    void predictQuietPrintsOnlyThePredictions() throws Json.JsonException {
        AppRun quiet = AppRun.of(predict("--quiet"));
        assertEquals(0, quiet.exitCode(), quiet::toString);
        assertEquals("", quiet.err());
        String[] lines = quiet.out().strip().split("\\R");
        assertEquals(images.size(), lines.length, quiet::toString);
        for (int i = 0; i < lines.length; i++) {
            assertTrue(lines[i].startsWith(images.get(i) + ": "), lines[i]);
        }
        AppRun both = AppRun.of(predict("--json", "-q"));
        assertEquals(0, both.exitCode(), both::toString);
        assertEquals("", both.err());
        assertEquals(images.size(), list(parse(both.out()).get("predictions")).size());
        AppRun plain = AppRun.of(predict());
        assertEquals(quiet.out(), plain.out(), "without --quiet the note goes to stderr, stdout stays the same");
        assertTrue(plain.err().startsWith("model: the bundled model"), plain::toString);
    }

    @Test
    void evaluateWithoutAModelUsesTheBundledOneAndSaysSo() throws Json.JsonException {
        AppRun run = AppRun.of("evaluate", "--test-images", "300");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("model: the bundled model (train --recipe best --seed 1"), run::toString);
        Matcher m = EVALUATE_RESULT.matcher(run.lastLine());
        assertTrue(m.matches(), run.lastLine());
        assertTrue(Double.parseDouble(m.group(1)) >= 0.98, run.lastLine());

        AppRun json = AppRun.of("evaluate", "--test-images", "300", "--json");
        assertEquals(0, json.exitCode(), json::toString);
        Map<String, Object> doc = parse(json.out());
        Map<String, Object> t = object(doc.get("test"));
        assertEquals(300, ((BigDecimal) t.get("images")).intValueExact());
        assertEquals(Double.parseDouble(m.group(1)), number(t.get("accuracy")), 5e-5);
        long total = 0;
        long diagonal = 0;
        List<Object> rows = list(t.get("confusion"));
        for (int label = 0; label < 10; label++) {
            List<Object> row = list(rows.get(label));
            for (int predicted = 0; predicted < 10; predicted++) {
                long c = ((BigDecimal) row.get(predicted)).longValueExact();
                total += c;
                diagonal += label == predicted ? c : 0;
            }
        }
        assertEquals(300, total);
        assertEquals(300 - ((BigDecimal) t.get("mistakes")).intValueExact(), diagonal);
        assertEquals(TrainEndToEndTest.expectedKernels(), object(doc.get("runtime")).get("kernels"));
        assertTrue(json.err().contains("RESULT test_acc="), json::toString);

        AppRun quiet = AppRun.of("evaluate", "--test-images", "300", "--quiet");
        assertEquals(0, quiet.exitCode(), quiet::toString);
        assertEquals(run.lastLine().replaceAll(" eval_s=.*", ""), quiet.out().strip().replaceAll(" eval_s=.*", ""));
        assertEquals("", quiet.err());
    }

    @Test
    void trainWritesRunJsonAndPrintsItWithJson() throws Exception {
        Path dir = tmp.resolve("run");
        AppRun run = AppRun.of("train", "--json", "--quiet", "--epochs", "2", "--train-images", "600", "--val-images",
                "100", "--test-images", "200", "--batch-size", "50", "--threads", "2", "--out", dir.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.err());
        Map<String, Object> doc = parse(run.out());
        assertEquals(Json.parse(Files.readString(dir.resolve(Trainer.RUN_FILE))), doc, "stdout is run.json's document");
        assertEquals("train", doc.get("command"));
        assertEquals("seed", doc.get("recipe"));
        assertEquals(2, ((BigDecimal) object(doc.get("settings")).get("epochs")).intValueExact());
        List<Object> history = list(doc.get("history"));
        assertEquals(2, history.size());
        assertEquals(Files.readAllLines(dir.resolve(Trainer.METRICS_FILE)).size() - 1, history.size());
        Map<String, Object> t = object(doc.get("test"));
        assertEquals(200, ((BigDecimal) t.get("images")).intValueExact());
        assertTrue(number(t.get("accuracy")) > 0.5, doc::toString);
        Map<String, Object> runtime = object(doc.get("runtime"));
        assertEquals(TrainEndToEndTest.expectedKernels(), runtime.get("kernels"));
        assertEquals(2, ((BigDecimal) runtime.get("threads")).intValueExact());
        Map<String, Object> timings = object(doc.get("timings"));
        assertTrue(number(timings.get("wall_seconds")) >= number(timings.get("train_seconds")), timings::toString);
        assertEquals(Version.projectVersion(), object(doc.get("program")).get("version"));

        Path plainDir = tmp.resolve("plain");
        AppRun plain = AppRun.of("train", "--epochs", "1", "--train-images", "300", "--val-images", "50",
                "--test-images", "50", "--batch-size", "50", "--out", plainDir.toString());
        assertEquals(0, plain.exitCode(), plain::toString);
        assertTrue(plain.lastLine().startsWith("RESULT "), plain::toString);
        assertFalse(plain.out().contains("{"), plain::toString);
        Map<String, Object> written = parse(Files.readString(plainDir.resolve(Trainer.RUN_FILE)));
        assertEquals(Boolean.FALSE, written.get("resumed"));
        assertEquals(plainDir.resolve(Trainer.MODEL_FILE).toAbsolutePath().toString(), written.get("model"));
    }
}
