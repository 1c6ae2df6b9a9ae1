package dev.lenet5.nn.io;

import dev.lenet5.nn.Parameter;
import dev.lenet5.nn.Tensor;
import dev.lenet5.nn.optim.Optimizer;
import dev.lenet5.nn.optim.WeightAverage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A training checkpoint: a safetensors file with the parameters (PyTorch's state_dict names, as in a model
 * file, so a checkpoint loads as a model too), the optimiser's state tensors (e.g. {@code adam.m.conv1.weight}),
 * the weight average's ({@code ema.average.conv1.weight}) if the run keeps one, and as metadata the format,
 * the completed epoch, the step counts and the caller's settings (the training program's options, which this
 * class stores without reading). Enough to continue a run exactly where it stopped. The parameters are the
 * raw, optimised ones, not the average.
 *
 * <p>The same state gives the same bytes: the tensors go in parameter, optimiser, average order and the
 * metadata sorted by key ({@link SafeTensors#write}).
 */
public final class Checkpoint {

    public static final String FORMAT = "lenet5-checkpoint-1";
    private static final String FORMAT_KEY = "format";
    private static final String EPOCH = "epoch";
    private static final String OPTIMIZER_STEPS = "optimizer_steps";
    private static final String AVERAGE_UPDATES = "average_updates";
    private static final Set<String> OWN_KEYS = Set.of(FORMAT_KEY, EPOCH, OPTIMIZER_STEPS, AVERAGE_UPDATES);

    /** What a checkpoint holds besides its tensors. */
    public record Metadata(int epoch, long optimizerSteps, long averageUpdates, Map<String, String> settings) {

        public Metadata {
            settings = Map.copyOf(settings);
        }
    }

    private Checkpoint() {
    }

    /** Whether a safetensors file's metadata is a checkpoint's (which loads as a model too, with extra tensors). */
    public static boolean isCheckpoint(Map<String, String> metadata) {
        return FORMAT.equals(metadata.get(FORMAT_KEY));
    }

    /**
     * Writes the checkpoint atomically.
     *
     * @param average  the run's weight average, or null when it keeps none
     * @param epoch    the last completed epoch
     * @param settings what the caller needs to continue the run, given back by {@link #peek} and {@link #restore}
     * @throws IllegalArgumentException if a setting's name is one of the checkpoint's own metadata keys
     *                                  ({@code format}, {@code epoch}, {@code optimizer_steps}, {@code average_updates})
     */
    public static void save(Path file, List<Parameter> parameters, Optimizer optimizer, WeightAverage average, int epoch,
                            Map<String, String> settings) throws IOException {
        for (String key : settings.keySet()) {
            if (OWN_KEYS.contains(key)) {
                throw new IllegalArgumentException("the setting '" + key + "' has the name of a checkpoint's own metadata");
            }
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>(StateDict.tensors(parameters));
        tensors.putAll(optimizer.state());
        if (average != null) {
            tensors.putAll(average.state());
        }
        Map<String, String> meta = new LinkedHashMap<>(settings);
        meta.put(FORMAT_KEY, FORMAT);
        meta.put(EPOCH, Integer.toString(epoch));
        meta.put(OPTIMIZER_STEPS, Long.toString(optimizer.stepCount()));
        meta.put(AVERAGE_UPDATES, Long.toString(average == null ? 0 : average.updates()));
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Reads only the metadata (the settings and progress), e.g. to build the model and optimiser before
     * {@link #restore}.
     *
     * @throws SafeTensorsException naming the file if it is not a checkpoint or its metadata is damaged
     */
    public static Metadata peek(Path file) throws IOException {
        return metadata(file, SafeTensors.read(file));
    }

    /**
     * Restores the parameters, the optimiser's state and the weight average (if not null) from {@code file}.
     *
     * @throws SafeTensorsException naming the file if it is not a checkpoint, another optimiser wrote it, or a
     *                              tensor is missing or misshapen
     */
    public static Metadata restore(Path file, List<Parameter> parameters, Optimizer optimizer, WeightAverage average)
            throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        Metadata metadata = metadata(file, contents);
        Set<String> writers = stateOwners(contents.tensors().keySet(), parameters);
        if (!writers.contains(optimizer.name())) {
            throw new SafeTensorsException(file + ": the checkpoint was written by "
                    + (writers.isEmpty() ? "no optimiser" : String.join(" and ", writers)) + ", not " + optimizer.name());
        }
        try {
            StateDict.assign(contents.tensors(), parameters, true);
            optimizer.restoreState(metadata.optimizerSteps(), contents.tensors());
            if (average != null) {
                average.restoreState(metadata.averageUpdates(), contents.tensors());
            }
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file + ": " + e.getMessage());
        }
        return metadata;
    }

    /** The prefixes ({@code adam}, {@code sgd}) of the state tensors that are neither parameters nor the average. */
    private static Set<String> stateOwners(Set<String> names, List<Parameter> parameters) {
        Set<String> owners = new TreeSet<>();
        for (String name : names) {
            int dot = name.indexOf('.');
            if (dot > 0 && parameters.stream().noneMatch(p -> p.name().equals(name))) {
                owners.add(name.substring(0, dot));
            }
        }
        owners.remove(WeightAverage.NAME);
        return owners;
    }

    private static Metadata metadata(Path file, SafeTensors.Contents contents) throws SafeTensorsException {
        Map<String, String> meta = contents.metadata();
        if (!isCheckpoint(meta)) {
            throw new SafeTensorsException(file + ": not a training checkpoint of this program (format "
                    + meta.get(FORMAT_KEY) + ", expected " + FORMAT + ")");
        }
        Map<String, String> settings = new LinkedHashMap<>(meta);
        settings.keySet().removeAll(OWN_KEYS);
        try {
            return new Metadata(Integer.parseInt(required(meta, EPOCH)), Long.parseLong(required(meta, OPTIMIZER_STEPS)),
                    Long.parseLong(required(meta, AVERAGE_UPDATES)), settings);
        } catch (IllegalArgumentException e) {   // NumberFormatException included
            throw new SafeTensorsException(file + ": damaged checkpoint metadata: " + e.getMessage());
        }
    }

    private static String required(Map<String, String> meta, String key) {
        String value = meta.get(key);
        if (value == null) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return value;
    }
}
