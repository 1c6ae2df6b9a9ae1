package dev.lenet5.app;

import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one clear sentence on stderr and an exit code: 2 for usage errors (bad or
 * missing options), 1 for failures. The stack trace is printed only with {@code --verbose}.
 */
final class Errors {

    private Errors() {
    }

    static int usage(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + e.getMessage());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
        if (verbose(args)) {
            e.printStackTrace(err);
        }
        err.flush();
        return Main.EXIT_USAGE;
    }

    /**
     * Runs an option check: option values that parse but are out of range (e.g. {@code --epochs 0}), reported
     * as {@link IllegalArgumentException} by the code that knows the rule, become usage errors.
     */
    static <T> T usage(CommandSpec spec, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    static int failure(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println("error: " + sentence(e));
        printTraceIfVerbose(e, err, parsed);
        err.flush();
        return Main.EXIT_FAILURE;
    }

    /** One sentence for an exception: its message, with the cases whose message is only a path made readable. */
    static String sentence(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return "no such file: " + e.getMessage();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        if (e instanceof FileNotFoundException && e.getMessage() != null) {
            return e.getMessage();
        }
        String msg = e.getMessage();
        if (msg == null || msg.isBlank()) {
            return e.getClass().getSimpleName() + " (run with --verbose for the stack trace)";
        }
        return msg;
    }

    private static void printTraceIfVerbose(Exception e, PrintWriter err, ParseResult parsed) {
        if (parsed != null && verbose(parsed.originalArgs().toArray(new String[0]))) {
            e.printStackTrace(err);
        }
    }

    private static boolean verbose(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose") || a.equals("-v")) {
                return true;
            }
        }
        return false;
    }
}
