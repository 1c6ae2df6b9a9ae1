package dev.lenet5.app;

import dev.lenet5.nn.classify.DigitClassifier;
import dev.lenet5.nn.classify.DigitImages;
import dev.lenet5.nn.classify.Prediction;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code predict [--model F] IMAGE...}: the digit in each PNG or JPEG image, with the class probabilities. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Classify images of handwritten digits (PNG or JPEG, any size, dark-on-light or light-on-dark).",
            "Each image is prepared as MNIST was: grey levels, light ink on black, cropped to the ink, fitted in 20x20,"
                    + " centred by centre of mass in 28x28, padded to 32x32."},
        footer = {"", "Prints one line per image: 'FILE: DIGIT (p=CONFIDENCE)  0:P0 ... 9:P9'; with --json one document,"
                + " {\"model\": ..., \"predictions\": [{\"image\", \"digit\", \"confidence\", \"probabilities\"}, ...]}."})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelSource source;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG or JPEG files, at most 16 MiB and 16 megapixels"
            + " (e.g. 4096 x 4096) each")
    List<Path> images;

    @Mixin
    OutputOptions output;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        TensorKernels kernels = Errors.usage(spec, runtime::kernels);
        // Read every image before loading the model, so a bad file is reported before any work.
        List<float[]> digits = new ArrayList<>(images.size());
        for (Path image : images) {
            digits.add(DigitImages.prepare(image));
        }
        DigitClassifier classifier = source.classifier(kernels);
        if (source.bundled() && !output.quiet) {
            // On stderr, so that stdout stays one line per image.
            PrintWriter err = spec.commandLine().getErr();
            err.println(ModelSource.bundledNote(classifier.metadata()));
            err.flush();
        }
        List<Prediction> predictions = classifier.classifyAll(digits);
        PrintWriter results = output.results(spec);
        List<Object> json = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Prediction p = predictions.get(i);
            float[] probs = p.probabilities();
            StringBuilder line = new StringBuilder();
            line.append(String.format(Locale.ROOT, "%s: %d (p=%.3f)  ", images.get(i), p.digit(), p.confidence()));
            for (int k = 0; k < probs.length; k++) {
                line.append(String.format(Locale.ROOT, " %d:%.3f", k, probs[k]));
            }
            results.println(line);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("image", images.get(i).toString());
            entry.put("digit", p.digit());
            entry.put("confidence", p.confidence());
            entry.put("probabilities", probs);
            json.add(entry);
        }
        results.flush();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("model", source.json(classifier.metadata()));
        document.put("kernels", kernels.name());
        document.put("predictions", json);
        output.printJson(spec, document);
        return 0;
    }
}
