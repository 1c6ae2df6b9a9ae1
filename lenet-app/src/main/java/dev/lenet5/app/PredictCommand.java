package dev.lenet5.app;

import dev.lenet5.app.image.DigitImages;
import dev.lenet5.app.image.DigitPreprocessor;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code predict --model F IMAGE...}: the digit in each PNG or JPEG image, with the class probabilities. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Classify images of handwritten digits (PNG or JPEG, any size, dark-on-light or light-on-dark).",
            "Each image is prepared as MNIST was: grey levels, light ink on black, cropped to the ink, fitted in 20x20,"
                    + " centred by centre of mass in 28x28, padded to 32x32."})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "model.safetensors written by train")
    Path model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG or JPEG files, at most 16 MiB and 16 megapixels"
            + " (e.g. 4096 x 4096) each")
    List<Path> images;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        TensorKernels kernels = Errors.usage(spec, runtime::kernels);
        PrintWriter stdout = spec.commandLine().getOut();
        // Read every image before loading the model, so a bad file is reported before any work.
        float[] batch = new float[images.size() * LeNet5.INPUT_SIZE];
        for (int i = 0; i < images.size(); i++) {
            float[] digit = DigitPreprocessor.pad(DigitImages.prepare(images.get(i)), DigitPreprocessor.SIZE,
                    LeNet5.INPUT.padding());
            System.arraycopy(digit, 0, batch, i * LeNet5.INPUT_SIZE, LeNet5.INPUT_SIZE);
        }
        LeNet5 network = ModelFile.load(model, kernels);
        float[] logits = network.forward(batch, images.size());
        float[] probs = new float[logits.length];
        kernels.softmaxRows(images.size(), LeNet5.CLASSES, logits, 0, probs, 0, LeNet5.CLASSES);
        int[] predicted = network.predictions();
        for (int i = 0; i < images.size(); i++) {
            StringBuilder line = new StringBuilder();
            line.append(String.format(Locale.ROOT, "%s: %d (p=%.3f)  ", images.get(i), predicted[i],
                    probs[i * LeNet5.CLASSES + predicted[i]]));
            for (int k = 0; k < LeNet5.CLASSES; k++) {
                line.append(String.format(Locale.ROOT, " %d:%.3f", k, probs[i * LeNet5.CLASSES + k]));
            }
            stdout.println(line);
        }
        stdout.flush();
        return 0;
    }
}
