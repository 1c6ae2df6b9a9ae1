package dev.lenet5.app;

import dev.lenet5.app.train.LearningRateSchedule;
import dev.lenet5.app.train.Progress;
import dev.lenet5.app.train.Trainer;
import dev.lenet5.mnist.MnistDataset;
import dev.lenet5.nn.io.AtomicFiles;
import dev.lenet5.nn.io.Json;
import dev.lenet5.tensor.kernel.ConvAlgorithm;
import dev.lenet5.mnist.augment.Augmentations;
import dev.lenet5.tensor.kernel.JitWarmUp;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code train}: trains LeNet-5, writes the run's files to {@code --out} and tests on the test set. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Train LeNet-5 (the default command). With no options: the seed's settings, 20 epochs of Adam"
                + " (lr 1e-3, batch 120) on 54,000 training images, validated on 6,000, tested on 10,000."},
        footer = {"", "Writes to --out: model.safetensors (PyTorch state_dict names), checkpoint.safetensors (for"
                + " --resume), metrics.csv, curves.png, misclassified.png, confusion.txt, run.json (settings, versions,"
                + " kernels, timings, results).",
            "The last line of output is a machine-readable RESULT line; with --json, stdout is run.json's document"
                    + " instead."})
final class TrainCommand implements Callable<Integer> {

