package dev.lenet5.app.train;

import dev.lenet5.app.TrainConfig;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.Tensor;
import dev.lenet5.nn.io.SafeTensors;
import dev.lenet5.nn.io.SafeTensorsException;
import dev.lenet5.nn.io.StateDict;
import dev.lenet5.nn.optim.Optimizer;
import dev.lenet5.nn.optim.WeightAverage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code checkpoint.safetensors}: the weights (PyTorch names), the optimiser's state tensors (e.g.
 * {@code adam.m.conv1.weight}), the weight average ({@code ema.average.conv1.weight}) if the run keeps one,
 * and, as metadata, the completed epoch, the step counts and the run's settings. Enough to continue a run
 * exactly where it stopped. The weights are the raw, optimised ones, not the average.
 */
public final class Checkpoint {

    public static final String FILE = "checkpoint.safetensors";
    static final String FORMAT = "lenet5-checkpoint-1";

    /** What a checkpoint restores. */
    public record State(TrainConfig config, int epoch, long optimizerSteps) {
    }

    private Checkpoint() {
    }

    /** @param average the run's weight average, or null when it keeps none */
    public static void save(Path file, LeNet5 model, Optimizer optimizer, WeightAverage average, TrainConfig config,
                            int epoch) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(StateDict.tensors(model.parameters()));
        tensors.putAll(optimizer.state());
        if (average != null) {
            tensors.putAll(average.state());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("epoch", Integer.toString(epoch));
        meta.put("optimizer_steps", Long.toString(optimizer.stepCount()));
        meta.put("average_updates", Long.toString(average == null ? 0 : average.updates()));
        meta.putAll(config.toMetadata());
        SafeTensors.write(file, tensors, meta);
    }

    /** Reads only the settings and progress, to build the model and optimiser before {@link #restore}. */
    public static State peek(Path file) throws IOException {
        return state(file, SafeTensors.read(file));
    }

    /** Restores weights, optimiser state and weight average (if not null) from {@code file}. */
    public static State restore(Path file, LeNet5 model, Optimizer optimizer, WeightAverage average) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        State state = state(file, contents);
        if (!contents.metadata().get("optimizer").equals(optimizer.name())) {
            throw new SafeTensorsException(file + ": the checkpoint was written by " + contents.metadata().get("optimizer")
                    + ", not " + optimizer.name());
        }
        try {
            StateDict.assign(contents.tensors(), model.parameters(), true);
            optimizer.restoreState(state.optimizerSteps(), contents.tensors());
            if (average != null) {
                average.restoreState(Long.parseLong(contents.metadata().get("average_updates")), contents.tensors());
            }
        } catch (IllegalArgumentException e) {   // NumberFormatException included
            throw new SafeTensorsException(file + ": " + e.getMessage());
        }
        return state;
    }

    private static State state(Path file, SafeTensors.Contents contents) throws SafeTensorsException {
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new SafeTensorsException(file + ": not a training checkpoint of this program (format "
                    + meta.get("format") + ", expected " + FORMAT + ")");
        }
        try {
            return new State(TrainConfig.fromMetadata(meta), Integer.parseInt(meta.get("epoch")),
                    Long.parseLong(meta.get("optimizer_steps")));
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file + ": damaged checkpoint metadata: " + e.getMessage());
        }
    }
}
