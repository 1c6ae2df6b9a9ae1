package dev.lenet5.mnist;

/**
 * A set of labelled 8-bit grayscale images, kept compactly as the file stores them: one {@code byte[]} of
 * N*rows*cols unsigned pixels and one of N labels. Floats are made only when a batch is filled (60,000
 * MNIST images as 32x32 floats would be 245 MB; as bytes they are 47 MB).
 *
 * <p>Immutable and thread-safe; several batch iterators may share one set.
 */
public final class ImageSet {

    /** Accept any label count found in the data (labels must then be 0..K-1, K the largest + 1). */
    public static final int INFER_CLASSES = 0;

    private final String name;
    private final int size;
    private final int rows;
    private final int cols;
    private final int numClasses;
    private final byte[] pixels;
    private final byte[] labels;

    private ImageSet(String name, int size, int rows, int cols, int numClasses, byte[] pixels, byte[] labels) {
        this.name = name;
        this.size = size;
        this.rows = rows;
        this.cols = cols;
        this.numClasses = numClasses;
        this.pixels = pixels;
        this.labels = labels;
    }

    /**
     * Checks and copies an image file and a label file into a set: images must be unsigned bytes of
     * shape (N, rows, cols), labels unsigned bytes of shape (N), and every label in
     * {@code 0..expectedClasses-1} ({@link #INFER_CLASSES}: in 0..K-1 for the K the labels imply).
     * Errors name the offending file.
     */
    public static ImageSet fromIdx(String name, IdxArray images, IdxArray labels, int expectedClasses)
            throws IdxFormatException {
        int classes = validate(images, labels, expectedClasses);
        return new ImageSet(name, images.dim(0), images.dim(1), images.dim(2), classes,
                images.bytes().clone(), labels.bytes().clone());
    }

    /** As {@link #fromIdx} without copying: for freshly read arrays that nobody else holds. */
    static ImageSet adopt(String name, IdxArray images, IdxArray labels, int expectedClasses)
            throws IdxFormatException {
        int classes = validate(images, labels, expectedClasses);
        return new ImageSet(name, images.dim(0), images.dim(1), images.dim(2), classes,
                images.bytes(), labels.bytes());
    }

    /** Returns the class count: {@code expectedClasses}, or the one the labels imply. */
    private static int validate(IdxArray images, IdxArray labels, int expectedClasses) throws IdxFormatException {
        if (expectedClasses < 0 || expectedClasses > 256) {
            throw new IllegalArgumentException("expectedClasses must be 1..256 or INFER_CLASSES, got "
                    + expectedClasses);
        }
        if (images.type() != IdxType.UNSIGNED_BYTE) {
            throw new IdxFormatException(images.source(), "images must be of type "
                    + IdxType.UNSIGNED_BYTE.describe() + ", found " + images.type().describe());
        }
        if (images.rank() != 3) {
            throw new IdxFormatException(images.source(), "images must have 3 dimensions (count, rows, columns),"
                    + " found " + images.rank() + ": " + images.shape());
        }
        if (labels.type() != IdxType.UNSIGNED_BYTE) {
            throw new IdxFormatException(labels.source(), "labels must be of type "
                    + IdxType.UNSIGNED_BYTE.describe() + ", found " + labels.type().describe());
        }
        if (labels.rank() != 1) {
            throw new IdxFormatException(labels.source(), "labels must have 1 dimension (count), found "
                    + labels.rank() + ": " + labels.shape());
        }
        if (images.dim(0) != labels.dim(0)) {
            throw new IdxFormatException(labels.source(), "holds " + labels.dim(0) + " labels but "
                    + images.source() + " holds " + images.dim(0) + " images");
        }
        byte[] lb = labels.bytes();
        int max = 0;
        for (int i = 0; i < lb.length; i++) {
            int label = lb[i] & 0xFF;
            if (expectedClasses != INFER_CLASSES && label >= expectedClasses) {
                throw new IdxFormatException(labels.source(), "label " + label + " at index " + i
                        + " is outside 0.." + (expectedClasses - 1) + " (" + expectedClasses + " classes expected)");
            }
            max = Math.max(max, label);
        }
        return expectedClasses != INFER_CLASSES ? expectedClasses : max + 1;
    }

    /** "train", "test", or whatever the creator called it; for messages and reports. */
    public String name() {
        return name;
    }

    /** Number of images. */
    public int size() {
        return size;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Pixels per raw image: rows * cols. */
    public int imageBytes() {
        return rows * cols;
    }

    /** Number of classes: the expected count given at load, or the largest label + 1. */
    public int numClasses() {
        return numClasses;
    }

    /** Label of image {@code index}, in 0..numClasses()-1. */
    public int label(int index) {
        checkIndex(index);
        return labels[index] & 0xFF;
    }

    /** Raw pixel 0..255 of image {@code index} at (row, col). */
    public int pixel(int index, int row, int col) {
        checkIndex(index);
        if (row < 0 || row >= rows || col < 0 || col >= cols) {
            throw new IndexOutOfBoundsException("pixel (" + row + ", " + col + ") outside " + rows + "x" + cols);
        }
        return pixels[index * imageBytes() + row * cols + col] & 0xFF;
    }

    /** A copy of image {@code index}: rows*cols unsigned bytes, row-major (e.g. to draw it). */
    public byte[] rawImage(int index) {
        byte[] out = new byte[imageBytes()];
        copyRawImage(index, out, 0);
        return out;
    }

    /** Copies image {@code index} (rows*cols unsigned bytes, row-major) into {@code dst} at {@code dstOff}. */
    public void copyRawImage(int index, byte[] dst, int dstOff) {
        checkIndex(index);
        System.arraycopy(pixels, index * imageBytes(), dst, dstOff, imageBytes());
    }

    /**
     * Writes image {@code index} as network input: (outputHeight, outputWidth) floats at {@code dstOff},
     * scaled and padded as {@code format} says.
     */
    public void writeImage(int index, ImageFormat format, float[] dst, int dstOff) {
        checkIndex(index);
        format.write(pixels, index * imageBytes(), rows, cols, dst, dstOff);
    }

    /** The indices 0..size()-1 in order, e.g. to batch the whole set. */
    public int[] allIndices() {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        return all;
    }

    @Override
    public String toString() {
        return "ImageSet[" + name + ", " + size + " images of " + rows + "x" + cols + ", " + numClasses + " classes]";
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("image index " + index + " outside 0.." + (size - 1) + " of " + name);
        }
    }
}
