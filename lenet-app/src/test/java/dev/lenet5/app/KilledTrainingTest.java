package dev.lenet5.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.lenet5.app.report.EpochMetrics;
import dev.lenet5.app.report.MetricsCsv;
import dev.lenet5.app.train.Evaluation;
import dev.lenet5.app.train.Trainer;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The program killed (SIGKILL, no chance to clean up) at random moments of training and of writing its files, then
 * continued as a user would: {@code --resume DIR}, or, if it died before its first checkpoint, the same command
 * again. The run must end exactly as an uninterrupted one: the same model and checkpoint bytes, the same metrics
 * and test result, no temporary file left. The killed program runs under umask 022, and every file it wrote must
 * be {@code rw-r--r--}; the continuation runs in this JVM, and its files must have the permissions of any new file.
 *
 * <p>Kill moments: after the k-th temporary file the run creates (each file is written to a temporary file and
 * renamed), immediately or after a random delay, drawn from a seeded {@link Random}. A run of 2 epochs creates 12
 * (per epoch: metrics, curves, checkpoint, model; then the model with its test accuracy, the two test reports and
 * run.json), so k picks the phase: the first epoch, writing any file of any epoch, training a later epoch, testing.
 * The failure message names the seed. The
 * killed program runs in a JVM of its own on one thread with the scalar kernels, which start fastest in a fresh
 * JVM; what is tested (the files and the resume path) does not depend on the kernels, and the bytes are compared
 * with a run in this JVM on the same kernels.
 */
class KilledTrainingTest {

    private static final long SEED = 20_240_613;
    private static final int KILLS_PER_CASE = 2;
    private static final int EPOCHS = 2;
    private static final int TEMPORARIES_PER_RUN = 4 * EPOCHS + 4;
    private static final int MAX_DELAY_MS = 300;
    /** The killed JVM's JIT stops at C1: it starts faster, and the scalar kernels need no C2 to be right. */
    private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1");

    @TempDir
    static Path tmp;
    static Path data;
    static String[] slice;

    @BeforeAll
    static void writeASmallDataSet() throws IOException {
        // The killed program runs the scalar kernels whatever this JVM has: the build's scalar-fallback test run
        // would repeat this one exactly.
        assumeFalse("scalar".equals(System.getProperty("lenet5.expectKernels")),
                "run once per build, in the test run with the Vector API module");
        data = MnistSlice.write(tmp.resolve("mnist"), 1000, 100);
        slice = new String[] {"--data", data.toString(), "--epochs", Integer.toString(EPOCHS), "--train-images", "120",
            "--val-images", "30", "--test-images", "30", "--batch-size", "30", "--seed", "3", "--threads", "1",
            "--kernels", "scalar"};
    }

    static Stream<Arguments> settings() {
        return Stream.of(
                // Also killed, every time, while the first checkpoint is written and while the model after it is: a
                // run then has files but no checkpoint, or a checkpoint but no model, and must be continued either way.
                Arguments.of("default", new String[0], new int[] {3, 4}),
                Arguments.of("schedule", new String[] {"--schedule", "cosine", "--warmup", "1"}, new int[0]),
                Arguments.of("augment", new String[] {"--augment", "affine"}, new int[0]),
                // The resumed epoch must distort at the eased strength an uninterrupted run gives it.
                Arguments.of("augment-ease", new String[] {"--augment", "affine", "--augment-ease", "1"}, new int[0]),
                Arguments.of("sgd-momentum", new String[] {"--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9"},
                        new int[0]),
                Arguments.of("no-ema", new String[] {"--ema", "0"}, new int[0]));
    }

    /** Where a kill lands: once the run has created {@code temporaries} temporary files, plus {@code delayMs}. */
    record KillPoint(String origin, int temporaries, int delayMs) {

        static KillPoint draw(long seed) {
            Random random = new Random(seed);
            int k = 1 + random.nextInt(TEMPORARIES_PER_RUN);
            // Half of the kills land while that file is written, the others somewhere after it.
            int delay = random.nextBoolean() ? 0 : random.nextInt(MAX_DELAY_MS);
            return new KillPoint("kill seed " + seed, k, delay);
        }

        static List<KillPoint> of(String settings, int[] fixed) {
            List<KillPoint> points = new ArrayList<>();
            for (int kill = 0; kill < KILLS_PER_CASE; kill++) {
                points.add(draw(SEED + 31L * settings.hashCode() + kill));
            }
            for (int k : fixed) {
                points.add(new KillPoint("fixed kill", k, 0));
            }
            return points;
        }

