package dev.lenet5.mnist;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The MNIST training and test sets, loaded from the four standard IDX files in a directory or among the
 * classpath resources under a prefix. Each file may be gzipped ({@code NAME.gz}, preferred when both are
 * present) or not ({@code NAME}), as torchvision accepts; what decides how it is read is its content.
 *
 * <p>Loading checks that the images are 2-D unsigned bytes, that image and label counts agree, that labels
 * are within the expected classes and that training and test images have the same size.
 */
public final class MnistDataset {

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** The four files as distributed (gzipped), in the order train images, train labels, test images, labels. */
    public static final List<String> FILE_NAMES = List.of(
            TRAIN_IMAGES + ".gz", TRAIN_LABELS + ".gz", TEST_IMAGES + ".gz", TEST_LABELS + ".gz");

    /** Digits 0..9. */
    public static final int MNIST_CLASSES = 10;

    /** Where the application jar carries its copy. */
    public static final String DEFAULT_RESOURCE_PREFIX = "/mnist/";

    private static final List<String> BASE_NAMES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);
    private static final List<String> TEST_BASE_NAMES = List.of(TEST_IMAGES, TEST_LABELS);
    private static final String EXPECTED = "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
            + " t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (gzipped, or uncompressed without .gz)";
    private static final String TEST_EXPECTED = "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz"
            + " (gzipped, or uncompressed without .gz)";

    private final ImageSet train;
    private final ImageSet test;
    private final String origin;

    private MnistDataset(ImageSet train, ImageSet test, String origin) {
        this.train = train;
        this.test = test;
        this.origin = origin;
    }

    /** Loads the four MNIST files from {@code dir}; labels must be digits 0..9. */
    public static MnistDataset load(Path dir) throws IOException {
        return load(dir, MNIST_CLASSES);
    }

    /**
     * Loads the four files from {@code dir}: labels must be in {@code 0..expectedClasses-1}, or with
     * {@link ImageSet#INFER_CLASSES} in 0..K-1 for the K the labels imply (for other IDX sets with the
     * MNIST file names).
     */
    public static MnistDataset load(Path dir, int expectedClasses) throws IOException {
        return build(read(dir, BASE_NAMES, EXPECTED), expectedClasses, dir.toString());
    }

    /**
     * Only the 10,000 test images and their labels (digits 0..9) from {@code dir}: what evaluating a model needs,
     * without reading and holding the 60,000 training images.
     */
    public static ImageSet loadTestSet(Path dir) throws IOException {
        IdxArray[] a = read(dir, TEST_BASE_NAMES, TEST_EXPECTED);
        return ImageSet.adopt("test", a[0], a[1], MNIST_CLASSES);
    }

    private static IdxArray[] read(Path dir, List<String> bases, String expected) throws IOException {
        if (!Files.exists(dir)) {
            throw new FileNotFoundException("MNIST directory " + dir + " does not exist; it must hold " + expected);
        }
        if (!Files.isDirectory(dir)) {
            throw new FileNotFoundException("MNIST directory " + dir + " is not a directory; it must hold " + expected);
        }
        Path[] files = new Path[bases.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            String base = bases.get(i);
            Path gz = dir.resolve(base + ".gz");
            Path plain = dir.resolve(base);
            files[i] = Files.isRegularFile(gz) ? gz : Files.isRegularFile(plain) ? plain : null;
            if (files[i] == null) {
                missing.add(base + ".gz");
            }
        }
        if (!missing.isEmpty()) {
            throw new FileNotFoundException("MNIST directory " + dir + " is missing " + join(missing)
                    + "; it must hold " + expected);
        }
        IdxReader reader = new IdxReader();
        IdxArray[] arrays = new IdxArray[files.length];
        for (int i = 0; i < files.length; i++) {
            arrays[i] = reader.read(files[i], nounFor(i));
        }
        return arrays;
    }

    /** Loads the four MNIST files from classpath resources under {@code prefix} (e.g. {@code /mnist/}). */
    public static MnistDataset loadResources(String prefix) throws IOException {
        return loadResources(MnistDataset.class.getClassLoader(), prefix, MNIST_CLASSES);
    }

    /** As {@link #loadResources(String)} with a chosen class loader and class count. */
    public static MnistDataset loadResources(ClassLoader loader, String prefix, int expectedClasses)
            throws IOException {
        IdxArray[] arrays = readResources(loader, prefix, BASE_NAMES, EXPECTED);
        return build(arrays, expectedClasses, "classpath:/" + resourceDir(prefix));
    }

    /** As {@link #loadTestSet(Path)} from the classpath resources under {@code prefix}. */
    public static ImageSet loadTestSetResources(String prefix) throws IOException {
        return loadTestSetResources(MnistDataset.class.getClassLoader(), prefix);
    }

    /** As {@link #loadTestSetResources(String)} with a chosen class loader. */
    public static ImageSet loadTestSetResources(ClassLoader loader, String prefix) throws IOException {
        IdxArray[] a = readResources(loader, prefix, TEST_BASE_NAMES, TEST_EXPECTED);
        return ImageSet.adopt("test", a[0], a[1], MNIST_CLASSES);
    }

    private static IdxArray[] readResources(ClassLoader loader, String prefix, List<String> bases, String expected)
            throws IOException {
        String dir = resourceDir(prefix);
        URL[] urls = new URL[bases.size()];
        String[] names = new String[urls.length];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < urls.length; i++) {
            String base = bases.get(i);
            for (String candidate : new String[] {dir + base + ".gz", dir + base}) {
                if (urls[i] == null) {
                    urls[i] = loader.getResource(candidate);
                    names[i] = "classpath:/" + candidate;
                }
            }
            if (urls[i] == null) {
                missing.add(base + ".gz");
            }
        }
        if (!missing.isEmpty()) {
            throw new FileNotFoundException("MNIST classpath resources classpath:/" + dir + " are missing "
                    + join(missing) + "; they must hold " + expected);
        }
        IdxReader reader = new IdxReader();
        IdxArray[] arrays = new IdxArray[urls.length];
        for (int i = 0; i < urls.length; i++) {
            try (InputStream in = urls[i].openStream()) {
                arrays[i] = reader.read(in, names[i], nounFor(i));
            }
        }
        return arrays;
    }

    /** The 60,000 training images (split them with {@link Split} for validation). */
    public ImageSet train() {
        return train;
    }

    /** The 10,000 test images. */
    public ImageSet test() {
        return test;
    }

    /** Number of classes: 10 for MNIST. */
    public int numClasses() {
        return train.numClasses();
    }

    /** The directory or classpath location the files were read from. */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "MnistDataset[" + origin + ": " + train + ", " + test + "]";
    }

    private static MnistDataset build(IdxArray[] a, int expectedClasses, String origin) throws IdxFormatException {
        ImageSet train = ImageSet.adopt("train", a[0], a[1], expectedClasses);
        ImageSet test = ImageSet.adopt("test", a[2], a[3], expectedClasses);
        if (train.numClasses() != test.numClasses()) {
            // Inferred counts: one split may lack the highest class; both get the larger count.
            int classes = Math.max(train.numClasses(), test.numClasses());
            train = ImageSet.adopt("train", a[0], a[1], classes);
            test = ImageSet.adopt("test", a[2], a[3], classes);
        }
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new IdxFormatException(a[2].source(), "images are " + test.rows() + "x" + test.cols()
                    + " but the training images in " + a[0].source() + " are " + train.rows() + "x" + train.cols());
        }
        return new MnistDataset(train, test, origin);
    }

    private static String nounFor(int fileIndex) {
        return fileIndex % 2 == 0 ? "images" : "labels";
    }

    /** "/mnist/", "mnist" and "mnist/" all mean the resource directory "mnist/". */
    private static String resourceDir(String prefix) {
        String p = prefix.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (!p.isEmpty() && !p.endsWith("/")) {
            p = p + "/";
        }
        return p;
    }

    private static String join(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }
}
