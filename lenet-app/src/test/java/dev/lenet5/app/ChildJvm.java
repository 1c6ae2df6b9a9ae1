package dev.lenet5.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The program in a JVM of its own, as a user starts it: this JVM's class path, Vector API module and
 * {@code lenet5.*} properties, its output to a log file. Where there is a POSIX shell it runs under umask 022, the
 * usual default, so the tests know which permissions its new files must get whatever the build's umask is.
 */
final class ChildJvm {

    private static final Path SHELL = Path.of("/bin/sh");

    private ChildJvm() {
    }

    /** Whether {@link #start} sets umask 022 (it runs the JVM through {@code /bin/sh}). */
    static boolean setsUmask() {
        return Files.isExecutable(SHELL);
    }

    /** Starts {@code Main} with {@code args}; stdout and stderr go to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        return start(log, List.of(), args);
    }

    /** The same with extra JVM options, e.g. to start faster. */
    static Process start(Path log, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (setsUmask()) {
            // exec keeps the shell's process id for the JVM, so destroying the process kills the program itself.
            command.addAll(List.of(SHELL.toString(), "-c", "umask 022 && exec \"$@\"", "sh"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            command.add("--add-modules=jdk.incubator.vector");
        }
        command.addAll(jvmOptions);
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("lenet5.")).sorted()
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs the program to its end; returns its exit code and output. */
    static AppRun run(Path log, String... args) throws IOException, InterruptedException {
        int exit = start(log, args).waitFor();
        return new AppRun(exit, read(log), "");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