        @Override
        public String toString() {
            return origin + ": after temporary file " + temporaries + " of " + TEMPORARIES_PER_RUN + " + " + delayMs
                    + " ms";
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void aRunKilledAtRandomMomentsAndContinuedEndsAsAnUninterruptedRun(String name, String[] options, int[] fixedKills)
            throws Exception {
        String[] train = concat(new String[] {"train"}, concat(slice, options));
        Path straight = tmp.resolve(name + "-uninterrupted");
        AppRun expected = AppRun.of(concat(train, "--out", straight.toString()));
        assertEquals(0, expected.exitCode(), expected::toString);

        List<KillPoint> points = KillPoint.of(name, fixedKills);
        for (int kill = 0; kill < points.size(); kill++) {
            KillPoint point = points.get(kill);
            Path dir = Files.createDirectories(tmp.resolve(name + "-killed-" + kill));
            String killed = killAt(point, dir, concat(train, "--out", dir.toString()));
            String context = name + ", " + point + "; at the kill: " + killed;
            if (ChildJvm.setsUmask()) {
                assertPermissions(dir, "rw-r--r--", context + ": written under umask 022 before the kill");
            }

            AppRun continued = continueRun(dir, train, context);
            assertEquals(0, continued.exitCode(), () -> context + "\n" + continued);
            assertEquals(withoutTimes(expected.lastLine()), withoutTimes(continued.lastLine()), context);
            for (String file : List.of(Trainer.MODEL_FILE, Trainer.CHECKPOINT_FILE, Evaluation.CONFUSION_FILE)) {
                assertEquals(-1, Files.mismatch(straight.resolve(file), dir.resolve(file)),
                        context + ": " + file + " differs from the uninterrupted run's");
            }
            assertEquals(withoutTimes(MetricsCsv.read(straight.resolve(Trainer.METRICS_FILE))),
                    withoutTimes(MetricsCsv.read(dir.resolve(Trainer.METRICS_FILE))), context + ": metrics.csv");
            assertOnlyUsualFiles(dir, context);
        }
    }

    /**
     * Starts the program, kills it at {@code point} (or lets it finish if it ends first) and describes what the
     * directory then held.
     */
    private static String killAt(KillPoint point, Path dir, String... args) throws IOException, InterruptedException {
        Path log = dir.resolveSibling(dir.getFileName() + ".log");
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            Process program = ChildJvm.start(log, FAST_START, args);
            int created = 0;
            while (created < point.temporaries() && program.isAlive()) {
                WatchKey key = watch.poll(5, TimeUnit.MILLISECONDS);
                if (key == null) {
                    continue;
                }
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        fail("lost file events while watching " + dir);
                    }
                    if (event.context().toString().endsWith(".tmp")) {
                        created++;
                    }
                }
                key.reset();
            }
            boolean ended = program.waitFor(point.delayMs(), TimeUnit.MILLISECONDS);
            program.destroyForcibly();
            int exit = program.waitFor();
            if (ended && exit != 0) {
                fail("the run failed before it was killed (exit " + exit + "):\n" + ChildJvm.read(log));
            }
            return (ended ? "it had ended" : "killed after " + created + " temporary files") + ", " + listing(dir);
        }
    }

    /**
     * What a user does next: resume from the checkpoint, or start the same command again if the program died before
     * writing one. In this JVM, which has compiled the kernels already: the killed run is what has to be a fresh JVM.
     */
    private static AppRun continueRun(Path dir, String[] train, String context) {
        AppRun resumed = AppRun.of("train", "--resume", dir.toString(), "--data", data.toString(), "--threads", "1",
                "--kernels", "scalar");
        if (resumed.exitCode() == 0 || Files.exists(dir.resolve(Trainer.CHECKPOINT_FILE))) {
            return resumed;
        }
        assertTrue(resumed.err().contains("cannot resume: ") && resumed.err().contains("does not exist"),
                () -> context + ": resuming without a checkpoint must say so\n" + resumed);
        return AppRun.of(concat(train, "--out", dir.toString()));
    }

    /** The run's files and nothing else (no temporary file left), each with the permissions of any new file. */
    private static void assertOnlyUsualFiles(Path dir, String context) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Trainer.FILES.stream().sorted().toList(), files.map(f -> f.getFileName().toString()).sorted()
                    .toList(), context + ": the files of the run directory");
        }
        if (posix()) {
            Path probe = Files.writeString(tmp.resolve("new-file"), "");
            assertPermissions(dir, PosixFilePermissions.toString(Files.getPosixFilePermissions(probe)), context);
        }
    }

    /** Every file of the run in {@code dir} (those there are) has {@code expected} permissions. */
    private static void assertPermissions(Path dir, String expected, String context) throws IOException {
        if (!posix()) {
            return;
        }
        for (String file : Trainer.FILES) {
            Path f = dir.resolve(file);
            if (Files.exists(f)) {
                assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
                        context + ": permissions of " + file);
            }
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList().toString();
        }
    }

    private static String withoutTimes(String resultLine) {
        return resultLine.replaceAll(" train_s=\\S+ train_img_per_s=\\S+", "");
    }

    /** The metrics without the two columns that measure time. */
    private static List<String> withoutTimes(List<EpochMetrics> rows) {
        List<String> out = new ArrayList<>();
        for (EpochMetrics m : rows) {
            out.add(Arrays.toString(new double[] {m.epoch(), m.trainLoss(), m.trainAccuracy(), m.valLoss(),
                m.valAccuracy(), m.learningRate()}));
        }
        return out;
    }

    private static String[] concat(String[] a, String... b) {
        return TrainEndToEndTest.concat(a, b);
    }
}
