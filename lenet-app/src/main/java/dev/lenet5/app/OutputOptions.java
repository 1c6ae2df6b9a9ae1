package dev.lenet5.app;

import dev.lenet5.nn.io.Json;
import java.io.PrintWriter;
import java.io.Writer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --json} and {@code --quiet}: what a command prints where. Normally everything goes to stdout. With
 * {@code --json} stdout carries exactly one JSON document (so {@code predict --json *.png | jq} works) and the
 * human-readable text goes to stderr; {@code --quiet} keeps only the results (the RESULT line, the predictions)
 * and drops the messages, and with {@code --json} drops the text altogether. Errors always go to stderr.
 */
final class OutputOptions {

    @Option(names = "--json", description = "print one JSON document on stdout; the human-readable output goes to"
            + " stderr")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "print only the results (no progress or messages); with --json,"
            + " only the JSON document")
    boolean quiet;

    private static final PrintWriter NOWHERE = new PrintWriter(Writer.nullWriter());

    /** Where progress and messages go: stdout; stderr under --json; nowhere under --quiet. */
    PrintWriter messages(CommandSpec spec) {
        if (quiet) {
            return NOWHERE;
        }
        return text(spec);
    }

    /** Where the human-readable results go: stdout (also under --quiet); stderr under --json; nowhere with both. */
    PrintWriter results(CommandSpec spec) {
        if (json && quiet) {
            return NOWHERE;
        }
        return text(spec);
    }

    /** Prints {@code document} on stdout when --json was given, indented, as the command's one JSON output. */
    void printJson(CommandSpec spec, Object document) {
        if (json) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(Json.write(document, true));
            out.flush();
        }
    }

    private PrintWriter text(CommandSpec spec) {
        return json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }
}
