package dev.lenet5.app;

import dev.lenet5.app.serve.DigitServer;
import dev.lenet5.app.serve.ServeLimits;
import dev.lenet5.nn.classify.DigitClassifier;
import dev.lenet5.tensor.kernel.JitWarmUp;
import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code serve [--model F] [--port P] [--host H]}: the draw-a-digit page and its JSON API, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Serve the draw-a-digit page and its JSON API: draw a digit in the browser and watch LeNet-5"
                + " read it, with the 28x28 image it sees and the feature maps of its convolutions.",
            "  POST /api/predict[?layers=1]  PNG or JPEG body, or a JSON array of 784 pixel values in [0,1]",
            "  GET  /api/model               the model's metadata (provenance) and the server's limits",
            "  GET  /healthz",
            "Bodies over 4 MiB get 413, images over 16 megapixels 400; a request (headers and body) must arrive"
                    + " within 20 s. Stops on Ctrl-C."},
        footer = {"", "Examples:",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar serve",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar serve --model runs/quick/model.safetensors"
                    + " --port 9000",
            "  curl -s --data-binary @digit.png http://127.0.0.1:8080/api/predict"})
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelSource source;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every"
                    + " interface)")
    String host;

    @Option(names = {"-v", "--verbose"}, description = "print stack traces of errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Errors.usage(spec, () -> {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--port must be between 0 and 65535, not %d", port));
            }
            return port;
        });
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--host " + host + " is not an address of this machine or a name that resolves");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!source.bundled()) {
            FileChecks.readableFile(source.file, "model file");
        }
        TensorKernels kernels = Kernels.get();
        DigitClassifier classifier;
        // The vector kernels are compiled before the first request, as evaluate does: left to the requests, C2
        // compiled them from a muddled profile and the server ran the Vector API's boxed fallback for its whole
        // life (60% of its samples under load).
        try (JitWarmUp warmUp = JitWarmUp.start(kernels, JitWarmUp.Work.INFERENCE)) {
            classifier = source.classifier(kernels);
            JitWait.report(warmUp, out::println);
        }
        String name = source.bundled() ? "bundled" : String.valueOf(source.file.getFileName());
        if (source.bundled()) {
            out.println(ModelSource.bundledNote(classifier.metadata()));
        }
        DigitServer server;
        try {
            server = DigitServer.start(classifier, name, address, ServeLimits.defaults(), err);
        } catch (java.net.BindException e) {
            throw new java.io.IOException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); is another server using the port? Try --port 0 for any free one", e);
        }
        // Ctrl-C (SIGINT) and SIGTERM run shutdown hooks: stop taking requests, let the running ones finish.
        Thread hook = new Thread(() -> {
            server.close();
            out.println("stopped");
            out.flush();
        }, "serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("serving model " + name + " at " + server.uri() + " (Ctrl-C to stop)");
        out.flush();
        server.awaitClose();
        return 0;
    }
}
