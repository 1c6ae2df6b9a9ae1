package dev.lenet5.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Facts about the real MNIST files committed in {@code data/mnist/} (tests run in the module directory).
 * Per-image values were computed independently with Python's gzip and numpy.
 */
class MnistRealDataTest {

    /** 28x28 digits padded to 32x32, in [0,1]. */
    private static final ImageFormat PADDED = ImageFormat.unitRange(2);

    static final Path DATA = Path.of("..", "data", "mnist");

    private static MnistDataset mnist;

    @BeforeAll
    static void load() throws IOException {
        mnist = MnistDataset.load(DATA);
    }

    @Test
    void committedFilesMatchTheirChecksums() throws IOException, NoSuchAlgorithmException {
        // Catches a checkout that mangled the binaries (line-ending filters, LFS pointers) before the
        // reader has to explain it.
        List<String> lines = Files.readAllLines(DATA.resolve("SHA256SUMS"));
        Set<String> listed = new TreeSet<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split("\\s+\\*?", 2);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String actual = HexFormat.of().formatHex(sha.digest(Files.readAllBytes(DATA.resolve(parts[1]))));
            assertEquals(parts[0], actual, parts[1]);
            listed.add(parts[1]);
        }
        assertEquals(new TreeSet<>(MnistDataset.FILE_NAMES), listed);
    }

    @Test
    void countsAndShapes() {
        assertEquals(60_000, mnist.train().size());
        assertEquals(10_000, mnist.test().size());
        for (ImageSet set : new ImageSet[] {mnist.train(), mnist.test()}) {
            assertEquals(28, set.rows());
            assertEquals(28, set.cols());
            assertEquals(10, set.numClasses());
        }
        assertEquals(10, mnist.numClasses());
        assertEquals(DATA.toString(), mnist.origin());
    }

    @Test
    void labelCounts() {
        int[] train = SetStatistics.classCounts(mnist.train());
        int[] test = SetStatistics.classCounts(mnist.test());
        assertEquals(5_923, train[0]);
        assertEquals(6_742, train[1]);
        assertEquals(980, test[0]);
        assertEquals(1_135, test[1]);
        assertEquals(60_000, sum(train));
        assertEquals(10_000, sum(test));
    }

    @Test
    void firstLabels() {
        int[] train = new int[10];
        int[] test = new int[10];
        for (int i = 0; i < 10; i++) {
            train[i] = mnist.train().label(i);
            test[i] = mnist.test().label(i);
        }
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, train);
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, test);
    }

    @Test
    void pixelStatistics() {
        // The well-known normalisation constants 0.1307 and 0.3081 come from these pixels.
        assertEquals(0.1307, SetStatistics.pixelMean(mnist.train()), 1e-4);
        assertEquals(0.3081, SetStatistics.pixelStd(mnist.train()), 1e-4);
    }

    @Test
    void individualImages() {
        assertEquals(27_525, pixelSum(mnist.train(), 0));
        assertEquals(20_920, pixelSum(mnist.train(), 59_999));
        assertEquals(18_454, pixelSum(mnist.test(), 0));
        assertEquals(41_833, pixelSum(mnist.test(), 9_999));
        int[] row14 = new int[28];
        for (int x = 0; x < 28; x++) {
            row14[x] = mnist.train().pixel(0, 14, x);
        }
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 81, 240, 253, 253, 119, 25, 0, 0, 0, 0,
            0, 0, 0, 0, 0}, row14);
        assertEquals(255, mnist.train().pixel(0, 5, 21));
    }

    @Test
    void firstTestBatchIsPaddedTo32x32InUnitRange() {
        BatchIterator it = new BatchIterator(mnist.test(), mnist.test().allIndices(), 64, PADDED, false);
        assertEquals(157, it.batchesPerEpoch());
        assertTrue(it.next());
        float[] x = it.images();
        assertEquals(64 * 32 * 32, x.length);
        assertEquals(7, it.labels()[0]);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        // Image 0's pixel (y, x) lands at (y + 2, x + 2).
        for (int y = 0; y < 28; y++) {
            for (int c = 0; c < 28; c++) {
                assertEquals(mnist.test().pixel(0, y, c) / 255f, x[(y + 2) * 32 + c + 2]);
            }
        }
        for (int c = 0; c < 32; c++) {
            assertEquals(0f, x[c]);
            assertEquals(0f, x[31 * 32 + c]);
        }
    }

    @Test
    void mnistSplitOfTheRealTrainingSet() {
        Split split = Split.seeded(mnist.train().size(), Split.MNIST_VALIDATION_SIZE, 1);
        BatchIterator train = new BatchIterator(mnist.train(), split.train(), 64, PADDED, true);
        BatchIterator validation = new BatchIterator(mnist.train(), split.validation(), 1000, PADDED, false);
        assertEquals(843, train.batchesPerEpoch());
        assertEquals(53_952, train.imagesPerEpoch());
        assertEquals(6, validation.batchesPerEpoch());
        assertEquals(6_000, validation.imagesPerEpoch());
    }

    private static int pixelSum(ImageSet set, int index) {
        int sum = 0;
        for (byte b : set.rawImage(index)) {
            sum += b & 0xFF;
        }
        return sum;
    }

    private static int sum(int[] a) {
        int s = 0;
        for (int v : a) {
            s += v;
        }
        return s;
    }
}
