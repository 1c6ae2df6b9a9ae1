package dev.lenet5.app;

import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.io.Checkpoint;
import dev.lenet5.nn.io.SafeTensors;
import dev.lenet5.nn.io.SafeTensorsException;
import dev.lenet5.nn.io.StateDict;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.IOException;
import java.nio.file.Path;

/** Loads a saved LeNet-5: {@code model.safetensors}, or a checkpoint, which holds the same tensors and more. */
final class ModelFile {

    private ModelFile() {
    }

    static LeNet5 load(Path file, TensorKernels kernels) throws IOException {
        FileChecks.readableFile(file, "model file");
        LeNet5 model = new LeNet5(kernels, 0);
        SafeTensors.Contents contents = SafeTensors.read(file);
        // A checkpoint also holds the optimiser's state; a model file must hold exactly the parameters.
        boolean checkpoint = Checkpoint.isCheckpoint(contents.metadata());
        try {
            StateDict.assign(contents.tensors(), model.parameters(), checkpoint);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file + ": " + e.getMessage());
        }
        return model;
    }
}
