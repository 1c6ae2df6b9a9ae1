package dev.lenet5.mnist.augment;

import dev.lenet5.mnist.IdxArray;
import dev.lenet5.mnist.IdxFormatException;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.mnist.MnistDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Images for the augmentation tests: hand-made ones and the real MNIST training set (loaded once). */
final class TestImages {

    /** The committed MNIST files; tests run in the module directory. */
    static final Path MNIST = Path.of("..", "data", "mnist");

    private static ImageSet train;

    private TestImages() {
    }

    static synchronized ImageSet mnistTrain() {
        if (train == null) {
            try {
                train = MnistDataset.load(MNIST).train();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return train;
    }

    /** One image of (rows, cols) from the given pixel values 0..255, label 0. */
    static ImageSet single(int rows, int cols, int... pixels) throws IdxFormatException {
        if (pixels.length != rows * cols) {
            throw new IllegalArgumentException(pixels.length + " pixels for " + rows + "x" + cols);
        }
        return ImageSet.fromIdx("hand-made", IdxArray.ofUnsignedBytes(bytes(pixels), 1, rows, cols),
                IdxArray.ofUnsignedBytes(new byte[1], 1), 10);
    }

    static byte[] bytes(int... pixels) {
        byte[] b = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            b[i] = (byte) pixels[i];
        }
        return b;
    }

    static int[] unsigned(byte[] bytes) {
        int[] p = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            p[i] = bytes[i] & 0xFF;
        }
        return p;
    }

    /** Sum of the raw pixels of image {@code index} (its "ink"). */
    static long ink(ImageSet set, int index) {
        long sum = 0;
        for (byte b : set.rawImage(index)) {
            sum += b & 0xFF;
        }
        return sum;
    }
}
