package dev.lenet5.nn.io;

import dev.lenet5.nn.LeNet5;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Loads a saved LeNet-5: a {@code model.safetensors}, or a training checkpoint, which holds the same tensors and
 * the optimiser's state besides. Every problem is one sentence naming the file: missing, a directory,
 * unreadable, not a safetensors file, or tensors with the wrong names or shapes (listed).
 */
public final class ModelFile {

    /** A loaded network and the file's safetensors metadata (its provenance, for a model written by train). */
    public record Loaded(LeNet5 network, Map<String, String> metadata) {

        public Loaded {
            Objects.requireNonNull(network, "network");
            metadata = Map.copyOf(metadata);
        }
    }

    private ModelFile() {
    }

    /** Reads {@code file} into a new LeNet-5 computing with {@code kernels}. */
    public static Loaded load(Path file, TensorKernels kernels) throws IOException {
        Objects.requireNonNull(file, "the model file must not be null");
        checkReadable(file);
        return fromContents(SafeTensors.read(file), file.toString(), kernels);
    }

    /**
     * A new LeNet-5 computing with {@code kernels} holding the tensors of {@code contents}, read from
     * {@code source} (named in messages).
     */
    public static Loaded fromContents(SafeTensors.Contents contents, String source, TensorKernels kernels)
            throws SafeTensorsException {
        LeNet5 network = new LeNet5(kernels, 0);
        // A checkpoint also holds the optimiser's state; a model file must hold exactly the parameters.
        boolean checkpoint = Checkpoint.isCheckpoint(contents.metadata());
        try {
            StateDict.assign(contents.tensors(), network.parameters(), checkpoint);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(source + ": " + e.getMessage());
        }
        return new Loaded(network, contents.metadata());
    }

    private static void checkReadable(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("the model file " + file + " is a directory, not a file");
        }
        if (!Files.exists(file)) {
            throw new FileNotFoundException("the model file " + file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read the model file " + file + ": permission denied");
        }
    }
}
