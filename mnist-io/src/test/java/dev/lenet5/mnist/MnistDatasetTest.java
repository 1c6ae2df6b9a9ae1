package dev.lenet5.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading rules, on small MNIST-shaped sets written by the test. */
class MnistDatasetTest {

    private static final String EXPECTED = "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
            + " t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (gzipped, or uncompressed without .gz)";

    @TempDir
    Path dir;

    /** 6 training and 3 test images of 4x4; labels i % 10 (train) and 9 - i (test). */
    private static void writeSet(Path dir, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        byte[] trainLabels = {0, 1, 2, 3, 4, 5};
        byte[] testLabels = {9, 8, 7};
        write(dir, MnistDataset.TRAIN_IMAGES, IdxBytes.unsignedBytes(IdxBytes.pattern(6 * 16, 1), 6, 4, 4), gzip);
        write(dir, MnistDataset.TRAIN_LABELS, IdxBytes.unsignedBytes(trainLabels, 6), gzip);
        write(dir, MnistDataset.TEST_IMAGES, IdxBytes.unsignedBytes(IdxBytes.pattern(3 * 16, 2), 3, 4, 4), gzip);
        write(dir, MnistDataset.TEST_LABELS, IdxBytes.unsignedBytes(testLabels, 3), gzip);
    }

    private static Path write(Path dir, String base, byte[] raw, boolean gzip) throws IOException {
        return IdxBytes.write(dir, gzip ? base + ".gz" : base, gzip ? IdxBytes.gzip(raw) : raw);
    }

    @Test
    void loadsGzippedFiles() throws IOException {
        writeSet(dir, true);
        MnistDataset ds = MnistDataset.load(dir);
        assertEquals(6, ds.train().size());
        assertEquals(3, ds.test().size());
        assertEquals(4, ds.train().rows());
        assertEquals(5, ds.train().label(5));
        assertEquals(7, ds.test().label(2));
        assertEquals("train", ds.train().name());
        assertEquals("test", ds.test().name());
        byte[] expected = IdxBytes.pattern(3 * 16, 2);
        assertEquals(expected[16 + 5] & 0xFF, ds.test().pixel(1, 1, 1));
        assertEquals(dir.toString(), ds.origin());
    }

    @Test
    void loadsUncompressedFilesWhenOnlyThoseArePresent() throws IOException {
        writeSet(dir, false);
        MnistDataset ds = MnistDataset.load(dir);
        assertEquals(6, ds.train().size());
        assertEquals(8, ds.test().label(1));
    }

    @Test
    void prefersTheGzippedFileWhenBothArePresent() throws IOException {
        writeSet(dir, true);
        // A plain test label file that disagrees: it must be ignored.
        write(dir, MnistDataset.TEST_LABELS, IdxBytes.unsignedBytes(new byte[] {1, 1, 1}, 3), false);
        assertEquals(9, MnistDataset.load(dir).test().label(0));
    }

