package dev.lenet5.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.app.report.EpochMetrics;
import dev.lenet5.app.report.ErrorInterval;
import dev.lenet5.app.report.MetricsCsv;
import dev.lenet5.app.train.Trainer;
import dev.lenet5.nn.Tensor;
import dev.lenet5.nn.io.Checkpoint;
import dev.lenet5.nn.io.SafeTensors;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains on a small slice of MNIST (3,000 images, 2 epochs) through the command line entry point and
 * checks the result and every output file. The slice keeps the test to seconds on either kernel set.
 */
class TrainEndToEndTest {

    static final String[] SLICE = {"--train-images", "3000", "--val-images", "500", "--test-images", "1000",
        "--threads", "2", "--seed", "7", "--batch-size", "30"};
    static final Pattern RESULT = Pattern.compile("RESULT test_acc=(\\d\\.\\d{4}) test_loss=(\\d+\\.\\d{4}) epochs=(\\d+)"
            + " train_s=(\\d+\\.\\d) train_img_per_s=(\\d+) kernels=(scalar|simd-\\d+) threads=(\\d+) jdk=(\\d+)");

    @TempDir
    static Path tmp;
    static Path run;
    static AppRun trained;

    @BeforeAll
    static void trainOnASlice() {
        run = tmp.resolve("run");
        trained = AppRun.of(concat(new String[] {"train", "--epochs", "2", "--out", run.toString()}, SLICE));
    }

    static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void trainingLearnsAndEndsWithTheResultLine() {
        assertEquals(0, trained.exitCode(), trained::toString);
        Matcher m = RESULT.matcher(trained.lastLine());
        assertTrue(m.matches(), "last line: " + trained.lastLine());
        double acc = Double.parseDouble(m.group(1));
        // An untrained network is right about 10% of the time; 3,000 images for 2 epochs give well over 85%.
        assertTrue(acc > 0.85, "test accuracy " + acc);
        assertEquals("2", m.group(3));
        assertEquals(expectedKernels(), m.group(6), "the kernels this test run is meant to train on");
        assertEquals("2", m.group(7));
        assertEquals(Integer.toString(Runtime.version().feature()), m.group(8));
        assertTrue(trained.out().contains("epoch 2/2"), trained.out());
        // The test line states how well 1,000 images pin the error down, consistent with the RESULT line.
        int wrong = (int) Math.round((1 - acc) * 1000);
        assertTrue(trained.out().contains(ErrorInterval.wilson(wrong, 1000).toString()), trained.out());
    }

