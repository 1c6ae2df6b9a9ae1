package dev.lenet5.app.train;

import dev.lenet5.app.TrainConfig;
import dev.lenet5.app.report.CurvesPlot;
import dev.lenet5.app.report.EpochMetrics;
import dev.lenet5.app.report.MetricsCsv;
import dev.lenet5.mnist.BatchIterator;
import dev.lenet5.mnist.ImageFormat;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.mnist.MnistDataset;
import dev.lenet5.mnist.Split;
import dev.lenet5.mnist.augment.Augmentation;
import dev.lenet5.mnist.augment.Augmentations;
import dev.lenet5.nn.DataParallel;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.TrainingStep;
import dev.lenet5.nn.io.AtomicFiles;
import dev.lenet5.nn.io.Checkpoint;
import dev.lenet5.nn.io.SafeTensorsException;
import dev.lenet5.nn.io.StateDict;
import dev.lenet5.nn.optim.Adam;
import dev.lenet5.nn.optim.Optimizer;
import dev.lenet5.nn.optim.Sgd;
import dev.lenet5.nn.optim.WeightAverage;
import dev.lenet5.tensor.kernel.ConvAlgorithm;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The training run: epochs of shuffled mini-batches on the training split, a validation pass after each,
 * the files of {@code --out} rewritten (atomically) after each epoch so an interrupted run can be resumed
 * and inspected, and a final pass over the test set with its reports.
 */
public final class Trainer {

    /** The network's input convention as mnist-io's image format: the digits padded to 32x32, in [0,1]. */
    public static final ImageFormat FORMAT = ImageFormat.unitRange(LeNet5.INPUT.padding());
    public static final String MODEL_FILE = "model.safetensors";
    /** Weights, optimiser state, weight average and settings: what {@code --resume} continues from. */
    public static final String CHECKPOINT_FILE = "checkpoint.safetensors";
    public static final String METRICS_FILE = "metrics.csv";
    public static final String CURVES_FILE = "curves.png";
    /** How often {@link #CURVES_FILE} is redrawn during a run, at most (and after its last epoch). */
    static final long PLOT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Settings, versions, kernels, timings and results of the run, written when it ends. */
    public static final String RUN_FILE = "run.json";
    /**
     * The checkpoint setting that holds the convolution algorithm the run asked for. Not part of {@link TrainConfig}
     * (it changes speed and the last bits of sums, not the recipe), but kept so that {@code --resume} continues as
     * the run began unless told otherwise.
     */
    public static final String CONV_SETTING = "conv";
    /** The checkpoint setting that holds the {@code --recipe} the run began with, for the model's provenance. */
    public static final String RECIPE_SETTING = "recipe";

    /** Every file a run writes into its directory. */
    public static final List<String> FILES = List.of(MODEL_FILE, CHECKPOINT_FILE, METRICS_FILE, CURVES_FILE,
            Evaluation.CONFUSION_FILE, Evaluation.MISCLASSIFIED_FILE, RUN_FILE);

    /**
     * What a finished run reports.
     *
     * @param recipe the {@code --recipe} the run began with, or null when its checkpoint predates keeping it
     */
    public record Result(Evaluation test, List<EpochMetrics> history, double trainSeconds, long trainImages,
                         String recipe) {

        public double trainImagesPerSecond() {
            return trainSeconds > 0 ? trainImages / trainSeconds : 0;
        }
    }

    private final TrainConfig config;
    private final MnistDataset data;
    private final TensorKernels kernels;
    private final ConvAlgorithm conv;
    private final int threads;
    private final Path out;
    private final Progress progress;
    private final boolean resume;
    private long plottedAt = System.nanoTime();   // the run's start counts as a drawing: the first waits too
    private final String datasetName;
    private final String program;
    private String recipe;

    /**
     * @param datasetName how plots name the data, e.g. {@code MNIST}
     * @param conv        the convolution algorithm asked for ({@code kernels} already compute with it), saved in
     *                    the checkpoint
     * @param resume      continue the run in {@code out} from its checkpoint instead of starting afresh
     * @param program     the program and its version, e.g. {@code lenet5-java 0.1.0}, for the model's provenance
     * @param recipe      the {@code --recipe} the run began with; ignored on resume, which keeps the run's own
     */
    public Trainer(TrainConfig config, MnistDataset data, String datasetName, TensorKernels kernels, ConvAlgorithm conv,
                   int threads, Path out, Progress progress, boolean resume, String program, String recipe) {
        this.datasetName = datasetName;
        this.program = program;
        this.recipe = recipe;
        this.config = config;
        this.data = data;
        this.kernels = kernels;
        this.conv = conv;
        this.threads = threads;
        this.out = out;
        this.progress = progress;
        this.resume = resume;
    }

