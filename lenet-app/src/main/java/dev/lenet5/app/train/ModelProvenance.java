package dev.lenet5.app.train;

import dev.lenet5.app.TrainConfig;
import dev.lenet5.nn.LeNet5;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a model file was made, in its safetensors metadata, so that a model found on its own (the one the jar
 * carries, one sent by a colleague) says what it is: the program, the recipe and every training setting, the seed,
 * the epochs, the test accuracy, and the input the network expects. Only what the weights depend on: no times,
 * threads or kernels (those are in {@code run.json}), so a resumed run writes the bytes of an uninterrupted one.
 */
public final class ModelProvenance {

    /** The input convention, in words: what a program must feed the network. */
    public static final String INPUT = String.format(Locale.ROOT, "%dx%d grey image: a %dx%d digit zero-padded by %d"
                    + " pixels on every side, pixels in [0,1] with the ink 1 and the background 0 (a byte / 255), no"
                    + " mean/std normalisation; NCHW float32, shape [N,1,%d,%d]", LeNet5.INPUT.size(), LeNet5.INPUT.size(),
            LeNet5.INPUT.digitSize(), LeNet5.INPUT.digitSize(), LeNet5.INPUT.padding(), LeNet5.INPUT.size(),
            LeNet5.INPUT.size());

    private ModelProvenance() {
    }

    /**
     * The provenance entries of a model file.
     *
     * @param recipe the {@code --recipe} the run began with, or null when unknown (a checkpoint from before it was kept)
     * @param test   the test set's evaluation of these weights, or null before the run has tested them
     */
    static Map<String, String> of(TrainConfig config, String recipe, String program, String data, Evaluation test) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("program", program);
        if (recipe != null) {
            m.put("recipe", recipe);
        }
        m.put("seed", Long.toString(config.seed()));
        m.put("epochs", Integer.toString(config.epochs()));
        m.put("training", config.describe());
        m.put("data", data);
        m.put("input", INPUT);
        m.put("input_shape", String.format(Locale.ROOT, "[%d,%d,%d]", LeNet5.CHANNELS, LeNet5.HEIGHT, LeNet5.WIDTH));
        m.put("input_range", "[0,1]");
        m.put("input_normalization", "none");
        if (test != null) {
            m.put("test_accuracy", String.format(Locale.ROOT, "%.4f", test.accuracy()));
            m.put("test_images", Integer.toString(test.size()));
            m.put("test_error", test.errorInterval().toString());
        }
        return m;
    }
}
