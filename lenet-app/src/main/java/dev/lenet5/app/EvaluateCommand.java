package dev.lenet5.app;

import dev.lenet5.app.train.Evaluation;
import dev.lenet5.app.train.Trainer;
import dev.lenet5.mnist.BatchIterator;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.nn.DataParallel;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.io.ModelFile;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.lenet5.tensor.kernel.ConvAlgorithm;
import dev.lenet5.tensor.kernel.JitWarmUp;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code evaluate [--model F]}: accuracy, loss and confusion matrix of a saved model on the test set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Evaluate a saved model (by default the trained model the jar carries) on the test images.",
        footer = {"", "The last line of output is a machine-readable RESULT line; with --json, stdout is one JSON"
                + " document instead (the model, the data, the results with the confusion matrix, the runtime)."})
final class EvaluateCommand implements Callable<Integer> {

    static final int BATCH = 500;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelSource source;

    @Mixin
    DataOptions data;

    @Mixin
    OutputOptions output;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--test-images", defaultValue = "0", paramLabel = "N",
            description = "evaluate only the first N test images (default: 0 = all)")
    int testImages;

    @Option(names = "--out", paramLabel = "DIR", description = "also write confusion.txt and misclassified.png here")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (testImages < 0) {
            throw new ParameterException(spec.commandLine(), "--test-images must not be negative, got " + testImages);
        }
        TensorKernels kernels = Errors.usage(spec, runtime::kernels);
        ConvAlgorithm conv = runtime.conv(ConvAlgorithm.AUTO);
        int threads = Errors.usage(spec, runtime::threads);
        PrintWriter messages = output.messages(spec);
        PrintWriter results = output.results(spec);
        if (out != null) {
            FileChecks.writableDirectory(out, "--out");
        }
        ModelFile.Loaded loaded;
        ImageSet test;
        // C2 compiles the forward pass's vector kernels while the model and the test images load.
        try (JitWarmUp warmUp = JitWarmUp.start(kernels, JitWarmUp.Work.INFERENCE)) {
            loaded = source.load(kernels);
            test = data.loadTest();
            JitWait.report(warmUp, messages::println);
        }
        if (source.bundled()) {
            messages.println(ModelSource.bundledNote(loaded.metadata()));
        }
        int[] indices = test.allIndices();
        if (testImages > 0 && testImages < indices.length) {
            indices = java.util.Arrays.copyOf(indices, testImages);
        }
        Evaluation e;
        try (DataParallel parallel = new DataParallel(loaded.network(), threads)) {
            e = Evaluation.run(parallel, new BatchIterator(test, indices, Math.min(BATCH, indices.length),
                    Trainer.FORMAT, false));
        }
        messages.println(String.format(Locale.ROOT, "%s on %s (%d images): loss %.4f, accuracy %.2f%% (%d wrong), %s",
                source.name(), data.describe(), e.size(), e.loss(), 100 * e.accuracy(), e.mistakes(), e.errorInterval()));
        messages.println();
        messages.print(e.confusion(LeNet5.CLASSES).format());
        if (out != null) {
            e.writeReports(out, test);
            messages.println("files: " + out.toAbsolutePath());
        }
        messages.flush();
        results.println(ResultLine.evaluate(e, kernels, conv, threads));
        results.flush();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("command", "evaluate");
        document.put("model", source.json(loaded.metadata()));
        document.put("data", data.describe());
        document.put("test", JsonReports.evaluation(e));
        document.put("out", out == null ? null : out.toAbsolutePath().toString());
        document.put("runtime", JsonReports.runtime(kernels, threads));
        document.put("program", JsonReports.program());
        output.printJson(spec, document);
        return 0;
    }
}
