package dev.lenet5.nn.classify;

import dev.lenet5.nn.io.ModelFile;
import dev.lenet5.nn.io.SafeTensors;
import dev.lenet5.nn.io.SafeTensorsException;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The trained LeNet-5 this jar carries (a {@code train --recipe best} model; its safetensors metadata says how
 * it was made and how to rebuild it). Read once per JVM and kept as tensors: every classifier made from it
 * gets its own copy of the weights.
 */
public final class BundledModel {

    /** Where the model lies on the class path. */
    public static final String RESOURCE = "/dev/lenet5/nn/classify/lenet5.safetensors";
    /** How messages name it. */
    public static final String NAME = "the bundled model";

    private static SafeTensors.Contents contents;   // guarded by BundledModel.class

    private BundledModel() {
    }

    /**
     * A new network computing with {@code kernels} holding the bundled weights, and the model's metadata.
     *
     * @throws IllegalStateException if the jar carries no model or a damaged one (a broken build, not bad input)
     */
    public static ModelFile.Loaded load(TensorKernels kernels) {
        try {
            return ModelFile.fromContents(contents(), NAME + " (" + RESOURCE + ")", kernels);
        } catch (SafeTensorsException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The bundled model's safetensors metadata: recipe, seed, epochs, test accuracy, program version, input. */
    public static Map<String, String> metadata() {
        return contents().metadata();
    }

    private static synchronized SafeTensors.Contents contents() {
        if (contents == null) {
            try {
                contents = read();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + NAME + " " + RESOURCE + ": " + e.getMessage(), e);
            }
        }
        return contents;
    }

    private static SafeTensors.Contents read() throws IOException {
        URL url = BundledModel.class.getResource(RESOURCE);
        if (url == null) {
            throw new IOException("it is not on the class path (a build without it)");
        }
        if (url.getProtocol().equals("file")) {
            try {
                return SafeTensors.read(Path.of(url.toURI()));
            } catch (URISyntaxException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        // The safetensors reader reads files, and an entry in a jar is none: copy it out for the moment of reading.
        Path copy = Files.createTempFile("lenet5-bundled-", ".safetensors");
        try {
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return SafeTensors.read(copy);
        } finally {
            Files.deleteIfExists(copy);
        }
    }
}
