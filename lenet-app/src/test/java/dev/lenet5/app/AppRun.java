package dev.lenet5.app;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the program in-process through its picocli entry point and captures what it prints. */
record AppRun(int exitCode, String out, String err) {

    static AppRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new AppRun(code, out.toString(), err.toString());
    }

    String lastLine() {
        String[] lines = out.strip().split("\\R");
        return lines[lines.length - 1];
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
