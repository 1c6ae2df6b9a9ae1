package dev.lenet5.example;

import dev.lenet5.nn.classify.DigitClassifier;
import dev.lenet5.nn.classify.Explanation;
import dev.lenet5.nn.classify.Prediction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The code of the README's "Use it from Java" section, compiled and run by {@link ReadmeExampleTest}. */
final class ReadmeExample {

    private ReadmeExample() {
    }

    // README begin
    static void classify(Path digitPng, List<float[]> digits) throws IOException {
        DigitClassifier classifier = DigitClassifier.bundled();   // or DigitClassifier.load(Path.of("model.safetensors"))
        Prediction p = classifier.classify(digitPng);             // PNG or JPEG of one digit: any size, either polarity
        System.out.printf("%s: %d (p=%.3f)%n", digitPng, p.digit(), p.confidence());
        for (Prediction q : classifier.classifyAll(digits)) {     // 28x28 (or 32x32) floats in [0,1], ink 1
            System.out.println(q.digit() + " " + java.util.Arrays.toString(q.probabilities()));
        }
        Explanation e = classifier.explain(digits.get(0));        // the input and conv1/conv2's feature maps
        System.out.println(e.conv1().length + " maps, model " + classifier.metadata().get("test_accuracy"));
    }
    // README end
}
