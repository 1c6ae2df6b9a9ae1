package dev.lenet5.app;

import dev.lenet5.nn.io.Checkpoint;
import dev.lenet5.nn.io.SafeTensorsException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that decides what a training run computes. Saved in the checkpoint so that {@code --resume}
 * continues with exactly the settings of the interrupted run, and printed at the start of a run.
 *
 * <p>Threads and kernels are not part of it: they change speed (and, for floating-point sums, the last
 * bits), not the recipe.
 */
public record TrainConfig(int epochs, int batchSize, double lr, String optimizer, double momentum, boolean nesterov,
                          double weightDecay, long seed, int trainImages, int valImages, int testImages,
                          String augment, String schedule, double warmupEpochs, double labelSmoothing, double ema,
                          int augmentEase, boolean validation) {

    /** The seed's settings: 20 epochs of Adam at 1e-3 in batches of 120 on the 54,000 / 6,000 split. */
    public static final int DEFAULT_EPOCHS = 20;
    public static final int DEFAULT_BATCH = 120;
    public static final double DEFAULT_LR = 1e-3;
    public static final long DEFAULT_SEED = 1;
    /** Decay of the weight average that is evaluated and saved; 0 evaluates the last step's weights. */
    public static final double DEFAULT_EMA = 0.999;

    public TrainConfig {
        require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        require(batchSize >= 1, "--batch-size must be at least 1, got " + batchSize);
        require(lr > 0 && Double.isFinite(lr), "--lr must be a positive number, got " + lr);
        require(optimizer.equals("adam") || optimizer.equals("sgd"),
                "--optimizer must be adam or sgd, got '" + optimizer + "'");
        require(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got " + momentum);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay must not be negative, got " + weightDecay);
        require(trainImages >= 0, "--train-images must not be negative, got " + trainImages);
        require(valImages >= 0, "--val-images must not be negative, got " + valImages);
        require(testImages >= 0, "--test-images must not be negative, got " + testImages);
        require(warmupEpochs >= 0 && warmupEpochs < epochs,
                "--warmup must be at least 0 and less than the number of epochs, got " + warmupEpochs);
        require(labelSmoothing >= 0 && labelSmoothing < 1, "--label-smoothing must be in [0, 1), got " + labelSmoothing);
        require(ema >= 0 && ema < 1, "--ema must be in [0, 1), got " + ema);
        require(validation || valImages == 0, "--val-images needs a validation split; drop it or --no-validation");
        // More eased epochs than epochs is allowed (the fade began before the first): a recipe's easing then
        // survives a shorter --epochs.
        require(augmentEase >= 0, "--augment-ease must not be negative, got " + augmentEase);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The same run with a different number of epochs (how a resumed run may be extended). */
    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(newEpochs, batchSize, lr, optimizer, momentum, nesterov, weightDecay, seed, trainImages,
                valImages, testImages, augment, schedule, warmupEpochs, labelSmoothing, ema, augmentEase, validation);
    }

    /** As string metadata for the checkpoint (and {@link #fromMetadata} reads it back). */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("epochs", Integer.toString(epochs));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("lr", Double.toString(lr));
        m.put("optimizer", optimizer);
        m.put("momentum", Double.toString(momentum));
        m.put("nesterov", Boolean.toString(nesterov));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("seed", Long.toString(seed));
        m.put("train_images", Integer.toString(trainImages));
        m.put("val_images", Integer.toString(valImages));
        m.put("test_images", Integer.toString(testImages));
        m.put("augment", augment);
        m.put("schedule", schedule);
        m.put("warmup_epochs", Double.toString(warmupEpochs));
        m.put("label_smoothing", Double.toString(labelSmoothing));
        m.put("ema", Double.toString(ema));
        m.put("augment_ease", Integer.toString(augmentEase));
        m.put("validation", Boolean.toString(validation));
        return m;
    }

    /** The settings with their types, for {@code run.json}: the names of {@link #toMetadata}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("lr", lr);
        m.put("optimizer", optimizer);
        m.put("momentum", momentum);
        m.put("nesterov", nesterov);
        m.put("weight_decay", weightDecay);
        m.put("seed", seed);
        m.put("train_images", trainImages);
        m.put("val_images", valImages);
        m.put("test_images", testImages);
        m.put("augment", augment);
        m.put("schedule", schedule);
        m.put("warmup_epochs", warmupEpochs);
        m.put("label_smoothing", labelSmoothing);
        m.put("ema", ema);
        m.put("augment_ease", augmentEase);
        m.put("validation", validation);
        return m;
    }

    /**
     * The settings a run's checkpoint was written with.
     *
     * @throws SafeTensorsException naming the file if it is not a checkpoint or its settings are missing or malformed
     */
    public static TrainConfig fromCheckpoint(Path file) throws IOException {
        Checkpoint.Metadata metadata = Checkpoint.peek(file);
        try {
            return fromMetadata(metadata.settings());
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file + ": damaged checkpoint metadata: " + e.getMessage());
        }
    }

    /** @throws IllegalArgumentException naming the missing or malformed entry */
    public static TrainConfig fromMetadata(Map<String, String> m) {
        try {
            return new TrainConfig(Integer.parseInt(get(m, "epochs")), Integer.parseInt(get(m, "batch_size")),
                    Double.parseDouble(get(m, "lr")), get(m, "optimizer"), Double.parseDouble(get(m, "momentum")),
                    Boolean.parseBoolean(get(m, "nesterov")), Double.parseDouble(get(m, "weight_decay")),
                    Long.parseLong(get(m, "seed")), Integer.parseInt(get(m, "train_images")),
                    Integer.parseInt(get(m, "val_images")), Integer.parseInt(get(m, "test_images")), get(m, "augment"),
                    get(m, "schedule"), Double.parseDouble(get(m, "warmup_epochs")),
                    Double.parseDouble(get(m, "label_smoothing")), Double.parseDouble(get(m, "ema")),
                    // Checkpoints from before the option trained at full strength to the end.
                    Integer.parseInt(m.getOrDefault("augment_ease", "0")),
                    !m.getOrDefault("validation", "true").equals("false"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed training settings: " + e.getMessage(), e);
        }
    }

    private static String get(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("the training setting '" + key + "' is missing");
        }
        return v;
    }

    /** One line for the run's log. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "epochs=%d batch=%d optimizer=%s lr=%s", epochs, batchSize, optimizer, lr));
        if (optimizer.equals("sgd")) {
            s.append(String.format(Locale.ROOT, " momentum=%g%s", momentum, nesterov ? " nesterov" : ""));
        }
        if (weightDecay > 0) {
            s.append(String.format(Locale.ROOT, " weight_decay=%g", weightDecay));
        }
        s.append(" schedule=").append(schedule);
        if (warmupEpochs > 0) {
            s.append(String.format(Locale.ROOT, " warmup=%g", warmupEpochs));
        }
        s.append(" augment=").append(augment);
        if (augmentEase > 0) {
            s.append(" augment_ease=").append(augmentEase);
        }
        if (labelSmoothing > 0) {
            s.append(String.format(Locale.ROOT, " label_smoothing=%g", labelSmoothing));
        }
        s.append(ema > 0 ? String.format(Locale.ROOT, " ema=%s", ema) : " ema=off");
        s.append(" seed=").append(seed);
        if (!validation) {
            s.append(" validation=none");
        }
        return s.toString();
    }
}
