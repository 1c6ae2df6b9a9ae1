package dev.lenet5.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.app.train.Trainer;
import dev.lenet5.nn.io.Checkpoint;
import dev.lenet5.tensor.kernel.ConvAlgorithm;
import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --conv}: the kernels compute with the algorithm asked for, the reports say what really ran (the scalar
 * kernels have one algorithm), a resumed run keeps its algorithm unless told otherwise, and evaluate accepts it.
 */
class ConvOptionTest {

    private static final String[] SLICE = {"--train-images", "600", "--val-images", "120", "--test-images", "300",
        "--threads", "1", "--seed", "3", "--batch-size", "60"};
    private static final Pattern EVAL_RESULT = Pattern.compile("RESULT test_acc=(\\S+) test_loss=(\\S+) .*");

    @TempDir
    Path tmp;

    private static final boolean SIMD = Kernels.vectorModulePresent();

    /** What the reports must call a run that asked for {@code algorithm} on this JVM's kernels. */
    private static String reported(String algorithm) {
        return SIMD ? algorithm : "reference";
    }

    private static RuntimeOptions runtimeOptions(String... args) {
        CommandLine cli = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        EvaluateCommand command = parsed.subcommand().commandSpec().commandLine().getCommand();
        return command.runtime;
    }

    @Test
    void theOptionReachesTheKernels() {
        RuntimeOptions defaults = runtimeOptions("evaluate", "--model", "m.safetensors");
        assertEquals(ConvAlgorithm.AUTO, defaults.conv(ConvAlgorithm.AUTO));
        assertEquals(ConvAlgorithm.DIRECT, defaults.conv(ConvAlgorithm.DIRECT), "not given: the fallback");
        assertEquals(ConvAlgorithm.AUTO, defaults.kernels().convAlgorithm());
        for (ConvAlgorithm a : ConvAlgorithm.values()) {
            RuntimeOptions given = runtimeOptions("evaluate", "--model", "m.safetensors", "--conv", a.toString().toUpperCase());
            assertEquals(a, given.conv(ConvAlgorithm.DIRECT), "given: it wins over the fallback");
            TensorKernels kernels = given.kernels(ConvAlgorithm.DIRECT);
            assertEquals(SIMD ? a : ConvAlgorithm.AUTO, kernels.convAlgorithm(), kernels.name());
            assertEquals(reported(a.toString()), RuntimeOptions.convReport(kernels));
        }
        TensorKernels scalar = runtimeOptions("evaluate", "--model", "m", "--kernels", "scalar", "--conv", "im2col").kernels();
        assertEquals("reference", RuntimeOptions.convReport(scalar), "the scalar kernels have one algorithm");
    }

    @Test
    void anUnknownAlgorithmIsAUsageError() {
        for (String[] args : new String[][] {{"evaluate", "--model", "m.safetensors", "--conv", "fft"},
            {"train", "--conv", "fft", "--out", tmp.resolve("never").toString()}}) {
            AppRun run = AppRun.of(args);
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().startsWith("error: unknown convolution algorithm 'fft': expected auto, im2col or direct"),
                    run::toString);
        }
    }

    @Test
    void trainReportsTheAlgorithmAndAResumedRunKeepsIt() throws IOException {
        Path dir = tmp.resolve("run");
        AppRun first = AppRun.of(trainArgs(dir, 1, "--conv", "im2col"));
        assertEquals(0, first.exitCode(), first::toString);
        String expected = reported("im2col");
        assertTrue(first.out().lines().findFirst().orElse("").contains("kernels " + Kernels.create("auto").name()
                + ", convolution " + expected + ", "), first.out());
        assertTrue(first.lastLine().contains(" conv=" + expected + " threads=1 "), first.lastLine());
        assertEquals("im2col", setting(dir), "the request is stored, whatever the kernels made of it");

        AppRun resumed = AppRun.of("train", "--resume", dir.toString(), "--epochs", "2", "--threads", "1");
        assertEquals(0, resumed.exitCode(), resumed::toString);
        assertTrue(resumed.out().contains("convolution " + expected + ", "), resumed.out());
        assertTrue(resumed.lastLine().contains(" conv=" + expected + " "), resumed.lastLine());

        AppRun changed = AppRun.of("train", "--resume", dir.toString(), "--epochs", "3", "--threads", "1", "--conv", "direct");
        assertEquals(0, changed.exitCode(), changed::toString);
        assertTrue(changed.lastLine().contains(" conv=" + reported("direct") + " "), changed.lastLine());
        assertEquals("direct", setting(dir));
        assertEquals(ConvAlgorithm.DIRECT, Trainer.convOf(dir.resolve(Trainer.CHECKPOINT_FILE)));

        // evaluate: the default leaves the RESULT line as it was; both algorithms classify the same.
        String model = dir.resolve(Trainer.MODEL_FILE).toString();
        AppRun plain = AppRun.of("evaluate", "--model", model, "--test-images", "300", "--threads", "1");
        assertEquals(0, plain.exitCode(), plain::toString);
        assertFalse(plain.lastLine().contains("conv="), plain.lastLine());
        Matcher auto = EVAL_RESULT.matcher(plain.lastLine());
        assertTrue(auto.matches(), plain.lastLine());
        for (String algorithm : new String[] {"im2col", "direct"}) {
            AppRun eval = AppRun.of("evaluate", "--model", model, "--test-images", "300", "--threads", "1", "--conv", algorithm);
            assertEquals(0, eval.exitCode(), eval::toString);
            assertTrue(eval.lastLine().contains(" conv=" + reported(algorithm) + " "), eval.lastLine());
            Matcher m = EVAL_RESULT.matcher(eval.lastLine());
            assertTrue(m.matches(), eval.lastLine());
            assertEquals(auto.group(1), m.group(1), algorithm + ": the same predictions");
            assertEquals(Double.parseDouble(auto.group(2)), Double.parseDouble(m.group(2)), 2e-4, algorithm);
        }
    }

    private static String setting(Path dir) throws IOException {
        return Checkpoint.peek(dir.resolve(Trainer.CHECKPOINT_FILE)).settings().get(Trainer.CONV_SETTING);
    }

    /** The command line of a one-slice training run in {@code dir}. */
    private static String[] trainArgs(Path dir, int epochs, String... extra) {
        String[] head = {"train", "--epochs", Integer.toString(epochs), "--out", dir.toString()};
        String[] all = new String[head.length + SLICE.length + extra.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(SLICE, 0, all, head.length, SLICE.length);
        System.arraycopy(extra, 0, all, head.length + SLICE.length, extra.length);
        return all;
    }
}
