package dev.lenet5.mnist;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * Walks a subset of an {@link ImageSet} in batches of float NCHW images (C = 1) and int labels, reusing
 * the same buffers for every batch: no allocation per batch.
 *
 * <pre>{@code
 * BatchIterator batches = new BatchIterator(ds.train(), split.train(), 64, ImageFormat.unitRange(2), false);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     batches.shuffle(seed, epoch);          // same order for the same (seed, epoch), resumed or not
 *     while (batches.next()) {
 *         step(batches.images(), batches.labels(), batches.count());
 *     }
 * }
 * eval.inOrder();                           // the given index order, for evaluation
 * }</pre>
 *
 * <p>The images buffer holds {@code batchSize * 1 * imageHeight() * imageWidth()} floats; only the first
 * {@link #count()} images are valid. In a short last batch the rest of the images buffer is filled with
 * the background value and the rest of {@link #labels()} and {@link #batchIndices()} with -1, so code
 * that ignores {@code count()} fails loudly instead of training on stale data.
 *
 * <p>One iterator per consumer (they may share the image set); only {@link #writeImages} may be called from
 * several threads at once, for disjoint parts of a batch.
 */
public final class BatchIterator {

    private final ImageSet images;
    private final int[] subset;
    private final int batchSize;
    private final ImageFormat format;
    private final boolean dropLast;
    private final int imageFloats;

    private final int[] order;
    private final float[] batchImages;
    private final int[] batchLabels;
    private final int[] batchIndices;
    private final Random shuffleRng = new Random(0);
    /** Each thread's generator for the transform, reseeded per image (see {@link #writeImages}). */
    private final ThreadLocal<Random> transformRng = ThreadLocal.withInitial(() -> new Random(0));
    private long transformSeed = Seeds.derive(0, Seeds.TRANSFORM, 0);

    private ImageTransform transform = ImageTransform.NONE;
    private int cursor;
    private int count;
    private int batchNumber = -1;

    /**
     * @param images    the set to draw from
     * @param indices   which images of the set (e.g. {@link Split#train()}); copied
     * @param batchSize images per batch, at least 1
     * @param format    scaling and padding
     * @param dropLast  drop a last batch shorter than {@code batchSize} (for training), or keep it
     */
    public BatchIterator(ImageSet images, int[] indices, int batchSize, ImageFormat format, boolean dropLast) {
        this.images = Objects.requireNonNull(images, "images");
        this.format = Objects.requireNonNull(format, "format");
        this.subset = indices.clone();
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (subset.length == 0) {
            throw new IllegalArgumentException("no images to iterate over in " + images.name());
        }
        if (dropLast && subset.length < batchSize) {
            throw new IllegalArgumentException("dropping the last partial batch leaves no batch: " + subset.length
                    + " images, batch size " + batchSize);
        }
        for (int i = 0; i < subset.length; i++) {
            if (subset[i] < 0 || subset[i] >= images.size()) {
                throw new IllegalArgumentException("index " + subset[i] + " at position " + i + " is outside 0.."
                        + (images.size() - 1) + " of " + images.name());
            }
        }
        long floats = (long) batchSize * format.outputHeight(images.rows()) * format.outputWidth(images.cols());
        if (floats > IdxReader.MAX_ELEMENTS) {
            throw new IllegalArgumentException("a batch of " + batchSize + " images needs " + floats
                    + " floats, more than an array holds");
        }
        this.batchSize = batchSize;
        this.dropLast = dropLast;
        this.imageFloats = format.outputHeight(images.rows()) * format.outputWidth(images.cols());
        this.order = subset.clone();
        this.batchImages = new float[(int) floats];
        this.batchLabels = new int[batchSize];
        this.batchIndices = new int[batchSize];
    }

    /** Plugs in a per-image transform (augmentation); {@code null} or {@link ImageTransform#NONE} for none. */
    public void setTransform(ImageTransform transform) {
        this.transform = transform == null ? ImageTransform.NONE : transform;
    }

    /**
     * Starts an epoch in a shuffled order that depends only on (seed, epoch) and the index subset, not on
     * earlier epochs: a run resumed at epoch e sees the same order as one that ran through.
     */
    public void shuffle(long seed, int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
        }
        System.arraycopy(subset, 0, order, 0, subset.length);
        shuffleRng.setSeed(Seeds.derive(seed, Seeds.SHUFFLE, epoch));
        Seeds.shuffle(order, shuffleRng);
        transformSeed = Seeds.derive(seed, Seeds.TRANSFORM, epoch);
        rewind();
    }

    /** Starts a pass in the order the indices were given (for evaluation). */
    public void inOrder() {
        System.arraycopy(subset, 0, order, 0, subset.length);
        transformSeed = Seeds.derive(0, Seeds.TRANSFORM, 0);
        rewind();
    }

    /**
     * Fills the next batch; false when the pass is over (then start another with {@link #shuffle} or
     * {@link #inOrder}). A fresh iterator starts in order.
     */
    public boolean next() {
        if (!prepare()) {
            return false;
        }
        writeImages(0, count);
        return true;
    }

    /**
     * Moves to the next batch and fills its labels and indices, but not its images: {@link #writeImages} does,
     * in parts that may run on several threads. False when the pass is over, as {@link #next}.
     */
    public boolean prepare() {
        cursor += count;
        int left = order.length - cursor;
        if (left <= 0 || (dropLast && left < batchSize)) {
            count = 0;
            return false;
        }
        count = Math.min(batchSize, left);
        for (int b = 0; b < count; b++) {
            int index = order[cursor + b];
            batchLabels[b] = images.label(index);
            batchIndices[b] = index;
        }
        if (count < batchSize) {
            Arrays.fill(batchImages, count * imageFloats, batchImages.length, format.background());
            Arrays.fill(batchLabels, count, batchSize, -1);
            Arrays.fill(batchIndices, count, batchSize, -1);
        }
        batchNumber++;
        return true;
    }

    /**
     * Writes images {@code [from, to)} of the prepared batch, transformed. Each image's random draws come from a
     * generator seeded by (seed, epoch, its position in the epoch), so an image is the same whichever thread writes
     * it and whatever was written before: disjoint ranges may be written by several threads at once (the transform
     * must then be thread-safe, as {@link ImageTransform#NONE} and the augmentations are).
     */
    public void writeImages(int from, int to) {
        if (from < 0 || to > count || from > to) {
            throw new IndexOutOfBoundsException("images " + from + ".." + to + " of a batch of " + count);
        }
        Random rng = transformRng.get();
        for (int b = from; b < to; b++) {
            rng.setSeed(Seeds.derive(transformSeed, Seeds.IMAGE, cursor + b));
            transform.apply(images, order[cursor + b], format, batchImages, b * imageFloats, rng);
        }
    }

    /** The batch's images, (batchSize, 1, imageHeight, imageWidth); the same array for every batch. */
    public float[] images() {
        return batchImages;
    }

    /** The batch's labels; the same array for every batch. */
    public int[] labels() {
        return batchLabels;
    }

    /** Which images of the set are in the batch (e.g. to draw the misclassified ones); reused. */
    public int[] batchIndices() {
        return batchIndices;
    }

    /** Valid images in the current batch: {@code batchSize}, or fewer in a kept last batch. */
    public int count() {
        return count;
    }

    /** 0-based number of the current batch in this pass, -1 before the first. */
    public int batchNumber() {
        return batchNumber;
    }

    public int batchSize() {
        return batchSize;
    }

    public int imageHeight() {
        return format.outputHeight(images.rows());
    }

    public int imageWidth() {
        return format.outputWidth(images.cols());
    }

    /** Floats per image in {@link #images()}: imageHeight * imageWidth (one channel). */
    public int floatsPerImage() {
        return imageFloats;
    }

    /** Batches in one pass, counting a kept partial batch. */
    public int batchesPerEpoch() {
        return dropLast ? subset.length / batchSize : (subset.length + batchSize - 1) / batchSize;
    }

    /** Images seen in one pass (fewer than the subset when the last partial batch is dropped). */
    public int imagesPerEpoch() {
        return dropLast ? subset.length / batchSize * batchSize : subset.length;
    }

    public ImageSet imageSet() {
        return images;
    }

    public ImageFormat format() {
        return format;
    }

    private void rewind() {
        cursor = 0;
        count = 0;
        batchNumber = -1;
    }
}
