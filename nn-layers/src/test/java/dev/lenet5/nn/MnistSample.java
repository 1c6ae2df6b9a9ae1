package dev.lenet5.nn;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The first few MNIST training images, read straight from the gzipped IDX files at the repository root
 * ({@code ../data/mnist/} from the module directory), scaled to [0, 1] and zero-padded from 28x28 to 32x32
 * with two pixels on every side, as the golden batch was prepared. Test scope only: the real loader lives in
 * mnist-io, which nn-layers does not depend on.
 */
public final class MnistSample {

    static final Path DIR = Path.of("..", "data", "mnist");

    public final float[] images;   // (count, 1, 32, 32)
    public final int[] labels;
    public final int count;

    private MnistSample(float[] images, int[] labels, int count) {
        this.images = images;
        this.labels = labels;
        this.count = count;
    }

    static MnistSample firstTraining(int count) throws IOException {
        return read(DIR.resolve("train-images-idx3-ubyte.gz"), DIR.resolve("train-labels-idx1-ubyte.gz"), count);
    }

    /** The first {@code count} of the 10,000 test images, which no training run learns from. */
    public static MnistSample firstTest(int count) throws IOException {
        return read(DIR.resolve("t10k-images-idx3-ubyte.gz"), DIR.resolve("t10k-labels-idx1-ubyte.gz"), count);
    }

    /** Image {@code i} as MNIST's 28x28 digit (the padding removed), row-major in [0, 1]. */
    public float[] digit28(int i) {
        float[] out = new float[28 * 28];
        for (int y = 0; y < 28; y++) {
            System.arraycopy(images, i * 1024 + (y + 2) * 32 + 2, out, y * 28, 28);
        }
        return out;
    }

    static MnistSample read(Path imageFile, Path labelFile, int count) throws IOException {
        float[] images = new float[count * 1024];
        int[] labels = new int[count];
        try (DataInputStream in = open(imageFile)) {
            expect(in.readInt(), 0x00000803, imageFile + ": magic");
            int n = in.readInt();
            expect(in.readInt(), 28, imageFile + ": rows");
            expect(in.readInt(), 28, imageFile + ": columns");
            if (n < count) {
                throw new IOException(imageFile + " holds " + n + " images, fewer than " + count);
            }
            byte[] pixels = new byte[28 * 28];
            for (int i = 0; i < count; i++) {
                in.readFully(pixels);
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        images[i * 1024 + (y + 2) * 32 + x + 2] = (pixels[y * 28 + x] & 0xff) / 255f;
                    }
                }
            }
        }
        try (DataInputStream in = open(labelFile)) {
            expect(in.readInt(), 0x00000801, labelFile + ": magic");
            if (in.readInt() < count) {
                throw new IOException(labelFile + " holds fewer than " + count + " labels");
            }
            for (int i = 0; i < count; i++) {
                labels[i] = in.readUnsignedByte();
            }
        }
        return new MnistSample(images, labels, count);
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
    }

    private static void expect(int actual, int expected, String what) throws IOException {
        if (actual != expected) {
            throw new IOException(what + " is " + actual + ", expected " + expected);
        }
    }
}
