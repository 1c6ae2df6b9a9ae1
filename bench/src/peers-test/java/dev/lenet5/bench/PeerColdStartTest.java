package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.lenet5.mnist.BatchIterator;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.io.Checkpoint;
import dev.lenet5.nn.io.StateDict;
import dev.lenet5.nn.optim.Adam;
import dev.lenet5.tensor.kernel.ScalarKernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's side of the cold-start comparison: its evaluation of one of our model files agrees with our scalar
 * reference's, it trains with the settings of one of our checkpoints, its schedules are ours, and it refuses
 * what it cannot reproduce. Built and run only with the {@code peers} profile.
 */
class PeerColdStartTest {

    private static final Pattern EVAL = Pattern.compile(
            "RESULT test_acc=(\\S+) test_loss=(\\S+) images=(\\d+) eval_s=\\S+ eval_img_per_s=\\d+ engine=pytorch threads=1 jdk=\\d+");
    private static final Pattern TRAIN = Pattern.compile(
            "RESULT test_acc=(\\S+) test_loss=(\\S+) epochs=2 train_s=\\S+ train_img_per_s=\\d+ engine=pytorch threads=1 jdk=\\d+");

    @TempDir
    Path tmp;

    private static String run(String... args) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(0, PeerColdStart.run(args, out));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\\R");
        return lines[lines.length - 1];
    }

    @Test
    void itsEvaluationOfOurModelFileIsOurs() throws IOException {
        LeNet5 ours = new LeNet5(ScalarKernels.INSTANCE, 5);
        Path model = tmp.resolve("model.safetensors");
        StateDict.save(model, ours.parameters(), Map.of());
        String out = run("evaluate", "--model", model.toString(), "--test-images", "700", "--batch-size", "300",
                "--threads", "1");
        Matcher m = EVAL.matcher(lastLine(out));
        assertTrue(m.matches(), out);
        assertEquals("700", m.group(3));

        // Our scalar reference on the same 700 images, in the same batches of 300, 300 and 100.
        ImageSet test = MnistBatches.load().test();
        BatchIterator batches = new BatchIterator(test, java.util.Arrays.copyOf(test.allIndices(), 700), 300,
                PeerColdStart.FORMAT, false);
        double lossSum = 0;
        long correct = 0;
        while (batches.next()) {
            int n = batches.count();
            lossSum += ours.forwardLoss(batches.images(), batches.labels(), n) * n;
            int[] predicted = ours.predictions();
            for (int i = 0; i < n; i++) {
                correct += predicted[i] == batches.labels()[i] ? 1 : 0;
            }
        }
        assertEquals(String.format(java.util.Locale.ROOT, "%.4f", correct / 700.0), m.group(1));
        assertEquals(lossSum / 700, Double.parseDouble(m.group(2)), 2e-4);
    }

    @Test
    void itTrainsWithTheSettingsOfOurCheckpoint() throws IOException {
        Path checkpoint = checkpoint(Map.of());
        String out = run("train", "--like", checkpoint.toString(), "--threads", "1");
        assertTrue(out.contains("epochs=2 batch=60 optimizer=adam lr=0.003 schedule=cosine augment=none seed=4"), out);
        assertTrue(out.contains("epoch 2/2: "), out);
        Matcher m = TRAIN.matcher(lastLine(out));
        assertTrue(m.matches(), out);
        // 40 steps of Adam on 1,200 images: far better than chance (10%, loss ln 10 = 2.30).
        assertTrue(Double.parseDouble(m.group(1)) > 0.5, out);
        assertTrue(Double.parseDouble(m.group(2)) < 2.0, out);
        assertTrue(out.contains("test: loss ") && out.contains("(300 images)"), out);
    }

    @Test
    void itRefusesWhatItCannotReproduce() throws IOException {
        for (Map<String, String> change : java.util.List.of(Map.of("optimizer", "sgd"), Map.of("warmup_epochs", "1.0"),
                Map.of("schedule", "step"), Map.of("weight_decay", "1.0E-4"), Map.of("augment_ease", "5"),
                Map.of("validation", "false"))) {
            Path checkpoint = checkpoint(change);
            PeerColdStart.UsageException e = assertThrows(PeerColdStart.UsageException.class,
                    () -> PeerColdStart.run(new String[] {"train", "--like", checkpoint.toString()}, System.out));
            String key = change.keySet().iterator().next();
            assertTrue(e.getMessage().contains(key.equals("optimizer") ? "Adam" : key.equals("schedule") ? "step" : key),
                    e.getMessage());
        }
        assertThrows(PeerColdStart.UsageException.class, () -> PeerColdStart.run(new String[] {"serve"}, System.out));
        PeerColdStart.UsageException e = assertThrows(PeerColdStart.UsageException.class,
                () -> PeerColdStart.run(new String[] {"evaluate", "--modle", "m"}, System.out));
        assertEquals("unknown option '--modle' for evaluate; expected --batch-size, --model, --test-images, --threads",
                e.getMessage());
        e = assertThrows(PeerColdStart.UsageException.class,
                () -> PeerColdStart.run(new String[] {"evaluate", "--model", "m", "--threads", "0"}, System.out));
        assertEquals("--threads must be a positive whole number, got '0'", e.getMessage());
        assertThrows(IOException.class,
                () -> PeerColdStart.run(new String[] {"evaluate", "--model", tmp.resolve("none").toString()}, System.out));
    }

    @Test
    void itsLabelSmoothingIsOurs() {
        PeerLeNet.startEngine(1);
        LeNet5 ours = new LeNet5(ScalarKernels.INSTANCE, 6);
        int n = 50;
        java.util.Random random = new java.util.Random(6);
        float[] images = new float[n * LeNet5.INPUT_SIZE];
        for (int i = 0; i < images.length; i++) {
            images[i] = random.nextFloat();
        }
        int[] labels = random.ints(n, 0, LeNet5.CLASSES).toArray();
        for (double eps : new double[] {0, 0.1, 0.3}) {
            ours.setLabelSmoothing(eps);
            double expected = ours.forwardLoss(images, labels, n);
            try (PeerLeNet net = new PeerLeNet(ai.djl.training.tracker.Tracker.fixed(1e-3f), n, eps)) {
                net.copyWeightsFrom(ours);
                // the loss a step returns is the one before its update, on the weights just copied
                assertEquals(expected, net.trainStep(net.images(images, n), net.labels(labels, n)), 1e-5,
                        "label smoothing " + eps);
            }
        }
    }

    @Test
    void itsSchedulesAreTheTrainingProgramsOnes() {
        assertEquals(3e-3, PeerColdStart.learningRate("constant", 3e-3, 17, 100));
        assertEquals(3e-3, PeerColdStart.learningRate("cosine", 3e-3, 0, 101), 1e-15);
        assertEquals(1.5e-3, PeerColdStart.learningRate("cosine", 3e-3, 50, 101), 1e-15, "half way, half the rate");
        assertEquals(0, PeerColdStart.learningRate("cosine", 3e-3, 100, 101), 1e-15);
        assertEquals(3e-3 / 25, PeerColdStart.learningRate("onecycle", 3e-3, 0, 11), 1e-15);
        assertEquals(3e-3, PeerColdStart.learningRate("onecycle", 3e-3, 3, 11), 1e-15, "the peak after 30%");
        assertEquals(3e-3 / 25 / 1e4, PeerColdStart.learningRate("onecycle", 3e-3, 10, 11), 1e-18);
    }

    /** A checkpoint as our train writes it after epoch 1 of a small run, its settings changed as given. */
    private Path checkpoint(Map<String, String> change) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("epochs", "2");
        settings.put("batch_size", "60");
        settings.put("lr", "0.003");
        settings.put("optimizer", "adam");
        settings.put("momentum", "0.9");
        settings.put("nesterov", "false");
        settings.put("weight_decay", "0.0");
        settings.put("seed", "4");
        settings.put("train_images", "1200");
        settings.put("val_images", "120");
        settings.put("test_images", "300");
        settings.put("augment", "none");
        settings.put("schedule", "cosine");
        settings.put("warmup_epochs", "0.0");
        settings.put("label_smoothing", "0.0");
        settings.put("ema", "0.0");
        settings.putAll(change);
        LeNet5 model = new LeNet5(ScalarKernels.INSTANCE, 4);
        Adam adam = new Adam(model.parameters(), ScalarKernels.INSTANCE, 3e-3, 0.9, 0.999, 1e-8, 0);
        Path file = tmp.resolve("checkpoint-" + settings.hashCode() + ".safetensors");
        Checkpoint.save(file, model.parameters(), adam, null, 1, settings);
        return file;
    }
}
