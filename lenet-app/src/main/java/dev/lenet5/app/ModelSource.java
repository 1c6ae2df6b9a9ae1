package dev.lenet5.app;

import dev.lenet5.nn.classify.BundledModel;
import dev.lenet5.nn.classify.DigitClassifier;
import dev.lenet5.nn.io.ModelFile;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The model a command uses, and its {@code --model} option (a mixin of evaluate, predict and serve): the file given,
 * or without it the trained model the jar carries (nn-layers' {@link BundledModel}), which the command then names
 * with its provenance.
 */
final class ModelSource {

    @Option(names = "--model", paramLabel = "FILE",
            description = "model.safetensors (or checkpoint.safetensors) written by train (default: the trained model"
                    + " the jar carries)")
    Path file;

    boolean bundled() {
        return file == null;
    }

    ModelFile.Loaded load(TensorKernels kernels) throws IOException {
        return bundled() ? BundledModel.load(kernels) : ModelFile.load(file, kernels);
    }

    DigitClassifier classifier(TensorKernels kernels) throws IOException {
        return bundled() ? DigitClassifier.bundled(kernels) : DigitClassifier.load(file, kernels);
    }

    /** The file as given, or {@code bundled model} for the one the jar carries. */
    String name() {
        return bundled() ? "bundled model" : file.toString();
    }

    /**
     * What a command says when no --model was given, e.g. {@code model: the bundled model (train --recipe best
     * --seed 1, 30 epochs, test accuracy 99.48%)}.
     */
    static String bundledNote(Map<String, String> metadata) {
        StringBuilder s = new StringBuilder("model: the bundled model (train");
        if (metadata.containsKey("recipe")) {
            s.append(" --recipe ").append(metadata.get("recipe"));
        }
        if (metadata.containsKey("seed")) {
            s.append(" --seed ").append(metadata.get("seed"));
        }
        if (metadata.containsKey("epochs")) {
            s.append(", ").append(metadata.get("epochs")).append(" epochs");
        }
        if (metadata.containsKey("test_accuracy")) {
            try {
                s.append(String.format(java.util.Locale.ROOT, ", test accuracy %.2f%%",
                        100 * Double.parseDouble(metadata.get("test_accuracy"))));
            } catch (NumberFormatException e) {
                s.append(", test accuracy ").append(metadata.get("test_accuracy"));
            }
        }
        return s.append("); give --model FILE for another").toString();
    }

    /** The model in a command's JSON document: where it came from and its file's metadata. */
    Map<String, Object> json(Map<String, String> metadata) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", bundled() ? null : file.toString());
        m.put("bundled", bundled());
        m.put("metadata", new java.util.TreeMap<>(metadata));
        return m;
    }
}
