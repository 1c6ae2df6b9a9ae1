package dev.lenet5.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.app.train.Trainer;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.mnist.MnistDataset;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.io.StateDict;
import dev.lenet5.tensor.kernel.ScalarKernels;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict} on test digits re-drawn the way a user's image might look: scaled up, dark ink on white
 * paper, off-centre in a larger canvas, saved as PNG and JPEG. The preparation must undo all of that.
 */
class PredictTest {

    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void trainAModel() {
        Path run = tmp.resolve("run");
        AppRun trained = AppRun.of("train", "--epochs", "2", "--train-images", "6000", "--val-images", "500",
                "--test-images", "500", "--seed", "3", "--batch-size", "20", "--out", run.toString());
        assertEquals(0, trained.exitCode(), trained::toString);
        model = run.resolve("model.safetensors");
    }

    static BufferedImage redraw(ImageSet set, int index, int scale, int offX, int offY) {
        BufferedImage img = new BufferedImage(28 * scale + 150, 28 * scale + 90, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = 255 - set.pixel(index, y, x);   // dark ink on white
                digit.setRGB(x, y, new Color(v, v, v).getRGB());
            }
        }
        g.drawImage(digit, offX, offY, 28 * scale, 28 * scale, null);
        g.dispose();
        return img;
    }

    /** The model's predictions for MNIST's own 28x28 renderings, padded as in training. */
    static int[] predictOriginals(ImageSet test, int first, int count) throws IOException {
        LeNet5 network = new LeNet5(ScalarKernels.INSTANCE, 0);
        StateDict.load(model, network.parameters());
        float[] batch = new float[count * LeNet5.INPUT_SIZE];
        for (int i = 0; i < count; i++) {
            test.writeImage(first + i, Trainer.FORMAT, batch, i * LeNet5.INPUT_SIZE);
        }
        network.forward(batch, count);
        return network.predictions().clone();
    }

    @Test
    void classifiesRedrawnTestDigits() throws IOException {
        ImageSet test = MnistDataset.load(Path.of("../data/mnist")).test();
        List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString()));
        int[] expected = new int[20];
        for (int i = 0; i < expected.length; i++) {
            int index = 1000 + i;   // images the model did not see during training or testing
            expected[i] = test.label(index);
            BufferedImage img = redraw(test, index, 3 + i % 4, 10 + 7 * i, 5 + 3 * i);
            Path file = tmp.resolve("digit" + i + (i % 2 == 0 ? ".png" : ".jpg"));
            ImageIO.write(img, i % 2 == 0 ? "png" : "jpg", file.toFile());
            args.add(file.toString());
        }
        AppRun run = AppRun.of(args.toArray(new String[0]));
        assertEquals(0, run.exitCode(), run::toString);
        Pattern line = Pattern.compile("\\S+digit(\\d+)\\.(png|jpg): (\\d) \\(p=(\\S+)\\) .*");
        int[] original = predictOriginals(test, 1000, expected.length);
        int right = 0;
        int agree = 0;
        int lines = 0;
        for (String l : run.out().strip().split("\\R")) {
            Matcher m = line.matcher(l);
            assertTrue(m.matches(), l);
            lines++;
            int i = Integer.parseInt(m.group(1));
            int predicted = Integer.parseInt(m.group(3));
            right += predicted == expected[i] ? 1 : 0;
            agree += predicted == original[i] ? 1 : 0;
        }
        assertEquals(expected.length, lines);
        // The small model is about 95% accurate on MNIST's own renderings of these digits; the redrawn ones must
        // be classified about as well, and almost always as the model classifies the originals.
        assertTrue(right >= 17, right + " of 20 right:\n" + run.out());
        assertTrue(agree >= 19, agree + " of 20 agree with the prediction on the original digit:\n" + run.out());
    }
}
