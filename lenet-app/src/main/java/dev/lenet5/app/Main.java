package dev.lenet5.app;

import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java --add-modules jdk.incubator.vector -jar lenet-app.jar [train|evaluate|predict|bench|serve] [options]}.
 * With no subcommand the program trains (the seed's settings unless options say otherwise).
 *
 * <p>Exit codes: 0 success, 1 failure (bad data, unreadable model, diverged training), 2 usage error.
 */
@Command(name = "lenet5",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
            "LeNet-5 on MNIST in pure Java, on SIMD kernels written with the Java Vector API.",
            "Without a subcommand it trains (same as 'train').",
            "Run with java --add-modules jdk.incubator.vector for the SIMD kernels (the scalar ones are used otherwise)."},
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, BenchCommand.class,
            ServeCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar train --epochs 5 --out runs/quick",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar evaluate --model runs/quick/model.safetensors",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar predict --model runs/quick/model.safetensors digit.png",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar serve --port 8080"})
public final class Main implements Runnable {

    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    private static final Set<String> TOP_LEVEL = Set.of("train", "evaluate", "predict", "bench", "serve", "help",
            "-h", "--help", "-V", "--version");

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the program with the given output streams; returns the exit code. The tests' entry point. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(out, err);
        return cli.execute(withDefaultSubcommand(args));
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(Errors::usage);
        cli.setExecutionExceptionHandler(Errors::failure);
        return cli;
    }

    /** {@code lenet-app.jar --epochs 3} means {@code train --epochs 3}: train is the default subcommand. */
    static String[] withDefaultSubcommand(String[] args) {
        if (args.length > 0 && TOP_LEVEL.contains(args[0])) {
            return args;
        }
        String[] withTrain = new String[args.length + 1];
        withTrain[0] = "train";
        System.arraycopy(args, 0, withTrain, 1, args.length);
        return withTrain;
    }

    @Override
    public void run() {
        // Only reached through an explicit empty subcommand list, which withDefaultSubcommand prevents.
        throw new CommandLine.ParameterException(new CommandLine(this), "missing subcommand");
    }
}