    @Test
    void everyOutputFileExistsAndParses() throws IOException {
        List<EpochMetrics> rows = MetricsCsv.read(run.resolve("metrics.csv"));
        assertEquals(2, rows.size());
        assertEquals(1, rows.get(0).epoch());
        assertTrue(rows.get(1).trainLoss() < rows.get(0).trainLoss(), "training loss falls: " + rows);

        for (String png : List.of("curves.png", "misclassified.png")) {
            BufferedImage img = ImageIO.read(run.resolve(png).toFile());
            assertNotNull(img, png + " decodes");
            assertTrue(img.getWidth() > 100 && img.getHeight() > 50, png);
        }

        SafeTensors.Contents model = SafeTensors.read(run.resolve("model.safetensors"));
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
                "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"), List.copyOf(model.tensors().keySet()));
        assertArrayEquals(new int[] {16, 6, 5, 5}, model.tensor("conv2.weight").shape());

        Map<String, Tensor> checkpoint = SafeTensors.read(run.resolve(Trainer.CHECKPOINT_FILE)).tensors();
        assertTrue(checkpoint.containsKey("adam.m.fc1.weight"), checkpoint.keySet().toString());
        assertEquals(2, Checkpoint.peek(run.resolve(Trainer.CHECKPOINT_FILE)).epoch());

        String confusion = Files.readString(run.resolve("confusion.txt"));
        assertTrue(confusion.contains("precision  recall      f1"), confusion);
        assertTrue(confusion.contains("of 1000)"), confusion);
        // Written like any new file of the user: no temporary file left, the umask's permissions (not 0600).
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Set<PosixFilePermission> usual = posix ? Files.getPosixFilePermissions(Files.writeString(tmp.resolve("new"), ""))
                : Set.of();
        try (var files = Files.list(run)) {
            for (Path file : files.toList()) {
                assertFalse(file.getFileName().toString().endsWith(".tmp"), "temporary file left: " + file);
                if (posix) {
                    assertEquals(usual, Files.getPosixFilePermissions(file), file.toString());
                }
            }
        }
    }

    @Test
    void evaluateReproducesTheTestAccuracyOfTraining() {
        AppRun eval = AppRun.of("evaluate", "--model", run.resolve("model.safetensors").toString(), "--test-images",
                "1000", "--threads", "1");
        assertEquals(0, eval.exitCode(), eval::toString);
        Matcher train = RESULT.matcher(trained.lastLine());
        assertTrue(train.matches());
        Matcher ev = Pattern.compile("RESULT test_acc=(\\S+) test_loss=(\\S+) images=1000 .*").matcher(eval.lastLine());
        assertTrue(ev.matches(), eval.lastLine());
        // Other batch size and thread count: the same predictions, the loss equal up to float rounding.
        assertEquals(train.group(1), ev.group(1));
        assertEquals(Double.parseDouble(train.group(2)), Double.parseDouble(ev.group(2)), 2e-4);
        assertTrue(eval.lastLine().contains(" kernels=" + expectedKernels() + " "), eval.lastLine());
    }

    /** {@code --kernels} decides, and the RESULT line says what ran; SIMD without the module is a usage error. */
    @Test
    void theKernelsOptionChoosesTheKernelsTheResultLineNames() {
        String model = run.resolve("model.safetensors").toString();
        AppRun scalar = AppRun.of("evaluate", "--model", model, "--test-images", "100", "--threads", "1",
                "--kernels", "scalar");
        assertEquals(0, scalar.exitCode(), scalar::toString);
        assertTrue(scalar.lastLine().contains(" kernels=scalar "), scalar.lastLine());

        AppRun simd = AppRun.of("evaluate", "--model", model, "--test-images", "100", "--threads", "1",
                "--kernels", "simd");
        if (preferredVectorBits() > 0) {
            assertEquals(0, simd.exitCode(), simd::toString);
            assertTrue(simd.lastLine().contains(" kernels=simd-" + preferredVectorBits() + " "), simd.lastLine());
            Pattern accuracyAndLoss = Pattern.compile("RESULT test_acc=(\\S+) test_loss=(\\S+) .*");
            Matcher s = accuracyAndLoss.matcher(scalar.lastLine());
            Matcher v = accuracyAndLoss.matcher(simd.lastLine());
            assertTrue(s.matches() && v.matches(), scalar.lastLine() + "\n" + simd.lastLine());
            assertEquals(s.group(1), v.group(1), "the same predictions on either kernels");
            assertEquals(Double.parseDouble(s.group(2)), Double.parseDouble(v.group(2)), 2e-4);
        } else {
            assertEquals(Main.EXIT_USAGE, simd.exitCode(), simd::toString);
            assertTrue(simd.err().contains("--add-modules jdk.incubator.vector"), simd.err());
        }
    }

    /**
     * The kernels {@code auto} must choose in this test run: the build runs the tests with the Vector API module
     * ({@code -Dlenet5.expectKernels=simd}: SIMD at the CPU's preferred width) and without it ({@code scalar}).
     */
    static String expectedKernels() {
        String expected = System.getProperty("lenet5.expectKernels",
                ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "simd" : "scalar");
        if (expected.equals("simd")) {
            assertTrue(preferredVectorBits() >= 128, "this run should have the Vector API at 128 bits or more");
            return "simd-" + preferredVectorBits();
        }
        return expected;
    }

    /**
     * The Vector API's preferred width in bits, read from the API itself rather than from the program's choice; 0
     * without the module.
     */
    static int preferredVectorBits() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return 0;
        }
        try {
            Object species = Class.forName("jdk.incubator.vector.FloatVector").getField("SPECIES_PREFERRED").get(null);
            return (int) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize").invoke(species);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read the Vector API's preferred species", e);
        }
    }

    /**
     * A run resumed after epoch 1 ends with the files of the uninterrupted run, byte for byte; and a run in another
     * JVM writes the bytes of one in this JVM, though a JVM run changes what the program does not fix, such as the
     * iteration order of {@code Map.of} (which once decided the order of the files' metadata).
     */
    @Test
    void aResumedRunAndARunInAnotherJvmWriteTheSameBytes() throws IOException, InterruptedException {
        Path resumed = tmp.resolve("resumed");
        AppRun first = AppRun.of(concat(new String[] {"train", "--epochs", "1", "--out", resumed.toString()}, SLICE));
        assertEquals(0, first.exitCode(), first::toString);
        Path other = tmp.resolve("other-jvm");
        String otherOut = runInAnotherJvm(concat(new String[] {"train", "--epochs", "1", "--out", other.toString()}, SLICE));
        assertTrue(otherOut.contains(first.lastLine().replaceAll(" train_s=.*", "")), otherOut);
        assertSameBytes(resumed, other, MODEL_AND_CHECKPOINT);
        if (ChildJvm.setsUmask() && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            // The other JVM ran under umask 022: every file of its run is readable by all, writable by the user.
            for (String file : Trainer.FILES) {
                assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(other.resolve(file))),
                        file);
            }
        }

        AppRun second = AppRun.of("train", "--resume", resumed.toString(), "--epochs", "2", "--threads", "2");
        assertEquals(0, second.exitCode(), second::toString);
        assertTrue(second.out().contains("resuming after epoch 1 of 2"), second.out());
        Map<String, Tensor> expected = SafeTensors.read(run.resolve("model.safetensors")).tensors();
        Map<String, Tensor> actual = SafeTensors.read(resumed.resolve("model.safetensors")).tensors();
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name).data(), actual.get(name).data(), name + " differs after resume");
        }
        assertEquals(MetricsCsv.read(run.resolve("metrics.csv")).get(1).trainLoss(),
                MetricsCsv.read(resumed.resolve("metrics.csv")).get(1).trainLoss());
        assertEquals(trained.lastLine().replaceAll("train_s=\\S+ train_img_per_s=\\S+ ", ""),
                second.lastLine().replaceAll("train_s=\\S+ train_img_per_s=\\S+ ", ""));
        assertSameBytes(run, resumed, MODEL_AND_CHECKPOINT);
    }

    @Test
    void augmentationEasedToNothingTrainsOnTheImagesAsTheyAre() throws IOException {
        // With as many eased epochs as epochs, the last has no distortion: a one-epoch run is then an unaugmented
        // one, weight for weight, and a run of full strength is not.
        String[] oneEpoch = concat(new String[] {"train", "--epochs", "1"}, SLICE);
        Map<String, Tensor> plain = trainedWeights(oneEpoch, "ease-plain");
        Map<String, Tensor> eased = trainedWeights(concat(oneEpoch, "--augment", "affine", "--augment-ease", "1"),
                "ease-eased");
        Map<String, Tensor> full = trainedWeights(concat(oneEpoch, "--augment", "affine"), "ease-full");
        for (String name : plain.keySet()) {
            assertArrayEquals(plain.get(name).data(), eased.get(name).data(), name);
        }
        assertFalse(java.util.Arrays.equals(plain.get("fc3.bias").data(), full.get("fc3.bias").data()),
                "full-strength distortion changes training");
    }

    @Test
    void withoutValidationEveryTrainingImageIsTrainedOn() throws IOException {
        Path data = MnistSlice.write(tmp.resolve("slice-1000"), 1000, 200);
        Path out = tmp.resolve("no-validation");
        AppRun r = AppRun.of("train", "--data", data.toString(), "--no-validation", "--epochs", "2", "--threads", "1",
                "--batch-size", "50", "--out", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("data: 1000 training, 0 validation, 200 test images"), r.out());
        assertTrue(r.out().contains("(no validation)") && !r.out().contains("val_acc"), r.out());
        assertTrue(RESULT.matcher(r.lastLine()).matches(), r.lastLine());
        for (EpochMetrics m : MetricsCsv.read(out.resolve("metrics.csv"))) {
            assertTrue(Double.isNaN(m.valLoss()) && Double.isNaN(m.valAccuracy()), m.toString());
        }
        assertTrue(Files.readString(out.resolve(Trainer.RUN_FILE)).contains("\"val_acc\": null"));
        assertNotNull(ImageIO.read(out.resolve("curves.png").toFile()));
        assertFalse(TrainConfig.fromCheckpoint(out.resolve(Trainer.CHECKPOINT_FILE)).validation());
        // A resumed run keeps training on every image.
        Path resumed = tmp.resolve("no-validation-resumed");
        assertEquals(0, AppRun.of("train", "--data", data.toString(), "--no-validation", "--epochs", "1", "--threads",
                "1", "--batch-size", "50", "--out", resumed.toString()).exitCode());
        AppRun second = AppRun.of("train", "--data", data.toString(), "--resume", resumed.toString(), "--epochs", "2",
                "--threads", "1");
        assertEquals(0, second.exitCode(), second::toString);
        assertSameBytes(out, resumed, MODEL_AND_CHECKPOINT);
        // With validation, the same data is split 900 / 100.
        AppRun split = AppRun.of("train", "--data", data.toString(), "--epochs", "1", "--threads", "1",
                "--batch-size", "50", "--out", tmp.resolve("validated").toString());
        assertTrue(split.out().contains("data: 900 training, 100 validation, 200 test images"), split.out());
    }

    /**
     * A training run draws both its pictures without the desktop module, the fonts or the charting library: loading
     * them once cost about a second of every run. Checked in a JVM of its own, which logs each class it loads; this
     * JVM has loaded them for the tests' own image decoding.
     */
    @Test
    void trainingDrawsItsPicturesWithoutDesktopOrChartClasses() throws IOException, InterruptedException {
        Path out = tmp.resolve("no-desktop");
        Path log = tmp.resolve("no-desktop.log");
        int exit = ChildJvm.start(log, List.of("-Xlog:class+load"), "train", "--epochs", "1", "--train-images", "600",
                "--val-images", "100", "--test-images", "200", "--threads", "1", "--out", out.toString()).waitFor();
        List<String> loaded = Files.readAllLines(log).stream().filter(l -> l.contains("[class,load] ")).toList();
        assertEquals(0, exit, () -> ChildJvm.read(log));
        assertTrue(Files.size(out.resolve("curves.png")) > 0 && Files.size(out.resolve("misclassified.png")) > 0);
        assertTrue(loaded.stream().anyMatch(l -> l.contains("[class,load] dev.lenet5.app.report.PngEncoder ")),
                "the class loading log names the classes that drew the pictures");
        Pattern desktop = Pattern.compile(
                "\\[class,load] (java\\.awt\\.|sun\\.awt\\.|sun\\.java2d\\.|sun\\.font\\.|javax\\.imageio\\.|org\\.jfree\\.)\\S+");
        List<String> unwanted = loaded.stream().filter(l -> desktop.matcher(l).find()).toList();
        assertTrue(unwanted.isEmpty(), () -> unwanted.size() + " classes a training run should not load, the first: "
                + String.join("\n", unwanted.subList(0, Math.min(10, unwanted.size()))));
    }

    private Map<String, Tensor> trainedWeights(String[] command, String dir) throws IOException {
        Path out = tmp.resolve(dir);
        AppRun r = AppRun.of(concat(command, "--out", out.toString()));
        assertEquals(0, r.exitCode(), r::toString);
        return SafeTensors.read(out.resolve(Trainer.MODEL_FILE)).tensors();
    }

    static final List<String> MODEL_AND_CHECKPOINT = List.of(Trainer.MODEL_FILE, Trainer.CHECKPOINT_FILE);

    static void assertSameBytes(Path expectedDir, Path actualDir, List<String> names) throws IOException {
        for (String name : names) {
            assertEquals(-1, Files.mismatch(expectedDir.resolve(name), actualDir.resolve(name)),
                    name + " of " + actualDir + " differs from " + expectedDir + " (first differing byte)");
        }
    }

    /** Runs the program in a new JVM (see {@link ChildJvm}); returns its output. */
    private static String runInAnotherJvm(String... args) throws IOException, InterruptedException {
        AppRun run = ChildJvm.run(Files.createTempFile(tmp, "other-jvm", ".log"), args);
        assertEquals(0, run.exitCode(), () -> "the other JVM failed:\n" + run.out());
        return run.out();
    }
}
