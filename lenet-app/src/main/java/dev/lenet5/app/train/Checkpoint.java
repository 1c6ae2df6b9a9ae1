package dev.lenet5.app.train;

import dev.lenet5.app.TrainConfig;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.Tensor;
import dev.lenet5.nn.io.SafeTensors;
import dev.lenet5.nn.io.SafeTensorsException;
import dev.lenet5.nn.io.StateDict;
import dev.lenet5.nn.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code checkpoint.safetensors}: the weights (PyTorch names), the optimiser's state tensors (e.g.
 * {@code adam.m.conv1.weight}) and, as metadata, the completed epoch, the optimiser's step count and the
 * run's settings. Enough to continue a run exactly where it stopped.
 */
public final class Checkpoint {

    public static final String FILE = "checkpoint.safetensors";
    static final String FORMAT = "lenet5-checkpoint-1";

    /** What a checkpoint restores. */
    public record State(TrainConfig config, int epoch, long optimizerSteps) {
    }

    private Checkpoint() {
    }

    public static void save(Path file, LeNet5 model, Optimizer optimizer, TrainConfig config, int epoch) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(StateDict.tensors(model.parameters()));
        tensors.putAll(optimizer.state());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("epoch", Integer.toString(epoch));
        meta.put("optimizer_steps", Long.toString(optimizer.stepCount()));
        meta.putAll(config.toMetadata());
        SafeTensors.write(file, tensors, meta);
    }

    /** Reads only the settings and progress, to build the model and optimiser before {@link #restore}. */
    public static State peek(Path file) throws IOException {
        return state(file, SafeTensors.read(file));
    }

    /** Restores weights and optimiser state from {@code file}; returns the settings and progress. */
    public static State restore(Path file, LeNet5 model, Optimizer optimizer) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        State state = state(file, contents);
        if (!contents.metadata().get("optimizer").equals(optimizer.name())) {
            throw new SafeTensorsException(file + ": the checkpoint was written by " + contents.metadata().get("optimizer")
                    + ", not " + optimizer.name());
        }
        try {
            StateDict.assign(contents.tensors(), model.parameters(), true);
            optimizer.restoreState(state.optimizerSteps(), contents.tensors());
        } catch (IllegalArgumentException e) {
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
