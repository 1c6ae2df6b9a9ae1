package dev.lenet5.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lenet5.nn.MnistSample;
import dev.lenet5.nn.Tensor;
import dev.lenet5.nn.classify.BundledModel;
import dev.lenet5.nn.classify.DigitClassifier;
import dev.lenet5.nn.classify.DigitImageException;
import dev.lenet5.nn.classify.Explanation;
import dev.lenet5.nn.classify.Prediction;
import dev.lenet5.nn.io.SafeTensors;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier through its public surface only (this package is not the classifier's), on MNIST's real test
 * digits and the model the jar carries, checked against a double-precision forward pass by hand over the same
 * model file's tensors.
 */
class DigitClassifierTest {

    static final int DIGITS = 500;

    @TempDir
    static Path tmp;
    static MnistSample test;
    static DigitClassifier classifier;
    static Map<String, Tensor> weights;

    @BeforeAll
    static void load() throws IOException {
        test = MnistSample.firstTest(DIGITS);
        classifier = DigitClassifier.bundled();
        // The bundled file's own tensors, read without the classifier, for the forward pass by hand.
        Path copy = tmp.resolve("bundled.safetensors");
        try (InputStream in = DigitClassifierTest.class.getResourceAsStream(BundledModel.RESOURCE)) {
            assertTrue(in != null, "the jar carries no " + BundledModel.RESOURCE);
            Files.copy(in, copy);
        }
        weights = SafeTensors.read(copy).tensors();
    }

    @Test
    void theBundledModelClassifiesMnistTestDigitsAsTheForwardPassByHand() {
        int right = 0;
        for (int i = 0; i < DIGITS; i++) {
            Prediction p = classifier.classify(test.digit28(i));
            ByHand expected = new ByHand(weights, Arrays.copyOfRange(test.images, i * 1024, (i + 1) * 1024));
            assertEquals(expected.digit, p.digit(), "digit " + i);
            float[] probs = p.probabilities();
            double sum = 0;
            for (int k = 0; k < 10; k++) {
                assertEquals(expected.probabilities[k], probs[k], 1e-4, "digit " + i + ", probability of " + k);
                sum += probs[k];
            }
            assertEquals(1.0, sum, 1e-5);
            assertEquals(probs[p.digit()], p.confidence());
            right += p.digit() == test.labels[i] ? 1 : 0;
        }
        // The model reached 99.46% on all 10,000 (its metadata says); these 500 must not fall far below it.
        assertTrue(right >= 0.99 * DIGITS, right + " of " + DIGITS + " right");
    }

    @Test
    void theMetadataTellsTheModelsProvenance() {
        Map<String, String> m = classifier.metadata();
        assertEquals("best", m.get("recipe"), m::toString);
        assertEquals("1", m.get("seed"), m::toString);
        assertEquals("30", m.get("epochs"), m::toString);
        assertTrue(Double.parseDouble(m.get("test_accuracy")) > 0.99, m::toString);
        assertTrue(m.get("program").startsWith("lenet5-java "), m::toString);
        assertTrue(m.get("input").contains("no mean/std normalisation"), m::toString);
        assertThrows(UnsupportedOperationException.class, () -> m.put("seed", "2"));
    }

    @Test
    void aBatchGivesTheSingleDigitsPredictions() {
        // One more than a forward pass takes (500): the last digit goes in a second pass.
        List<float[]> digits = new ArrayList<>();
        for (int k = 0; k < DIGITS + 1; k++) {
            int i = k % DIGITS;
            digits.add(k % 2 == 0 ? test.digit28(i) : Arrays.copyOfRange(test.images, i * 1024, (i + 1) * 1024));
        }
        List<Prediction> all = classifier.classifyAll(digits);
        assertEquals(digits.size(), all.size());
        for (int i = 0; i < digits.size(); i++) {
            Prediction one = classifier.classify(digits.get(i));
            assertEquals(one.digit(), all.get(i).digit(), "digit " + i);
            assertArrayEquals(one.probabilities(), all.get(i).probabilities(), 1e-5f, "digit " + i);
        }
        assertEquals(List.of(), classifier.classifyAll(List.of()));
    }

    @Test
    void a28x28DigitAndItsPadded32x32AreTheSameInput() {
        for (int i = 0; i < 50; i++) {
            float[] small = test.digit28(i);
            float[] padded = new float[32 * 32];
            for (int y = 0; y < 28; y++) {
                System.arraycopy(small, y * 28, padded, (y + 2) * 32 + 2, 28);
            }
            assertEquals(classifier.classify(small), classifier.classify(padded), "digit " + i);
            assertEquals(classifier.explain(small), classifier.explain(padded), "digit " + i);
        }
    }

    @Test
    void concurrentCallersGetTheAnswersOfOneCaller() throws Exception {
        int digits = 120;
        List<Prediction> alone = new ArrayList<>();
        List<Explanation> explained = new ArrayList<>();
        for (int i = 0; i < digits; i++) {
            alone.add(classifier.classify(test.digit28(i)));
            explained.add(classifier.explain(test.digit28(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> callers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int first = 17 * t;
                callers.add(() -> {
                    for (int k = 0; k < digits; k++) {
                        int i = (first + k) % digits;
                        assertEquals(alone.get(i), classifier.classify(test.digit28(i)), "digit " + i);
                        if (k % 10 == 0) {
                            assertEquals(explained.get(i), classifier.explain(test.digit28(i)), "digit " + i);
                            List<Prediction> two = classifier.classifyAll(List.of(test.digit28(i), test.digit28(0)));
                            assertEquals(alone.get(i).digit(), two.get(0).digit());
                        }
                    }
                    return true;
                });
            }
            for (Future<Boolean> f : pool.invokeAll(callers)) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void explainShowsTheInputAndTheFeatureMapsOfTheForwardPassByHand() {
        for (int i = 0; i < 20; i++) {
            float[] digit = test.digit28(i);
            Explanation e = classifier.explain(digit);
            assertEquals(classifier.classify(digit), e.prediction());
            assertArrayEquals(digit, e.input28());
            ByHand expected = new ByHand(weights, Arrays.copyOfRange(test.images, i * 1024, (i + 1) * 1024));
            assertMaps(expected.conv1, e.conv1(), 6, 28 * 28, "conv1 of digit " + i);
            assertMaps(expected.conv2, e.conv2(), 16, 10 * 10, "conv2 of digit " + i);
        }
        float[] digit = test.digit28(0);
        Explanation e = classifier.explain(digit);
        e.conv1()[0][0] = 99;
        e.input28()[0] = 99;
        digit[0] = 99;
        assertEquals(classifier.explain(test.digit28(0)), e, "an explanation is a copy, in and out");
    }

    private static void assertMaps(double[] expected, float[][] maps, int count, int size, String what) {
        assertEquals(count, maps.length, what);
        double largest = 0;
        for (double v : expected) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertTrue(largest > 0, what + " is all zero");
        for (int c = 0; c < count; c++) {
            assertEquals(size, maps[c].length, what);
            for (int j = 0; j < size; j++) {
                assertEquals(expected[c * size + j], maps[c][j], 1e-5 * (1 + largest), what + ", map " + c + ", " + j);
            }
        }
    }

    @Test
    void badPixelArraysAreRefusedInOneSentence() {
        assertEquals("pixels must hold 784 values (28x28) or 1024 (32x32), got 783",
                assertThrows(IllegalArgumentException.class, () -> classifier.classify(new float[783])).getMessage());
        assertThrows(IllegalArgumentException.class, () -> classifier.classify(new float[0]));
        assertThrows(IllegalArgumentException.class, () -> classifier.explain(new float[1025]));
        float[] nan = new float[784];
        nan[30] = Float.NaN;
        assertEquals("pixels: the value at row 1, column 2 is NaN; pixels must be in [0,1] with the ink 1",
                assertThrows(IllegalArgumentException.class, () -> classifier.classify(nan)).getMessage());
        float[] bytes = new float[1024];
        bytes[40] = 255;
        assertEquals("pixels: the value at row 1, column 8 is 255.0; pixels must be in [0,1] with the ink 1 (divide"
                + " bytes by 255)", assertThrows(IllegalArgumentException.class, () -> classifier.classify(bytes)).getMessage());
        float[] negative = new float[784];
        negative[783] = -0.5f;
        assertThrows(IllegalArgumentException.class, () -> classifier.explain(negative));
        assertEquals("pixels must not be null",
                assertThrows(NullPointerException.class, () -> classifier.classify((float[]) null)).getMessage());
        assertThrows(NullPointerException.class, () -> classifier.classify((BufferedImage) null));
        assertThrows(NullPointerException.class, () -> classifier.classify((Path) null));
        assertThrows(NullPointerException.class, () -> classifier.classifyAll(null));
        assertEquals("pixels[1] must not be null", assertThrows(NullPointerException.class,
                () -> classifier.classifyAll(Arrays.asList(new float[784], null))).getMessage());
        assertEquals("pixels[2] must hold 784 values (28x28) or 1024 (32x32), got 10", assertThrows(
                IllegalArgumentException.class,
                () -> classifier.classifyAll(List.of(new float[784], new float[1024], new float[10]))).getMessage());
    }

    /** A test digit as a person might draw or photograph it: large, dark ink on white paper, off-centre. */
    static BufferedImage redraw(MnistSample set, int index, int scale, int offX, int offY) {
        BufferedImage img = new BufferedImage(28 * scale + 150, 28 * scale + 90, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        float[] pixels = set.digit28(index);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = 255 - Math.round(255 * pixels[y * 28 + x]);
                digit.setRGB(x, y, new Color(v, v, v).getRGB());
            }
        }
        g.drawImage(digit, offX, offY, 28 * scale, 28 * scale, null);
        g.dispose();
        return img;
    }

    @Test
    void imagesAndImageFilesArePreparedAsMnistsDigits() throws IOException {
        int right = 0;
        for (int i = 0; i < 20; i++) {
            BufferedImage img = redraw(test, 100 + i, 3 + i % 4, 10 + 7 * i, 5 + 3 * i);
            Prediction fromImage = classifier.classify(img);
            Path file = tmp.resolve("digit" + i + (i % 2 == 0 ? ".png" : ".jpg"));
            ImageIO.write(img, i % 2 == 0 ? "png" : "jpg", file.toFile());
            Prediction fromFile = classifier.classify(file);
            if (i % 2 == 0) {
                assertEquals(fromImage, fromFile, "a PNG holds the image's exact pixels");
            }
            right += fromFile.digit() == test.labels[100 + i] ? 1 : 0;
        }
        assertTrue(right >= 19, right + " of 20 redrawn digits right");
        BufferedImage blank = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> classifier.classify(blank)).getMessage()
                .contains("no ink"));
        Path text = Files.writeString(tmp.resolve("note.png"), "not an image");
        assertEquals(text + ": not a PNG or JPEG image",
                assertThrows(DigitImageException.class, () -> classifier.classify(text)).getMessage());
        Path missing = tmp.resolve("missing.png");
        assertThrows(FileNotFoundException.class, () -> classifier.classify(missing));
    }

    @Test
    void aModelFileLoadsAsTheBundledModel() throws IOException {
        Path file = tmp.resolve("model.safetensors");
        SafeTensors.write(file, weights, Map.of("note", "a copy"));
        DigitClassifier loaded = DigitClassifier.load(file);
        assertEquals(Map.of("note", "a copy"), loaded.metadata());
        for (int i = 0; i < 20; i++) {
            assertEquals(classifier.classify(test.digit28(i)), loaded.classify(test.digit28(i)));
        }
        assertTrue(Files.deleteIfExists(file), "the classifier does not hold the file");
    }

    @Test
    void aBadModelFileIsNamedInOneSentence() throws IOException {
        Path missing = tmp.resolve("none.safetensors");
        assertEquals("the model file " + missing + " does not exist",
                assertThrows(FileNotFoundException.class, () -> DigitClassifier.load(missing)).getMessage());
        Map<String, Tensor> wrong = new LinkedHashMap<>(weights);
        wrong.put("fc3.bias", new Tensor(new int[] {11}, new float[11]));
        wrong.remove("fc2.bias");
        Path file = tmp.resolve("wrong.safetensors");
        SafeTensors.write(file, wrong);
        String message = assertThrows(IOException.class, () -> DigitClassifier.load(file)).getMessage();
        assertTrue(message.startsWith(file + ": ") && message.contains("fc2.bias") && message.contains("fc3.bias has shape"),
                message);
    }

    @Test
    void theClassifierKeepsNoFileOpen() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "no /proc/self/fd to count open files");
        Path model = tmp.resolve("open.safetensors");
        SafeTensors.write(model, weights);
        Path png = tmp.resolve("open.png");
        ImageIO.write(redraw(test, 7, 2, 3, 4), "png", png.toFile());
        DigitClassifier.load(model).classify(png);   // loads classes and caches before counting
        DigitClassifier.bundled();
        for (int i = 0; i < 20; i++) {
            DigitClassifier.load(model).classify(png);
            DigitClassifier.bundled().classify(png);
        }
        // Counting descriptors is flaky: the JVM and the test runner open and close their own files
        // meanwhile. What matters is that none of them still points at a file the classifier read.
        assertEquals(List.of(), openFilesUnder(fds, tmp));
    }

    private static List<Path> openFilesUnder(Path fds, Path dir) throws IOException {
        Path real = dir.toRealPath();
        List<Path> open = new ArrayList<>();
        try (var list = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(real) || target.startsWith(dir)) open.add(target);
                } catch (IOException closedMeanwhile) {
                    // the descriptor belonged to someone else and went away while we listed
                }
            }
        }
        return open;
    }
}
