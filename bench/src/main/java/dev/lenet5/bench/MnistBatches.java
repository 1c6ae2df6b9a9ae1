package dev.lenet5.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.lenet5.mnist.ImageFormat;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.mnist.MnistDataset;
import dev.lenet5.nn.LeNet5;

/**
 * Real MNIST batches for the training-step and inference benchmarks (ours and the peer's read the same ones),
 * made once per fork as LeNet-5 input: 32x32 floats in [0,1], the training program's format.
 *
 * <p>Real digits rather than random numbers: ReLU and max pooling branch on the data, so their cost and the
 * pattern of zero gradients depend on what the images look like.
 *
 * <p>Where the data comes from, first found: the directory in {@code -Dlenet5.mnist=DIR}; the copy the
 * application jar carries (classpath {@code /mnist/}); {@code data/mnist} or {@code ../data/mnist} from the
 * working directory (the repository root, or a module directory when tests run). Forked benchmark JVMs inherit
 * the host's {@code -D} options and working directory.
 */
public final class MnistBatches {

    public static final String PROPERTY = "lenet5.mnist";

    private final float[][] images;
    private final int[][] labels;
    private final int batch;

    private MnistBatches(float[][] images, int[][] labels, int batch) {
        this.images = images;
        this.labels = labels;
        this.batch = batch;
    }

    /** Finds and loads MNIST as described in the class comment. */
    public static MnistDataset load() {
        try {
            String dir = System.getProperty(PROPERTY);
            if (dir != null) {
                return MnistDataset.load(Path.of(dir));
            }
            if (MnistBatches.class.getResource(MnistDataset.DEFAULT_RESOURCE_PREFIX + MnistDataset.TRAIN_IMAGES + ".gz") != null) {
                return MnistDataset.loadResources(MnistDataset.DEFAULT_RESOURCE_PREFIX);
            }
            for (String candidate : new String[]{"data/mnist", "../data/mnist"}) {
                Path path = Path.of(candidate);
                if (Files.isDirectory(path)) {
                    return MnistDataset.load(path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load MNIST for the benchmarks: " + e.getMessage(), e);
        }
        throw new IllegalStateException("no MNIST copy found for the benchmarks: give -D" + PROPERTY + "=DIR (a"
                + " directory with the four IDX .gz files), or run from the repository root, where data/mnist is");
    }

    /**
     * {@code count} consecutive batches of {@code batch} images from {@code set}, starting at image 0.
     *
     * @throws IllegalArgumentException if the set holds fewer than {@code count * batch} images
     */
    public static MnistBatches of(ImageSet set, int batch, int count) {
        if (batch < 1 || count < 1) {
            throw new IllegalArgumentException("need at least one batch of one image, got " + count + " x " + batch);
        }
        if ((long) batch * count > set.size()) {
            throw new IllegalArgumentException(count + " batches of " + batch + " images need " + (long) batch * count
                    + " images but the " + set.name() + " set holds " + set.size());
        }
        ImageFormat format = ImageFormat.unitRange(LeNet5.INPUT.padding());
        int floats = format.outputHeight(set.rows()) * format.outputWidth(set.cols());
        float[][] images = new float[count][batch * floats];
        int[][] labels = new int[count][batch];
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < batch; i++) {
                int index = b * batch + i;
                set.writeImage(index, format, images[b], i * floats);
                labels[b][i] = set.label(index);
            }
        }
        return new MnistBatches(images, labels, batch);
    }

    /** The whole set in full batches (a last partial batch is left out). */
    public static MnistBatches allOf(ImageSet set, int batch) {
        return of(set, batch, set.size() / batch);
    }

    public int batchSize() {
        return batch;
    }

    public int count() {
        return images.length;
    }

    /** Batch {@code b}'s images, {@code (batch, 1, 32, 32)} from index 0. */
    public float[] images(int b) {
        return images[b];
    }

    public int[] labels(int b) {
        return labels[b];
    }
}
