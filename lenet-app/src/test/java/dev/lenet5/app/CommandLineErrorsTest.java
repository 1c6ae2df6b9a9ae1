package dev.lenet5.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lenet5.tensor.kernel.Kernels;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every error gives one clear sentence on stderr, the right exit code, and no stack trace. */
class CommandLineErrorsTest {

    @TempDir
    Path tmp;

    private static void assertError(AppRun run, int code, String fragment) {
        assertEquals(code, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: "), run::toString);
        assertTrue(run.err().contains(fragment), () -> "expected '" + fragment + "' in\n" + run);
        assertFalse(run.err().contains("\tat "), () -> "no stack trace without --verbose:\n" + run);
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        Path out = tmp.resolve("never");
        assertError(AppRun.of("train", "--epochs", "-1", "--out", out.toString()), 2, "--epochs must be at least 1, got -1");
        assertError(AppRun.of("train", "--batch-size", "0", "--out", out.toString()), 2, "--batch-size must be at least 1, got 0");
        assertError(AppRun.of("train", "--lr", "0", "--out", out.toString()), 2, "--lr must be a positive number, got 0.0");
        assertError(AppRun.of("train", "--lr", "-0.1", "--out", out.toString()), 2, "--lr must be a positive number");
        assertError(AppRun.of("train", "--kernels", "gpu", "--out", out.toString()), 2, "unknown kernels 'gpu'");
        assertError(AppRun.of("train", "--threads", "0", "--out", out.toString()), 2, "--threads must be between 1 and 256");
        assertError(AppRun.of("train", "--optimizer", "rmsprop", "--out", out.toString()), 2, "--optimizer must be adam or sgd");
        assertError(AppRun.of("train", "--schedule", "linear", "--out", out.toString()), 2, "unknown schedule 'linear'");
        assertError(AppRun.of("train", "--augment", "affine", "--augment-ease", "-1", "--out", out.toString()), 2,
                "--augment-ease must not be negative, got -1");
        assertError(AppRun.of("train", "--no-validation", "--val-images", "100", "--out", out.toString()), 2,
                "--val-images needs a validation split");
        assertError(AppRun.of("train", "--epochs", "many"), 2, "Invalid value for option '--epochs'");
        assertError(AppRun.of("train", "--no-such-option"), 2, "Unknown option: '--no-such-option'");
        assertFalse(Files.exists(out), "nothing is written for a usage error");
    }

    @Test
    void aVectorWidthOtherThanTheOneThisJvmHasIsAUsageErrorNamingTheFlag() {
        assumeTrue(Kernels.vectorModulePresent(), "the run without the Vector API module has no widths");
        // Loading the vector kernels fixes this JVM's width; 128 bits is then another one, where the CPU has wider.
        int mine = Kernels.create("simd").vectorBitSize();
        assumeTrue(mine > 128, "this JVM's vectors are 128 bits: there is no other width to refuse");
        Path out = tmp.resolve("never");
        assertError(AppRun.of("train", "--kernels", "simd-128", "--out", out.toString()), 2, "-Dlenet5.kernels=simd-128");
        assertFalse(Files.exists(out), "nothing is written for a usage error");
    }

    @Test
    void verbosePrintsTheStackTrace() {
        AppRun run = AppRun.of("evaluate", "--model", tmp.resolve("missing.safetensors").toString(), "--verbose");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("\tat "), run::toString);
    }

    @Test
    void missingDataDirectory() {
        Path missing = tmp.resolve("nowhere");
        assertError(AppRun.of("train", "--data", missing.toString(), "--out", tmp.resolve("o").toString()), 1,
                "the data directory " + missing + " does not exist");
    }

