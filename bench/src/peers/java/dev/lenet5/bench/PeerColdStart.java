package dev.lenet5.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ai.djl.engine.Engine;
import ai.djl.training.tracker.Tracker;

import dev.lenet5.mnist.BatchIterator;
import dev.lenet5.mnist.ImageFormat;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.mnist.MnistDataset;
import dev.lenet5.mnist.Split;
import dev.lenet5.mnist.augment.Augmentations;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.io.Checkpoint;
import dev.lenet5.nn.io.SafeTensors;
import dev.lenet5.nn.io.StateDict;
import dev.lenet5.tensor.kernel.ScalarKernels;

/**
 * PyTorch's side of the cold-start comparison ({@code bench/scripts/cold-start.sh}): what our program's
 * {@code evaluate} and {@code train} do, done with DJL's PyTorch engine in a fresh JVM, so a whole process can be
 * timed against ours. The data pipeline is ours (the same IDX reader, split, shuffling, augmentation and batches),
 * so the two differ only in the network's arithmetic.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.lenet5.bench.PeerColdStart engine
 * java -cp bench/target/benchmarks.jar dev.lenet5.bench.PeerColdStart evaluate --model runs/x/model.safetensors
 * java -cp bench/target/benchmarks.jar dev.lenet5.bench.PeerColdStart train --like runs/x/checkpoint.safetensors
 * </pre>
 * <ul>
 *   <li>{@code engine}: starts the engine and names it (a first launch extracts libtorch into DJL's cache).</li>
 *   <li>{@code evaluate --model F [--test-images N] [--batch-size N]}: loads a {@code model.safetensors} written by
 *       our {@code train} (PyTorch's names and layouts) with our reader, and evaluates the test images once, in
 *       batches of our evaluate's size, timing that first pass.</li>
 *   <li>{@code train --like CHECKPOINT}: trains with the settings stored in one of our runs' checkpoints (epochs,
 *       batch size, Adam's learning rate and schedule, seed, split and augmentation), from the same initial weights
 *       as ours, validating after each epoch as ours does, then tests.</li>
 * </ul>
 * Every mode takes {@code --threads N} (PyTorch's intra-op threads; default: the processors). The last line is a
 * RESULT line in our program's form, with {@code engine=pytorch}. Exit codes as ours: 2 for a usage error, 1 for a
 * failure.
 */
public final class PeerColdStart {

