package dev.lenet5.app;

import java.io.PrintWriter;
import java.util.List;
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
        footer = {"", "Examples:",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar train --epochs 5 --out runs/quick",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar evaluate --model runs/quick/model.safetensors",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar predict --model runs/quick/model.safetensors digit.png",
            "  java --add-modules jdk.incubator.vector -jar lenet-app.jar serve --port 8080"})
public final class Main implements Runnable {

    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    /** The subcommands, in the order help lists them. */
    private static final List<String> SUBCOMMANDS = List.of("train", "evaluate", "predict", "bench", "serve");
    private static final Set<String> TOP_LEVEL = Set.of("train", "evaluate", "predict", "bench", "serve", "help",
            "-h", "--help", "-V", "--version");

    private static Object subcommand(String name) {
        return switch (name) {
            case "train" -> new TrainCommand();
            case "evaluate" -> new EvaluateCommand();
            case "predict" -> new PredictCommand();
            case "bench" -> new BenchCommand();
            case "serve" -> new ServeCommand();
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the program with the given output streams; returns the exit code. The tests' entry point. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        String[] full = withDefaultSubcommand(args);
        // Only the command the arguments name: picocli reads every registered command's annotations up front, a
        // quarter of a second of a cold launch for all five. Help, the version and errors list them all.
        String command = full.length > 0 && SUBCOMMANDS.contains(full[0]) ? full[0] : null;
        return commandLine(out, err, command).execute(full);
    }

    /** The program's command line with every subcommand (for help and the tests). */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, null);
    }

    // only: the one subcommand to register, or null for all of them
    private static CommandLine commandLine(PrintWriter out, PrintWriter err, String only) {
        CommandLine cli = new CommandLine(new Main());
        for (String name : SUBCOMMANDS) {
            if (only == null || only.equals(name)) {
                cli.addSubcommand(name, subcommand(name));
            }
        }
        cli.addSubcommand("help", new CommandLine.HelpCommand());
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
