package dev.lenet5.app;

import dev.lenet5.mnist.MnistDataset;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A data directory with the first images of the repository's MNIST files, uncompressed: a program that reads it
 * starts in milliseconds instead of decompressing 70,000 images, for tests that start the program many times.
 */
final class MnistSlice {

    private static final Path MNIST = Path.of("..", "data", "mnist");

    private MnistSlice() {
    }

    /** Writes the first {@code train} training and {@code test} test images and labels into {@code dir}. */
    static Path write(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        copyPrefix(MnistDataset.TRAIN_IMAGES, dir, train);
        copyPrefix(MnistDataset.TRAIN_LABELS, dir, train);
        copyPrefix(MnistDataset.TEST_IMAGES, dir, test);
        copyPrefix(MnistDataset.TEST_LABELS, dir, test);
        return dir;
    }

    /** The IDX header with the item count replaced, then the first {@code count} items. */
    private static void copyPrefix(String name, Path dir, int count) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(MNIST.resolve(name + ".gz"))));
             DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(name)))) {
            int magic = in.readInt();
            int dims = magic & 0xff;
            int stored = in.readInt();
            if (stored < count) {
                throw new IOException(name + " holds " + stored + " items, fewer than " + count);
            }
            out.writeInt(magic);
            out.writeInt(count);
            long itemBytes = 1;
            for (int d = 1; d < dims; d++) {
                int size = in.readInt();
                out.writeInt(size);
                itemBytes *= size;
            }
            copy(in, out, count * itemBytes);
        }
    }

    private static void copy(InputStream in, OutputStream out, long bytes) throws IOException {
        byte[] buffer = new byte[1 << 16];
        for (long left = bytes; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }
}