    @Test
    void missingFilesAreNamedWithWhatIsExpected() throws IOException {
        writeSet(dir, true);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        Files.delete(dir.resolve("train-images-idx3-ubyte.gz"));
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> MnistDataset.load(dir));
        assertEquals("MNIST directory " + dir + " is missing train-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz;"
                + " it must hold " + EXPECTED, e.getMessage());
    }

    @Test
    void theTestSetAloneNeedsOnlyTheTestFiles() throws IOException {
        writeSet(dir, true);
        Files.delete(dir.resolve("train-images-idx3-ubyte.gz"));
        Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
        ImageSet test = MnistDataset.loadTestSet(dir);
        assertEquals("test", test.name());
        assertEquals(3, test.size());
        assertEquals(7, test.label(2));
        assertEquals(IdxBytes.pattern(3 * 16, 2)[16 + 5] & 0xFF, test.pixel(1, 1, 1));
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> MnistDataset.loadTestSet(dir));
        assertEquals("MNIST directory " + dir + " is missing t10k-labels-idx1-ubyte.gz; it must hold"
                + " t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (gzipped, or uncompressed without .gz)",
                e.getMessage());
    }

    @Test
    void missingOrWrongDirectory() throws IOException {
        Path nowhere = dir.resolve("nowhere");
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> MnistDataset.load(nowhere));
        assertEquals("MNIST directory " + nowhere + " does not exist; it must hold " + EXPECTED, e.getMessage());
        Path file = Files.writeString(dir.resolve("file"), "x");
        e = assertThrows(FileNotFoundException.class, () -> MnistDataset.load(file));
        assertEquals("MNIST directory " + file + " is not a directory; it must hold " + EXPECTED, e.getMessage());
    }

    @Test
    void truncatedImagesFileSaysHowManyImagesArrived() throws IOException {
        writeSet(dir, true);
        // The header promises 60,000 MNIST images; only 1,234 and a half follow. They are noise, which gzip cannot
        // shrink: zeros would compress so far that the file could not hold 60,000 images, and the reader would say so.
        byte[] pixels = new byte[1234 * 784 + 392];
        new java.util.Random(1).nextBytes(pixels);
        byte[] raw = IdxBytes.concat(IdxBytes.header(0x08, 60_000, 28, 28), pixels);
        Path file = write(dir, MnistDataset.TRAIN_IMAGES, raw, true);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistDataset.load(dir));
        assertEquals(file + ": header says 60000 images of 28x28 but the data ends after 1234 images"
                + " (967848 of 47040000 data bytes)", e.getMessage());
    }

    @Test
    void truncatedLabelsFileSpeaksOfLabels() throws IOException {
        writeSet(dir, false);
        Path file = write(dir, MnistDataset.TEST_LABELS, IdxBytes.concat(IdxBytes.header(0x08, 3), new byte[2]), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistDataset.load(dir));
        assertEquals(file + ": header says 3 labels but the data ends after 2 labels (2 of 3 data bytes)",
                e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        writeSet(dir, true);
        Path labels = write(dir, MnistDataset.TRAIN_LABELS, IdxBytes.unsignedBytes(new byte[5], 5), true);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistDataset.load(dir));
        assertEquals(labels + ": holds 5 labels but " + dir.resolve("train-images-idx3-ubyte.gz")
                + " holds 6 images", e.getMessage());
    }

    @Test
    void labelsMustBeDigits() throws IOException {
        writeSet(dir, true);
        Path labels = write(dir, MnistDataset.TEST_LABELS, IdxBytes.unsignedBytes(new byte[] {1, 12, 3}, 3), true);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistDataset.load(dir));
        assertEquals(labels + ": label 12 at index 1 is outside 0..9 (10 classes expected)", e.getMessage());
    }

    @Test
    void otherClassCountsCanBeInferred() throws IOException {
        writeSet(dir, true);
        write(dir, MnistDataset.TRAIN_LABELS, IdxBytes.unsignedBytes(new byte[] {0, 25, 3, 3, 3, 3}, 6), true);
        write(dir, MnistDataset.TEST_LABELS, IdxBytes.unsignedBytes(new byte[] {12, 13, 14}, 3), true);
        MnistDataset ds = MnistDataset.load(dir, ImageSet.INFER_CLASSES);
        // The test set lacks class 25 but must count the same classes as the training set.
        assertEquals(26, ds.numClasses());
        assertEquals(26, ds.test().numClasses());
        assertEquals(26, SetStatistics.classCounts(ds.test()).length);
        assertThrows(IdxFormatException.class, () -> MnistDataset.load(dir));
    }

    @Test
    void imagesMustBeTwoDimensional() throws IOException {
        writeSet(dir, true);
        Path images = write(dir, MnistDataset.TEST_IMAGES, IdxBytes.unsignedBytes(new byte[48], 3, 16), true);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistDataset.load(dir));
        assertEquals(images + ": images must have 3 dimensions (count, rows, columns), found 2: 3x16", e.getMessage());
    }

    @Test
    void trainingAndTestImagesMustHaveTheSameSize() throws IOException {
        writeSet(dir, true);
        Path images = write(dir, MnistDataset.TEST_IMAGES, IdxBytes.unsignedBytes(new byte[3 * 20], 3, 4, 5), true);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistDataset.load(dir));
        assertEquals(images + ": images are 4x5 but the training images in " + dir.resolve("train-images-idx3-ubyte.gz")
                + " are 4x4", e.getMessage());
    }

    @Test
    void loadsFromClasspathResourcesUnderAPrefix() throws IOException {
        writeSet(dir.resolve("mnist"), true);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            for (String prefix : new String[] {"/mnist/", "mnist", "mnist/"}) {
                MnistDataset ds = MnistDataset.loadResources(loader, prefix, MnistDataset.MNIST_CLASSES);
                assertEquals(6, ds.train().size());
                assertEquals(9, ds.test().label(0));
                assertEquals("classpath:/mnist/", ds.origin());
                ImageSet test = MnistDataset.loadTestSetResources(loader, prefix);
                assertEquals(3, test.size());
                assertEquals(9, test.label(0));
            }
        }
    }

    @Test
    void classpathResourcesMayBeUncompressed() throws IOException {
        writeSet(dir.resolve("data").resolve("digits"), false);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            MnistDataset ds = MnistDataset.loadResources(loader, "/data/digits", 10);
            assertEquals(3, ds.test().size());
        }
    }

    @Test
    void missingClasspathResourcesAreNamed() throws IOException {
        writeSet(dir.resolve("mnist"), true);
        Files.delete(dir.resolve("mnist").resolve("train-labels-idx1-ubyte.gz"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            FileNotFoundException e = assertThrows(FileNotFoundException.class,
                    () -> MnistDataset.loadResources(loader, "/mnist/", 10));
            assertEquals("MNIST classpath resources classpath:/mnist/ are missing train-labels-idx1-ubyte.gz;"
                    + " they must hold " + EXPECTED, e.getMessage());
        }
    }

    @Test
    void corruptClasspathResourceIsNamed() throws IOException {
        writeSet(dir.resolve("mnist"), true);
        Path labels = dir.resolve("mnist").resolve("t10k-labels-idx1-ubyte.gz");
        byte[] gz = Files.readAllBytes(labels);
        Files.write(labels, java.util.Arrays.copyOf(gz, gz.length - 6));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            IdxFormatException e = assertThrows(IdxFormatException.class,
                    () -> MnistDataset.loadResources(loader, "/mnist/", 10));
            assertEquals("classpath:/mnist/t10k-labels-idx1-ubyte.gz", e.source());
        }
    }

    @Test
    void defaultResourcesAreLookedUpWithThisLibrarysClassLoader() {
        // The test classpath carries no MNIST resources: the message must say where it looked.
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> MnistDataset.loadResources("/no-such-mnist/"));
        assertEquals("MNIST classpath resources classpath:/no-such-mnist/ are missing train-images-idx3-ubyte.gz,"
                + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz;"
                + " they must hold " + EXPECTED, e.getMessage());
    }
}
