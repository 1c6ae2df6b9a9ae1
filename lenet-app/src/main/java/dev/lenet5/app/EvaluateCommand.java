package dev.lenet5.app;

import dev.lenet5.app.train.Evaluation;
import dev.lenet5.app.train.Trainer;
import dev.lenet5.mnist.BatchIterator;
import dev.lenet5.mnist.ImageSet;
import dev.lenet5.nn.DataParallel;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.io.ModelFile;
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

/** {@code evaluate --model F}: accuracy, loss and confusion matrix of a saved model on the test set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Evaluate a saved model on the test images.",
        footer = {"", "The last line of output is a machine-readable RESULT line."})
final class EvaluateCommand implements Callable<Integer> {

    static final int BATCH = 500;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "model.safetensors (or checkpoint.safetensors) written by train")
    Path model;

    @Mixin
    DataOptions data;

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
        PrintWriter stdout = spec.commandLine().getOut();
        if (out != null) {
            FileChecks.writableDirectory(out, "--out");
        }
        LeNet5 network;
        ImageSet test;
        // C2 compiles the forward pass's vector kernels while the model and the test images load.
        try (JitWarmUp warmUp = JitWarmUp.start(kernels, JitWarmUp.Work.INFERENCE)) {
            network = ModelFile.load(model, kernels).network();
            test = data.loadTest();
            JitWait.report(warmUp, stdout::println);
        }
        int[] indices = test.allIndices();
        if (testImages > 0 && testImages < indices.length) {
            indices = java.util.Arrays.copyOf(indices, testImages);
        }
        Evaluation e;
        try (DataParallel parallel = new DataParallel(network, threads)) {
            e = Evaluation.run(parallel, new BatchIterator(test, indices, Math.min(BATCH, indices.length),
                    Trainer.FORMAT, false));
        }
        stdout.println(String.format(Locale.ROOT, "%s on %s (%d images): loss %.4f, accuracy %.2f%% (%d wrong), %s",
                model, data.describe(), e.size(), e.loss(), 100 * e.accuracy(), e.mistakes(), e.errorInterval()));
        stdout.println();
        stdout.print(e.confusion(LeNet5.CLASSES).format());
        if (out != null) {
            e.writeReports(out, test);
            stdout.println("files: " + out.toAbsolutePath());
        }
        stdout.println(ResultLine.evaluate(e, kernels, conv, threads));
        stdout.flush();
        return 0;
    }
}