    @Test
    void missingDataFileIsNamed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("partial"));
        Files.copy(Path.of("../data/mnist/train-labels-idx1-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"));
        AppRun run = AppRun.of("train", "--data", dir.toString(), "--out", tmp.resolve("o").toString());
        assertError(run, 1, "train-images-idx3-ubyte");
    }

    @Test
    void corruptDataIsNamed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("corrupt"));
        for (String f : new String[] {"train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.copy(Path.of("../data/mnist", f), dir.resolve(f));
        }
        // A valid gzip stream whose IDX header claims 60,000 images but holds only a few bytes of them.
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte.gz")))) {
            gz.write(new byte[] {0, 0, 8, 3, 0, 0, (byte) 0xEA, 0x60, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3});
        }
        AppRun run = AppRun.of("train", "--data", dir.toString(), "--out", tmp.resolve("o").toString());
        assertError(run, 1, "train-images-idx3-ubyte.gz");
    }

    @Test
    void unreadableModel() throws IOException {
        Path garbage = Files.writeString(tmp.resolve("model.safetensors"), "this is not a model");
        assertError(AppRun.of("evaluate", "--model", garbage.toString()), 1, garbage.toString());
        assertError(AppRun.of("evaluate", "--model", tmp.resolve("absent.safetensors").toString()), 1, "does not exist");
        // Without --model, evaluate takes the bundled model (JsonOutputTest); with it, the option needs its file.
        assertError(AppRun.of("evaluate", "--model"), 2, "Missing required parameter for option '--model'");
    }

    @Test
    void mismatchedModelNamesTheTensor() throws IOException {
        Path file = tmp.resolve("small.safetensors");
        dev.lenet5.nn.io.SafeTensors.write(file, java.util.Map.of("conv1.weight",
                dev.lenet5.nn.Tensor.of(new float[3], 3)));
        AppRun run = AppRun.of("evaluate", "--model", file.toString());
        assertError(run, 1, "conv1.weight");
    }

    @Test
    void anExistingRunIsNeverOverwritten() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("previous"));
        Path model = Files.writeString(dir.resolve("model.safetensors"), "precious");
        assertError(AppRun.of("train", "--out", dir.toString()), 2, "already holds a run");
        assertEquals("precious", Files.readString(model));
    }

    @Test
    void resumeRefusesToChangeTheRecipeAndNeedsACheckpoint() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        assertError(AppRun.of("train", "--resume", dir.toString(), "--lr", "0.1"), 2, "remove --lr");
        assertError(AppRun.of("train", "--resume", dir.toString(), "--augment-ease", "2"), 2, "remove --augment-ease");
        assertError(AppRun.of("train", "--resume", dir.toString(), "--no-validation"), 2, "remove --no-validation");
        assertError(AppRun.of("train", "--resume", dir.toString()), 1, "checkpoint.safetensors does not exist");
    }

    @Test
    void predictNamesAnImageItCannotRead() throws IOException {
        Path text = Files.writeString(tmp.resolve("digit.png"), "not an image");
        Path model = Files.writeString(tmp.resolve("m.safetensors"), "x");
        assertError(AppRun.of("predict", "--model", model.toString(), text.toString()), 1, "digit.png: not a PNG or JPEG image");
    }

    @Test
    void predictRefusesADecompressionBombFromItsHeader() throws IOException {
        Path bomb = Files.write(tmp.resolve("bomb.png"), announcing(30_000, 30_000));
        Path model = Files.writeString(tmp.resolve("m.safetensors"), "x");
        assertError(AppRun.of("predict", "--model", model.toString(), bomb.toString()), 1,
                bomb + ": the image is 30000 x 30000 = 900,000,000 pixels, more than the limit of 16,777,216");
    }

    /**
     * A 1x1 PNG whose header announces {@code width x height} pixels (the full decompression bomb, with all its
     * pixel data, is nn-layers' DigitImagesTest's): the program must refuse it from the header alone.
     */
    private static byte[] announcing(int width, int height) throws IOException {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
                "png", png);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(png.toByteArray());
        // Signature (8), IHDR's length (4) and type (4), then width and height; the chunk's CRC follows its 13 bytes.
        b.putInt(16, width).putInt(20, height);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 12, 4 + 13);
        b.putInt(29, (int) crc.getValue());
        return b.array();
    }

    @Test
    void helpAndVersionSucceed() {
        AppRun help = AppRun.of("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("train") && help.out().contains("predict"), help.out());
        AppRun trainHelp = AppRun.of("train", "--help");
        assertEquals(0, trainHelp.exitCode());
        assertTrue(trainHelp.out().contains("--epochs=N") && trainHelp.out().contains("(default: 20)"), trainHelp.out());
        assertTrue(trainHelp.out().contains("--augment-ease=EPOCHS") && trainHelp.out().contains("fall linearly"),
                trainHelp.out());
        // picocli formats descriptions with String.format and complains on System.err about a stray '%'.
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            for (String command : new String[] {"train", "evaluate", "predict", "bench"}) {
                assertEquals(0, AppRun.of(command, "--help").exitCode(), command);
            }
        } finally {
            System.setErr(err);
        }
        assertEquals("", captured.toString(), "warnings while printing help");
        AppRun version = AppRun.of("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("lenet5-java "), version.out());
    }

    /** A run registers only the command it names; help, 'help COMMAND' and the usage still show every one. */
    @Test
    void helpListsEveryCommandInOrderAndHelpCommandFindsEach() {
        String out = AppRun.of("--help").out();
        int at = -1;
        for (String command : new String[] {"train", "evaluate", "predict", "bench", "serve", "help"}) {
            int next = out.indexOf("\n  " + command + " ");
            assertTrue(next > at, command + " listed after the one before:\n" + out);
            at = next;
        }
        for (String command : new String[] {"train", "evaluate", "predict", "bench", "serve"}) {
            AppRun help = AppRun.of("help", command);
            assertEquals(0, help.exitCode(), command);
            assertTrue(help.out().startsWith("Usage: lenet5 " + command + " "), help.out());
        }
        AppRun unknown = AppRun.of("evaluate", "--epochs", "3");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("--epochs"), unknown.err());
    }
}
