package dev.lenet5.app.serve;

import dev.lenet5.mnist.ImageSet;
import dev.lenet5.mnist.MnistDataset;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** MNIST test digits as a client would send them: redrawn as PNG or JPEG images, or as JSON pixel arrays. */
final class Digits {

    private static ImageSet test;

    private Digits() {
    }

    static synchronized ImageSet test() {
        if (test == null) {
            try {
                test = MnistDataset.load(Path.of("../data/mnist")).test();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return test;
    }

    /** Test digit {@code index} scaled up, dark ink on white paper, off-centre: what a photo or drawing is like. */
    static byte[] image(int index, String format) {
        ImageSet set = test();
        int scale = 3 + index % 4;
        BufferedImage img = new BufferedImage(28 * scale + 60, 28 * scale + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = 255 - set.pixel(index, y, x);
                digit.setRGB(x, y, new Color(v, v, v).getRGB());
            }
        }
        g.drawImage(digit, 10 + index % 40, 5 + index % 20, 28 * scale, 28 * scale, null);
        g.dispose();
        return encode(img, format);
    }

    static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The digit's 784 values in [0,1], ink 1, as MNIST has them. */
    static float[] pixels(int index) {
        float[] p = new float[784];
        for (int i = 0; i < 784; i++) {
            p[i] = test().pixel(index, i / 28, i % 28) / 255f;
        }
        return p;
    }

    static byte[] json(float[] pixels) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < pixels.length; i++) {
            s.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%s", pixels[i]));
        }
        return s.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }
}