    public Result run() throws IOException {
        ImageSet train = data.train();
        ImageSet test = data.test();
        int validation = config.validation()
                ? (int) Math.round(train.size() * ((double) Split.MNIST_VALIDATION_SIZE / 60_000)) : 0;
        Split split = Split.seeded(train.size(), validation, config.seed());
        int[] trainIdx = prefix(split.train(), config.trainImages());
        int[] valIdx = prefix(split.validation(), config.valImages());
        int[] testIdx = prefix(test.allIndices(), config.testImages());

        LeNet5 model = new LeNet5(kernels, config.seed());
        Optimizer optimizer = optimizer(model);
        WeightAverage average = config.ema() > 0 ? new WeightAverage(model.parameters(), kernels, config.ema()) : null;
        List<EpochMetrics> history = new ArrayList<>();
        int firstEpoch = 1;
        for (String file : FILES) {
            // A run killed while writing a file left its temporary file; whatever it held is written again.
            AtomicFiles.deleteLeftovers(out.resolve(file));
        }
        if (resume) {
            Checkpoint.Metadata state = Checkpoint.restore(out.resolve(CHECKPOINT_FILE), model.parameters(), optimizer,
                    average);
            firstEpoch = state.epoch() + 1;
            recipe = state.settings().get(RECIPE_SETTING);
            for (EpochMetrics m : MetricsCsv.read(out.resolve(METRICS_FILE))) {
                if (m.epoch() <= state.epoch()) {
                    history.add(m);
                }
            }
            if (history.size() != state.epoch()) {
                throw new IOException(out.resolve(METRICS_FILE) + " has " + history.size() + " epochs but the checkpoint"
                        + " has " + state.epoch() + ": the run directory is inconsistent");
            }
            progress.message("resuming after epoch " + state.epoch() + " of " + config.epochs()
                    + " (" + state.optimizerSteps() + " optimiser steps done)");
            // The run may have died between the checkpoint and the model written after it.
            saveModel(model, average, state.epoch(), null);
        }

        BatchIterator trainBatches = new BatchIterator(train, trainIdx, config.batchSize(), FORMAT, false);
        Augmentation augmentation = Augmentations.parse(config.augment());
        BatchIterator valBatches = valIdx.length == 0 ? null
                : new BatchIterator(train, valIdx, config.batchSize(), FORMAT, false);
        BatchIterator testBatches = new BatchIterator(test, testIdx, config.batchSize(), FORMAT, false);
        LearningRateSchedule schedule = LearningRateSchedule.parse(config.schedule(), config.lr(), config.epochs(),
                trainBatches.batchesPerEpoch(), config.warmupEpochs());

        progress.message(String.format("data: %d training, %d validation, %d test images (%s)", trainIdx.length,
                valIdx.length, testIdx.length, data.origin()));
        progress.message("settings: " + config.describe().replace("schedule=" + config.schedule(),
                "schedule=" + schedule.describe()) + (config.augment().equals("none") ? "" : " (" + augmentation + ")"));

        try (DataParallel network = new DataParallel(model, threads)) {
            network.setLabelSmoothing(config.labelSmoothing());
            TrainingStep step = new TrainingStep(network, optimizer, average);
            for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
                trainBatches.setTransform(AugmentationEase.at(augmentation, epoch, config.epochs(), config.augmentEase()));
                EpochMetrics m = trainEpoch(step, schedule, trainBatches, valBatches, epoch);
                history.add(m);
                progress.epochDone(m, config.epochs());
                saveEpoch(model, optimizer, average, history, epoch);
            }
            Evaluation result = evaluate(network, average, testBatches);
            // The last epoch's model again, now with its test accuracy in the provenance.
            saveModel(model, average, config.epochs(), result);
            result.writeReports(out, test);
            double trainSeconds = 0;
            long images = 0;
            for (EpochMetrics m : history) {
                trainSeconds += m.seconds();
                images += Math.round(m.seconds() * m.trainImagesPerSecond());
            }
            return new Result(result, List.copyOf(history), trainSeconds, images, recipe);
        }
    }

    private EpochMetrics trainEpoch(TrainingStep step, LearningRateSchedule schedule, BatchIterator batches,
                                    BatchIterator valBatches, int epoch) {
        Optimizer optimizer = step.optimizer();
        progress.epochStarted(epoch, config.epochs(), batches.batchesPerEpoch());
        batches.shuffle(config.seed(), epoch);
        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        int done = 0;
        // Each thread writes (augments) its part of the batch before its forward pass: in parallel, not before it.
        DataParallel.BatchLoader loader = batches::writeImages;
        while (batches.prepare()) {
            int n = batches.count();
            optimizer.setLearningRate(schedule.at(optimizer.stepCount()));
            DataParallel.BatchStats s = step.run(batches.images(), batches.labels(), n, loader);
            lossSum += s.lossSum();
            correct += s.correct();
            seen += n;
            progress.batchDone(++done, lossSum / seen, (double) correct / seen);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (valBatches == null) {
            // NaN is what the metrics file, the plot and run.json (null) know as "not measured".
            return new EpochMetrics(epoch, lossSum / seen, (double) correct / seen, Double.NaN, Double.NaN, seconds,
                    seen / seconds, optimizer.learningRate());
        }
        Evaluation val = evaluate(step.network(), step.average(), valBatches);
        return new EpochMetrics(epoch, lossSum / seen, (double) correct / seen, val.loss(), val.accuracy(), seconds,
                seen / seconds, optimizer.learningRate());
    }

    /** Evaluates the weights the run reports: the average when it keeps one, else the current weights. */
    private static Evaluation evaluate(DataParallel network, WeightAverage average, BatchIterator batches) {
        if (average == null) {
            return Evaluation.run(network, batches);
        }
        average.swap();
        try {
            return Evaluation.run(network, batches);
        } finally {
            average.swap();
        }
    }

    /**
     * Rewrites the run's files after an epoch. The checkpoint is the commit point: the metrics go before it (a
     * resume keeps the rows of the checkpoint's epochs and drops any later one) and the model after it (a resume
     * writes the model again from the checkpoint). So a run killed at any moment has either no checkpoint and no
     * model, and is started again, or a checkpoint from which it resumes; never a model without a checkpoint,
     * which could be neither resumed nor overwritten.
     */
    private void saveEpoch(LeNet5 model, Optimizer optimizer, WeightAverage average, List<EpochMetrics> history,
                           int epoch) throws IOException {
        MetricsCsv.write(out.resolve(METRICS_FILE), history);
        // The curves are redrawn when the last drawing is PLOT_INTERVAL_NANOS old, and after the last epoch: a drawing
        // costs milliseconds (more in a JVM's first, before the drawing code is compiled), which epochs of a second
        // or two need not pay each time.
        if (epoch == config.epochs() || System.nanoTime() - plottedAt >= PLOT_INTERVAL_NANOS) {
            CurvesPlot.write(out.resolve(CURVES_FILE), history, "LeNet-5 on " + datasetName);
            plottedAt = System.nanoTime();
        }
        Map<String, String> settings = new LinkedHashMap<>(config.toMetadata());
        settings.put(CONV_SETTING, conv.toString());
        if (recipe != null) {
            settings.put(RECIPE_SETTING, recipe);
        }
        Checkpoint.save(out.resolve(CHECKPOINT_FILE), model.parameters(), optimizer, average, epoch, settings);
        saveModel(model, average, epoch, null);
    }

    /**
     * The model file: the weights the run reports (the average when it keeps one) after {@code epoch}, with their
     * provenance; {@code test} (the test set's evaluation, after the last epoch) adds the test accuracy.
     */
    private void saveModel(LeNet5 model, WeightAverage average, int epoch, Evaluation test) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(Map.of("epoch", Integer.toString(epoch),
                "network", "lenet5", "weights",
                average == null ? "last step" : "average, decay " + config.ema()));
        meta.putAll(ModelProvenance.of(config, recipe, program, datasetName, test));
        if (average == null) {
            StateDict.save(out.resolve(MODEL_FILE), model.parameters(), meta);
            return;
        }
        average.swap();
        try {
            StateDict.save(out.resolve(MODEL_FILE), model.parameters(), meta);
        } finally {
            average.swap();
        }
    }

    /**
     * The convolution algorithm a run's checkpoint was written with; {@code auto} for checkpoints from before the
     * choice existed.
     *
     * @throws SafeTensorsException naming the file if the setting is not an algorithm
     */
    public static ConvAlgorithm convOf(Path checkpoint) throws IOException {
        String stored = Checkpoint.peek(checkpoint).settings().get(CONV_SETTING);
        if (stored == null) {
            return ConvAlgorithm.AUTO;
        }
        try {
            return ConvAlgorithm.parse(stored);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(checkpoint + ": damaged checkpoint metadata: " + e.getMessage());
        }
    }

    private Optimizer optimizer(LeNet5 model) {
        if (config.optimizer().equals("sgd")) {
            return new Sgd(model.parameters(), kernels, config.lr(), config.momentum(), config.nesterov(),
                    config.weightDecay());
        }
        return new Adam(model.parameters(), kernels, config.lr(), 0.9, 0.999, 1e-8, config.weightDecay());
    }

    /** The first {@code limit} indices, or all when {@code limit} is 0 or larger than the array. */
    static int[] prefix(int[] indices, int limit) {
        return limit == 0 || limit >= indices.length ? indices : Arrays.copyOf(indices, limit);
    }

    public static boolean hasRun(Path dir) {
        return Files.exists(dir.resolve(MODEL_FILE)) || Files.exists(dir.resolve(CHECKPOINT_FILE));
    }
}
