package dev.lenet5.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.io.StateDict;
import dev.lenet5.tensor.kernel.ScalarKernels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file option of every command, given a missing file, a directory where a file belongs (or the
 * reverse), an unreadable file, an empty file, a file of the wrong format, or an output location that
 * cannot be written: one sentence naming the path and the problem, exit code 1, and nothing on disk
 * changed (the command fails before it writes, and before it computes for long).
 */
class FileOptionErrorsTest {

    @TempDir
    Path tmp;
    private Fixture f;

    /** The paths a case can use; all but {@code missing} and {@code out} exist before the command runs. */
    static final class Fixture {
        Path missing;
        Path out;
        Path dir;
        Path text;
        Path empty;
        Path underText;
        Path lockedFile;
        Path lockedDir;
        Path noAccessDir;
        Path model;
        Path image;
        Path benchJson;
        Path runWithCheckpointDir;
        Path runWithEmptyCheckpoint;
        Path runWithGarbageCheckpoint;
        Path runWithLockedCheckpoint;
        Path dataWithEmptyFiles;
    }

    @BeforeEach
    void makeFiles() throws IOException {
        f = new Fixture();
        f.missing = tmp.resolve("absent");
        f.out = tmp.resolve("out");
        f.dir = Files.createDirectory(tmp.resolve("a-directory"));
        f.text = Files.writeString(tmp.resolve("notes.txt"), "not what the option wants");
        f.empty = Files.write(tmp.resolve("empty.bin"), new byte[0]);
        f.underText = f.text.resolve("sub");
        f.lockedFile = Files.writeString(tmp.resolve("locked.bin"), "unreadable");
        f.lockedDir = Files.createDirectory(tmp.resolve("read-only-dir"));
        f.noAccessDir = Files.createDirectory(tmp.resolve("no-access-dir"));
        LeNet5 net = new LeNet5(ScalarKernels.INSTANCE, 1);
        f.model = tmp.resolve("model.safetensors");
        StateDict.save(f.model, net.parameters(), Map.of());
        BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 5; y < 23; y++) {
            digit.getRaster().setSample(13, y, 0, 255);
        }
        f.image = tmp.resolve("digit.png");
        ImageIO.write(digit, "png", f.image.toFile());
        try (InputStream in = FileOptionErrorsTest.class.getResourceAsStream("bench-sample-run.json")) {
            f.benchJson = Files.write(tmp.resolve("run.json"), in.readAllBytes());
        }
        f.runWithCheckpointDir = Files.createDirectories(tmp.resolve("run-a").resolve("checkpoint.safetensors")).getParent();
        f.runWithEmptyCheckpoint = Files.createDirectory(tmp.resolve("run-b"));
        Files.write(f.runWithEmptyCheckpoint.resolve("checkpoint.safetensors"), new byte[0]);
        f.runWithGarbageCheckpoint = Files.createDirectory(tmp.resolve("run-c"));
        Files.writeString(f.runWithGarbageCheckpoint.resolve("checkpoint.safetensors"), "garbage");
        f.runWithLockedCheckpoint = Files.createDirectory(tmp.resolve("run-d"));
        Files.writeString(f.runWithLockedCheckpoint.resolve("checkpoint.safetensors"), "locked");
        f.dataWithEmptyFiles = Files.createDirectory(tmp.resolve("empty-data"));
        for (String name : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.write(f.dataWithEmptyFiles.resolve(name), new byte[0]);
        }
        Files.setPosixFilePermissions(f.lockedFile, PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(f.runWithLockedCheckpoint.resolve("checkpoint.safetensors"),
                PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(f.lockedDir, PosixFilePermissions.fromString("r-x------"));
        Files.setPosixFilePermissions(f.noAccessDir, PosixFilePermissions.fromString("---------"));
    }

    @AfterEach
    void unlock() throws IOException {
        Files.setPosixFilePermissions(f.lockedFile, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(f.runWithLockedCheckpoint.resolve("checkpoint.safetensors"),
                PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(f.lockedDir, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(f.noAccessDir, PosixFilePermissions.fromString("rwx------"));
    }

    /** One command line, its exit code and a fragment of its one-sentence error. */
    record Case(Function<Fixture, String[]> args, int exitCode, Function<Fixture, String> fragment, boolean needsPermissions) {
    }

    private static Arguments c(String name, Function<Fixture, String[]> args, Function<Fixture, String> fragment) {
        return Arguments.of(name, new Case(args, 1, fragment, false));
    }

    /** A case about permissions, which do not stop root (tests may run as root): skipped there. */
    private static Arguments locked(String name, Function<Fixture, String[]> args, Function<Fixture, String> fragment) {
        return Arguments.of(name, new Case(args, 1, fragment, true));
    }

    private static String[] a(Object... parts) {
        return Arrays.stream(parts).map(String::valueOf).toArray(String[]::new);
    }

    /** Small settings, so that even a command that fails late fails within seconds. */
    private static String[] train(Object... parts) {
        String[] small = {"train", "--epochs", "1", "--train-images", "60", "--val-images", "60", "--test-images", "60",
            "--batch-size", "20"};
        return Stream.concat(Arrays.stream(small), Arrays.stream(a(parts))).toArray(String[]::new);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // train --data (evaluate shares the option)
                c("train --data missing", x -> train("--data", x.missing, "--out", x.out),
                        x -> "the data directory " + x.missing + " does not exist"),
                c("train --data a file", x -> train("--data", x.text, "--out", x.out),
                        x -> "the data directory " + x.text + " is a file, not a directory"),
                c("train --data empty directory", x -> train("--data", x.dir, "--out", x.out),
                        x -> x.dir + " is missing train-images-idx3-ubyte"),
                c("train --data empty files", x -> train("--data", x.dataWithEmptyFiles, "--out", x.out),
                        x -> x.dataWithEmptyFiles.resolve("train-images-idx3-ubyte.gz") + ": is empty"),
                locked("train --data unreadable", x -> train("--data", x.noAccessDir, "--out", x.out),
                        x -> "cannot read the data directory " + x.noAccessDir + ": permission denied"),
                // train --out
                c("train --out under a file", x -> train("--out", x.underText),
                        x -> "cannot write into --out " + x.underText + ": " + x.text + " is a file, not a directory"),
                c("train --out a file", x -> train("--out", x.text),
                        x -> "cannot write into --out " + x.text + ": it is a file, not a directory"),
                Arguments.of("train --out a file and a bad option", new Case(x -> train("--out", x.text, "--kernels", "gpu"),
                        2, x -> "unknown kernels 'gpu'", false)),
                locked("train --out unwritable", x -> train("--out", x.lockedDir.resolve("run")),
                        x -> "cannot write into --out " + x.lockedDir.resolve("run") + ": permission denied in "
                                + x.lockedDir),
                // train --resume
                c("train --resume missing", x -> a("train", "--resume", x.missing),
                        x -> "the --resume directory " + x.missing + " does not exist"),
                c("train --resume a file", x -> a("train", "--resume", x.text),
                        x -> "the --resume directory " + x.text + " is a file, not a directory"),
                c("train --resume, checkpoint a directory", x -> a("train", "--resume", x.runWithCheckpointDir),
                        x -> "the checkpoint " + x.runWithCheckpointDir.resolve("checkpoint.safetensors")
                                + " is a directory, not a file"),
                c("train --resume, checkpoint empty", x -> a("train", "--resume", x.runWithEmptyCheckpoint),
                        x -> "checkpoint.safetensors: not a valid safetensors file: the file has 0 bytes"),
                c("train --resume, checkpoint garbage", x -> a("train", "--resume", x.runWithGarbageCheckpoint),
                        x -> "checkpoint.safetensors: not a valid safetensors file"),
                locked("train --resume, checkpoint unreadable", x -> a("train", "--resume", x.runWithLockedCheckpoint),
                        x -> "cannot read the checkpoint " + x.runWithLockedCheckpoint.resolve("checkpoint.safetensors")
                                + ": permission denied"),
                // evaluate
                c("evaluate --model missing", x -> a("evaluate", "--model", x.missing),
                        x -> "the model file " + x.missing + " does not exist"),
                c("evaluate --model a directory", x -> a("evaluate", "--model", x.dir),
                        x -> "the model file " + x.dir + " is a directory, not a file"),
                c("evaluate --model empty", x -> a("evaluate", "--model", x.empty),
                        x -> x.empty + ": not a valid safetensors file: the file has 0 bytes"),
                c("evaluate --model wrong format", x -> a("evaluate", "--model", x.text),
                        x -> x.text + ": not a valid safetensors file"),
                locked("evaluate --model unreadable", x -> a("evaluate", "--model", x.lockedFile),
                        x -> "cannot read the model file " + x.lockedFile + ": permission denied"),
                c("evaluate --data a file", x -> a("evaluate", "--model", x.model, "--data", x.text),
                        x -> "the data directory " + x.text + " is a file, not a directory"),
                c("evaluate --out under a file", x -> a("evaluate", "--model", x.model, "--test-images", "20",
                        "--out", x.underText), x -> "cannot write into --out " + x.underText + ": " + x.text
                        + " is a file, not a directory"),
                // predict
                c("predict image missing", x -> a("predict", "--model", x.model, x.missing),
                        x -> "the image " + x.missing + " does not exist"),
                c("predict image a directory", x -> a("predict", "--model", x.model, x.dir),
                        x -> x.dir + ": is a directory, not an image file"),
                c("predict image empty", x -> a("predict", "--model", x.model, x.empty),
                        x -> x.empty + ": the file is empty"),
                c("predict image wrong format", x -> a("predict", "--model", x.model, x.text),
                        x -> x.text + ": not a PNG or JPEG image"),
                locked("predict image unreadable", x -> a("predict", "--model", x.model, x.lockedFile),
                        x -> "permission denied: " + x.lockedFile),
                c("predict --model a directory", x -> a("predict", "--model", x.dir, x.image),
                        x -> "the model file " + x.dir + " is a directory, not a file"),
                c("predict --model empty", x -> a("predict", "--model", x.empty, x.image),
                        x -> x.empty + ": not a valid safetensors file"),
                // bench
                c("bench --from-json missing", x -> a("bench", "--from-json", x.missing),
                        x -> "the JSON file " + x.missing + " does not exist"),
                c("bench --from-json a directory", x -> a("bench", "--from-json", x.dir),
                        x -> "the JSON file " + x.dir + " is a directory, not a file"),
                c("bench --from-json empty", x -> a("bench", "--from-json", x.empty), x -> x.empty + ":"),
                c("bench --from-json wrong format", x -> a("bench", "--from-json", x.text), x -> x.text + ":"),
                locked("bench --from-json unreadable", x -> a("bench", "--from-json", x.lockedFile),
                        x -> "cannot read the JSON file " + x.lockedFile + ": permission denied"),
                c("bench --plot under a file", x -> a("bench", "--from-json", x.benchJson, "--plot",
                        x.underText.resolve("chart.png")), x -> "cannot write --plot " + x.underText.resolve("chart.png")
                        + ": " + x.text + " is a file, not a directory"),
                c("bench --plot a directory", x -> a("bench", "--from-json", x.benchJson, "--plot", x.dir),
                        x -> "cannot write --plot " + x.dir + ": it is a directory"),
                locked("bench --plot unwritable", x -> a("bench", "--from-json", x.benchJson, "--plot",
                        x.lockedDir.resolve("chart.png")), x -> "permission denied in " + x.lockedDir),
                // --include matches nothing: without the check, JMH would fail on that instead, quickly.
                c("bench --json under a file", x -> a("bench", "--include", "NoSuchBenchmark", "--json",
                        x.underText.resolve("r.json")), x -> "cannot write --json " + x.underText.resolve("r.json")
                        + ": " + x.text + " is a file, not a directory"),
                c("bench --json a directory", x -> a("bench", "--include", "NoSuchBenchmark", "--json", x.dir),
                        x -> "cannot write --json " + x.dir + ": it is a directory"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneSentenceAndNothingWritten(String name, Case c) throws IOException {
        if (c.needsPermissions()) {
            assumeFalse(Files.isReadable(f.lockedFile), "running as root: permissions do not stop reads");
        }
        Map<Path, String> before = snapshot();
        AppRun run = AppRun.of(c.args().apply(f));
        String fragment = c.fragment().apply(f);
        assertEquals(c.exitCode(), run.exitCode(), run::toString);
        String[] lines = run.err().strip().split("\\R");
        // A usage error adds a line pointing to --help.
        assertEquals(c.exitCode() == 2 ? 2 : 1, lines.length, () -> "one sentence:\n" + run);
        assertTrue(lines[0].startsWith("error: "), run::toString);
        assertTrue(run.err().contains(fragment), () -> "expected '" + fragment + "' in\n" + run);
        assertFalse(run.err().contains("\tat "), run::toString);
        assertEquals(before, snapshot(), "the files on disk are unchanged");
    }

    private static String fingerprint(byte[] content) {
        return content.length + " bytes, hash " + Arrays.hashCode(content);
    }

    /** Every path under the temporary directory with its content (or "dir"), skipping what cannot be read. */
    private Map<Path, String> snapshot() throws IOException {
        Map<Path, String> files = new TreeMap<>();
        Files.walkFileTree(tmp, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                files.put(dir, "dir");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                files.put(file, Files.isReadable(file) ? fingerprint(Files.readAllBytes(file)) : "unreadable");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                files.put(file, "unreadable");
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }
}