    /** Options that define the run; taken from the checkpoint on --resume and refused if given again. */
    static final List<String> RECIPE_OPTIONS = List.of("--batch-size", "--lr", "--optimizer", "--momentum", "--nesterov",
            "--weight-decay", "--seed", "--train-images", "--val-images", "--test-images", "--augment", "--schedule",
            "--warmup", "--label-smoothing", "--ema", "--augment-ease", "--no-validation", "--recipe");

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    OutputOptions output;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--recipe", defaultValue = "seed", paramLabel = "seed|best|fast",
            description = "seed: the seed write-up's settings; best: --augment affine+elastic:alpha=20,sigma=4"
                    + " --augment-ease 15 --epochs 60 --batch-size 60 --schedule cosine --lr 3e-3, the most accurate by"
                    + " validation accuracy; fast: --epochs 3 --batch-size 60"
                    + " --schedule onecycle --lr 4e-3 --label-smoothing 0.1 --ema 0.995, 99%% in seconds. Options"
                    + " given explicitly override the recipe's (default: ${DEFAULT-VALUE})")
    String recipe;

    @Option(names = "--epochs", defaultValue = "" + TrainConfig.DEFAULT_EPOCHS, paramLabel = "N",
            description = "epochs to train (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "" + TrainConfig.DEFAULT_BATCH, paramLabel = "N",
            description = "images per optimiser step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "" + TrainConfig.DEFAULT_LR, paramLabel = "RATE",
            description = "learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "adam|sgd",
            description = "adam or sgd (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "M",
            description = "SGD momentum (default: ${DEFAULT-VALUE})")
    double momentum;

    @Option(names = "--nesterov", description = "Nesterov momentum for SGD")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "L2",
            description = "L2 penalty added to the gradients, as PyTorch's weight_decay (default: ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(names = "--schedule", defaultValue = "constant", paramLabel = "KIND",
            description = "learning-rate schedule: constant, step[:every=E,gamma=G], cosine or onecycle"
                    + " (default: ${DEFAULT-VALUE})")
    String schedule;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "EPOCHS",
            description = "linear learning-rate warm-up, in epochs (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--augment", defaultValue = "none", paramLabel = "SPEC",
            description = "data augmentation: none, affine, elastic or affine+elastic, with optional strengths"
                    + " such as affine:rot=10,shift=2 (default: ${DEFAULT-VALUE})")
    String augment;

    @Option(names = "--augment-ease", defaultValue = "0", paramLabel = "EPOCHS",
            description = "over the last EPOCHS epochs the augmentation's strengths fall linearly to none in the last"
                    + " epoch (default: ${DEFAULT-VALUE}: full strength to the end)")
    int augmentEase;

    @Option(names = "--label-smoothing", defaultValue = "0", paramLabel = "EPS",
            description = "label smoothing of the cross-entropy targets (default: ${DEFAULT-VALUE})")
    double labelSmoothing;

    @Option(names = "--ema", defaultValue = "" + TrainConfig.DEFAULT_EMA, paramLabel = "DECAY",
            description = "evaluate and save an exponential moving average of the weights with this decay per step;"
                    + " 0 uses the last step's weights, exactly the seed's procedure (default: ${DEFAULT-VALUE})")
    double ema;

    @Option(names = "--seed", defaultValue = "" + TrainConfig.DEFAULT_SEED, paramLabel = "N",
            description = "seed of the weights, the validation split, the shuffling and the augmentation"
                    + " (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--train-images", defaultValue = "0", paramLabel = "N",
            description = "use only the first N images of the training split (default: 0 = all)")
    int trainImages;

    @Option(names = "--val-images", defaultValue = "0", paramLabel = "N",
            description = "use only the first N images of the validation split (default: 0 = all)")
    int valImages;

    @Option(names = "--no-validation",
            description = "hold no images out: train on all the training images (60,000 for MNIST) and report no"
                    + " validation metrics, e.g. for a final model once the settings are chosen")
    boolean noValidation;

    @Option(names = "--test-images", defaultValue = "0", paramLabel = "N",
            description = "test on only the first N test images (default: 0 = all)")
    int testImages;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write the run's files (default: runs/<date-time>)")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue the interrupted run in DIR from its last completed epoch, with its settings"
                    + " (--epochs may extend it)")
    Path resume;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Instant startedAt = Instant.now();
        PrintWriter messages = output.messages(spec);
        PrintWriter results = output.results(spec);
        TrainConfig config;
        Path dir;
        ConvAlgorithm runConv = ConvAlgorithm.AUTO;
        if (resume != null) {
            List<String> given = RECIPE_OPTIONS.stream().filter(o -> spec.commandLine().getParseResult().hasMatchedOption(o)).toList();
            if (!given.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--resume continues with the interrupted run's settings;"
                        + " remove " + String.join(", ", given));
            }
            if (out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
                throw new ParameterException(spec.commandLine(), "--resume writes into the run's own directory; drop --out"
                        + " or make it the same as --resume");
            }
            dir = resume;
            FileChecks.readableDirectory(dir, "--resume directory");
            Path checkpoint = dir.resolve(Trainer.CHECKPOINT_FILE);
            if (!Files.exists(checkpoint)) {
                throw new java.io.FileNotFoundException("cannot resume: " + checkpoint + " does not exist (a run writes it"
                        + " after its first epoch)");
            }
            FileChecks.readableFile(checkpoint, "checkpoint");
            config = TrainConfig.fromCheckpoint(checkpoint);
            runConv = Trainer.convOf(checkpoint);
            if (spec.commandLine().getParseResult().hasMatchedOption("--epochs")) {
                TrainConfig resumed = config;
                config = Errors.usage(spec, () -> resumed.withEpochs(epochs));
            }
        } else {
            applyRecipe(messages);
            config = Errors.usage(spec, () -> new TrainConfig(epochs, batchSize, lr, optimizer.toLowerCase(Locale.ROOT),
                    momentum, nesterov, weightDecay, seed, trainImages, valImages, testImages, augment, schedule, warmup,
                    labelSmoothing, ema, augmentEase, !noValidation));
            dir = out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            if (Trainer.hasRun(dir)) {
                throw new ParameterException(spec.commandLine(), "the output directory " + dir + " already holds a run;"
                        + " choose another --out, or continue it with --resume " + dir);
            }
        }
        TrainConfig checked = config;
        Errors.usage(spec, () -> Augmentations.parse(checked.augment()));
        Errors.usage(spec, () -> LearningRateSchedule.parse(checked.schedule(), checked.lr(), checked.epochs(), 1,
                checked.warmupEpochs()));
        ConvAlgorithm whenNotGiven = runConv;
        ConvAlgorithm conv = Errors.usage(spec, () -> runtime.conv(whenNotGiven));
        TensorKernels kernels = Errors.usage(spec, () -> runtime.kernels(whenNotGiven));
        int threads = Errors.usage(spec, runtime::threads);
        // Checked before the data loads and an epoch is trained, not when the epoch's files are written.
        FileChecks.writableDirectory(dir, resume != null ? "--resume" : "--out");

        // Under --quiet no bar either: the bar's library draws on the terminal whatever the writer.
        Progress progress = Progress.create(messages, Progress.stdoutIsTerminal() && !output.quiet);
        progress.message(String.format("lenet5-java %s: kernels %s, convolution %s, %d thread%s, JDK %s, out %s",
                Version.projectVersion(), kernels.name(), RuntimeOptions.convReport(kernels), threads,
                threads == 1 ? "" : "s", Runtime.version().feature(), dir));
        MnistDataset dataset;
        // C2 compiles the vector kernels while the data loads, so the first batch runs at full speed.
        try (JitWarmUp warmUp = JitWarmUp.start(kernels, JitWarmUp.Work.TRAINING)) {
            dataset = data.load();
            JitWait.report(warmUp, progress::message);
        }
        HeapTrim.afterLoading();
        Trainer.Result result = new Trainer(config, dataset, data.name(), kernels, conv, threads, dir, progress,
                resume != null, "lenet5-java " + Version.projectVersion(), Recipe.parse(recipe).label()).run();

        messages.println(String.format(Locale.ROOT, "test: loss %.4f, accuracy %.2f%% (%d of %d wrong), %s, %d epochs in %.1f s",
                result.test().loss(), 100 * result.test().accuracy(), result.test().mistakes(), result.test().size(),
                result.test().errorInterval(), config.epochs(), result.trainSeconds()));
        Map<String, Object> run = runDocument(config, result, dir, kernels, threads, startedAt, started);
        AtomicFiles.writeString(dir.resolve(Trainer.RUN_FILE), Json.write(run, true) + "\n");
        messages.println("files: " + dir.toAbsolutePath());
        messages.flush();
        results.println(ResultLine.train(result, config.epochs(), kernels, conv, threads));
        results.flush();
        output.printJson(spec, run);
        return 0;
    }

    /** {@code run.json}: the run's settings, versions, kernels, timings and results. */
    private Map<String, Object> runDocument(TrainConfig config, Trainer.Result result, Path dir, TensorKernels kernels,
                                            int threads, Instant startedAt, long started) {
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("started", startedAt.toString());
        timings.put("wall_seconds", (System.nanoTime() - started) / 1e9);
        timings.put("train_seconds", result.trainSeconds());
        timings.put("train_images_per_second", result.trainImagesPerSecond());
        timings.put("test_seconds", result.test().seconds());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("command", "train");
        run.put("out", dir.toAbsolutePath().toString());
        run.put("resumed", resume != null);
        run.put("recipe", result.recipe());
        run.put("settings", config.toJson());
        run.put("data", data.describe());
        run.put("model", dir.resolve(Trainer.MODEL_FILE).toAbsolutePath().toString());
        run.put("test", JsonReports.evaluation(result.test()));
        run.put("history", JsonReports.epochs(result.history()));
        run.put("timings", timings);
        run.put("runtime", JsonReports.runtime(kernels, threads));
        run.put("program", JsonReports.program());
        return run;
    }

    /** Sets the recipe's options the command line left at their defaults, and says what it set. */
    private void applyRecipe(PrintWriter messages) {
        Recipe r = Errors.usage(spec, () -> Recipe.parse(recipe));
        StringBuilder set = new StringBuilder();
        for (Map.Entry<String, Object> option : r.options().entrySet()) {
            if (!spec.commandLine().getParseResult().hasMatchedOption(option.getKey())) {   // the user's value wins
                spec.findOption(option.getKey()).setValue(option.getValue());
                set.append(' ').append(option.getKey()).append(' ').append(option.getValue());
            }
        }
        if (set.length() > 0) {
            messages.println("recipe " + r.label() + ":" + set);
        }
    }
}