    /** Our {@code evaluate}'s batch size (the app's EvaluateCommand.BATCH, which this module cannot see). */
    static final int EVALUATE_BATCH = 500;
    /** The training program's input format: digits padded to 32x32, pixels in [0,1]. */
    static final ImageFormat FORMAT = ImageFormat.unitRange(LeNet5.INPUT.padding());

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "engine", Set.of("--threads"),
            "evaluate", Set.of("--model", "--test-images", "--batch-size", "--threads"),
            "train", Set.of("--like", "--threads"));

    private PeerColdStart() {
    }

    /** A command-line mistake: one sentence, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out);
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            code = 2;
        } catch (IOException | RuntimeException e) {
            System.err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    /** Runs a mode; returns the exit code. */
    static int run(String[] args, PrintStream out) throws IOException {
        if (args.length == 0 || !OPTIONS.containsKey(args[0])) {
            throw new UsageException("expected a mode, engine, evaluate or train, got "
                    + (args.length == 0 ? "nothing" : "'" + args[0] + "'"));
        }
        Map<String, String> options = options(args[0], Arrays.asList(args).subList(1, args.length));
        int threads = positive(options, "--threads", Runtime.getRuntime().availableProcessors());
        switch (args[0]) {
            case "engine" -> out.println(engine(threads));
            case "evaluate" -> evaluate(options, threads, out);
            default -> train(options, threads, out);
        }
        return 0;
    }

    /** {@code --key value} pairs, each key one the mode knows. */
    static Map<String, String> options(String mode, List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String key = args.get(i);
            if (!OPTIONS.get(mode).contains(key)) {
                throw new UsageException("unknown option '" + key + "' for " + mode + "; expected "
                        + String.join(", ", OPTIONS.get(mode).stream().sorted().toList()));
            }
            if (i + 1 >= args.size()) {
                throw new UsageException(key + " needs a value");
            }
            options.put(key, args.get(i + 1));
        }
        return options;
    }

    private static int positive(Map<String, String> options, String key, int fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the sentence below says what is wrong
        }
        throw new UsageException(key + " must be a positive whole number, got '" + v + "'");
    }

    private static String required(Map<String, String> options, String key) {
        String v = options.get(key);
        if (v == null) {
            throw new UsageException("missing " + key);
        }
        return v;
    }

    /** Starts the engine; {@code PyTorch 2.7.1 (DJL 0.36.0), 2 threads}. */
    private static String engine(int threads) {
        Engine engine = PeerLeNet.startEngine(threads);
        return engine.getEngineName() + " " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + "), " + threads
                + " thread" + (threads == 1 ? "" : "s");
    }

    private static void evaluate(Map<String, String> options, int threads, PrintStream out) throws IOException {
        Path file = Path.of(required(options, "--model"));
        int batch = positive(options, "--batch-size", EVALUATE_BATCH);
        int testImages = positive(options, "--test-images", Integer.MAX_VALUE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("the model file " + file + " does not exist");
        }
        LeNet5 ours = new LeNet5(ScalarKernels.INSTANCE, 0);
        SafeTensors.Contents contents = SafeTensors.read(file);
        StateDict.assign(contents.tensors(), ours.parameters(), Checkpoint.isCheckpoint(contents.metadata()));
        String engine = engine(threads);
        ImageSet test = MnistBatches.load().test();
        int[] indices = prefix(test.allIndices(), testImages);
        BatchIterator batches = new BatchIterator(test, indices, Math.min(batch, indices.length), FORMAT, false);
        try (PeerLeNet net = new PeerLeNet(Tracker.fixed(1e-3f), batches.batchSize())) {
            net.copyWeightsFrom(ours);
            long start = System.nanoTime();
            PeerLeNet.Pass pass = net.evaluate(batches);
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "%s: %s on MNIST (%d images, batches of %d): loss %.4f, accuracy %.2f%%, first pass"
                    + " %.2f s%n", engine, file, pass.images(), batches.batchSize(), pass.loss(), 100 * pass.accuracy(),
                    seconds);
            out.printf(Locale.ROOT, "RESULT test_acc=%.4f test_loss=%.4f images=%d eval_s=%.2f eval_img_per_s=%.0f"
                    + " engine=pytorch threads=%d jdk=%d%n", pass.accuracy(), pass.loss(), pass.images(), seconds,
                    pass.images() / Math.max(seconds, 1e-9), threads, Runtime.version().feature());
        }
    }

    /** What PyTorch's side needs of a run's settings, read from the checkpoint our train wrote. */
    record Settings(int epochs, int batchSize, double lr, String schedule, long seed, int trainImages, int valImages,
                    int testImages, String augment, double ema, double labelSmoothing) {

        /**
         * @throws UsageException naming the setting this side cannot reproduce (another optimiser, warm-up, weight
         *                        decay, a step schedule)
         */
        static Settings of(Map<String, String> s, Path from) {
            try {
                if (!get(s, "optimizer", from).equals("adam")) {
                    throw new UsageException(from + ": the PyTorch side trains with Adam only, the run used "
                            + get(s, "optimizer", from));
                }
                for (String zero : List.of("warmup_epochs", "weight_decay")) {
                    if (Double.parseDouble(get(s, zero, from)) != 0) {
                        throw new UsageException(from + ": the PyTorch side trains without " + zero + ", the run has "
                                + get(s, zero, from));
                    }
                }
                // Absent from checkpoints of before the options: then off.
                if (Integer.parseInt(s.getOrDefault("augment_ease", "0")) != 0) {
                    throw new UsageException(from + ": the PyTorch side trains without augment_ease, the run has "
                            + s.get("augment_ease"));
                }
                if (s.getOrDefault("validation", "true").equals("false")) {
                    throw new UsageException(from + ": the PyTorch side holds the validation split out, the run"
                            + " trained with --no-validation");
                }
                String schedule = get(s, "schedule", from).trim().toLowerCase(Locale.ROOT);
                if (!List.of("constant", "cosine", "onecycle").contains(schedule)) {
                    throw new UsageException(from + ": the PyTorch side follows the constant, cosine and onecycle"
                            + " schedules, not '" + schedule + "'");
                }
                return new Settings(Integer.parseInt(get(s, "epochs", from)), Integer.parseInt(get(s, "batch_size", from)),
                        Double.parseDouble(get(s, "lr", from)), schedule, Long.parseLong(get(s, "seed", from)),
                        Integer.parseInt(get(s, "train_images", from)), Integer.parseInt(get(s, "val_images", from)),
                        Integer.parseInt(get(s, "test_images", from)), get(s, "augment", from),
                        Double.parseDouble(get(s, "ema", from)), Double.parseDouble(get(s, "label_smoothing", from)));
            } catch (NumberFormatException e) {
                throw new UsageException(from + ": a malformed training setting: " + e.getMessage());
            }
        }

        private static String get(Map<String, String> s, String key, Path from) {
            String v = s.get(key);
            if (v == null) {
                throw new UsageException(from + " holds no training setting '" + key + "': not a checkpoint of our train");
            }
            return v;
        }

        String describe() {
            return String.format(Locale.ROOT, "epochs=%d batch=%d optimizer=adam lr=%s schedule=%s augment=%s seed=%d%s",
                    epochs, batchSize, lr, schedule, augment, seed, ema > 0 ? " (our run's weight average, ema=" + ema
                            + ", has no counterpart here: the last weights are tested)" : "");
        }
    }

    private static void train(Map<String, String> options, int threads, PrintStream out) throws IOException {
        Path like = Path.of(required(options, "--like"));
        if (!Files.isRegularFile(like)) {
            throw new IOException("the checkpoint " + like + " does not exist");
        }
        Settings s = Settings.of(Checkpoint.peek(like).settings(), like);
        String engine = engine(threads);
        out.println(engine + ": " + s.describe());
        MnistDataset data = MnistBatches.load();
        ImageSet train = data.train();
        // The training program's split and slices (Trainer.run), so both train on the same images.
        int validation = (int) Math.round(train.size() * ((double) Split.MNIST_VALIDATION_SIZE / 60_000));
        Split split = Split.seeded(train.size(), validation, s.seed());
        BatchIterator trainBatches = new BatchIterator(train, prefix(split.train(), s.trainImages()), s.batchSize(),
                FORMAT, false);
        trainBatches.setTransform(Augmentations.parse(s.augment()));
        BatchIterator valBatches = new BatchIterator(train, prefix(split.validation(), s.valImages()), s.batchSize(),
                FORMAT, false);
        BatchIterator testBatches = new BatchIterator(data.test(), prefix(data.test().allIndices(), s.testImages()),
                s.batchSize(), FORMAT, false);
        long steps = (long) s.epochs() * trainBatches.batchesPerEpoch();
        // DJL numbers Adam's updates from 1; the schedule's steps count from 0.
        Tracker rate = update -> (float) learningRate(s.schedule(), s.lr(), update - 1, steps);
        try (PeerLeNet net = new PeerLeNet(rate, s.batchSize(), s.labelSmoothing())) {
            net.copyWeightsFrom(new LeNet5(ScalarKernels.INSTANCE, s.seed()));   // our initial weights for this seed
            double trainSeconds = 0;
            long images = 0;
            for (int epoch = 1; epoch <= s.epochs(); epoch++) {
                trainBatches.shuffle(s.seed(), epoch);
                long start = System.nanoTime();
                double lossSum = 0;
                int seen = 0;
                while (trainBatches.next()) {
                    lossSum += net.trainStep(trainBatches) * (double) trainBatches.count();
                    seen += trainBatches.count();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                trainSeconds += seconds;
                images += seen;
                PeerLeNet.Pass val = net.evaluate(valBatches);
                out.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f, val loss %.4f, val acc %.2f%%, %.1f s (%.0f img/s)%n",
                        epoch, s.epochs(), lossSum / seen, val.loss(), 100 * val.accuracy(), seconds, seen / seconds);
            }
            PeerLeNet.Pass test = net.evaluate(testBatches);
            out.printf(Locale.ROOT, "test: loss %.4f, accuracy %.2f%% (%d images), %d epochs in %.1f s%n", test.loss(),
                    100 * test.accuracy(), test.images(), s.epochs(), trainSeconds);
            out.printf(Locale.ROOT, "RESULT test_acc=%.4f test_loss=%.4f epochs=%d train_s=%.1f train_img_per_s=%.0f"
                    + " engine=pytorch threads=%d jdk=%d%n", test.accuracy(), test.loss(), s.epochs(), trainSeconds,
                    images / Math.max(trainSeconds, 1e-9), threads, Runtime.version().feature());
        }
    }

    /**
     * The learning rate of 0-based step {@code step} of {@code steps}, as the training program's schedules give it
     * (the app's LearningRateSchedule, which this module cannot see): constant; cosine from the base to 0 over the
     * run; onecycle, PyTorch's OneCycleLR defaults (cosine up from base/25 over the first 30% of the steps, then down
     * to base/25/10^4).
     */
    static double learningRate(String schedule, double base, long step, long steps) {
        double progress = steps <= 1 ? 0 : (double) step / (steps - 1);
        return switch (schedule) {
            case "constant" -> base;
            case "cosine" -> base * 0.5 * (1 + Math.cos(Math.PI * progress));
            case "onecycle" -> {
                double start = base / 25;
                double end = start / 1e4;
                yield progress <= 0.3 ? cosineBetween(start, base, progress / 0.3)
                        : cosineBetween(base, end, (progress - 0.3) / 0.7);
            }
            default -> throw new IllegalArgumentException("unknown schedule '" + schedule + "'");
        };
    }

    private static double cosineBetween(double a, double b, double t) {
        return b + (a - b) * 0.5 * (1 + Math.cos(Math.PI * t));
    }

    /** The first {@code limit} indices, or all when {@code limit} is 0 or at least their number. */
    private static int[] prefix(int[] indices, int limit) {
        return limit == 0 || limit >= indices.length ? indices : Arrays.copyOf(indices, limit);
    }
}
