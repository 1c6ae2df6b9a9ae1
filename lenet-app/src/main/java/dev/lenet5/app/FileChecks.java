package dev.lenet5.app;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a command's file options before any work is done, so that a wrong path is one sentence saying what
 * is wrong with it (missing, a directory where a file belongs or the reverse, unreadable, unwritable) rather
 * than a bare path from the JDK, and so that a run never computes for minutes and then fails to write.
 * Each check throws an {@link IOException}: the command fails with exit code 1.
 */
final class FileChecks {

    private FileChecks() {
    }

    /** A file to read: {@code what} names it in messages, e.g. "model file". */
    static void readableFile(Path file, String what) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("the " + what + " " + file + " is a directory, not a file");
        }
        if (!Files.exists(file)) {
            throw new FileNotFoundException("the " + what + " " + file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read the " + what + " " + file + ": permission denied");
        }
    }

    /** A directory to read from: {@code what} names it in messages, e.g. "data directory". */
    static void readableDirectory(Path dir, String what) throws IOException {
        if (!Files.exists(dir)) {
            throw new FileNotFoundException("the " + what + " " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("the " + what + " " + dir + " is a file, not a directory");
        }
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
            throw new IOException("cannot read the " + what + " " + dir + ": permission denied");
        }
    }

    /** A directory, given as {@code option}, that the command will create if needed and write into. */
    static void writableDirectory(Path dir, String option) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("cannot write into " + option + " " + dir + ": it is a file, not a directory");
        }
        String why = unwritable(dir);
        if (why != null) {
            throw new IOException("cannot write into " + option + " " + dir + ": " + why);
        }
    }

    /** A file, given as {@code option}, that the command will write, replacing it if it exists. */
    static void writableFile(Path file, String option) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("cannot write " + option + " " + file + ": it is a directory");
        }
        String why = unwritable(file.toAbsolutePath().getParent());
        if (why != null) {
            throw new IOException("cannot write " + option + " " + file + ": " + why);
        }
    }

    /** Why no file can be created in {@code dir} (after creating it and its missing parents), or null. */
    private static String unwritable(Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return null;   // not even a root exists: let the write itself say what is wrong
        }
        if (!Files.isDirectory(existing)) {
            return existing + " is a file, not a directory";
        }
        if (!Files.isWritable(existing) || !Files.isExecutable(existing)) {
            return "permission denied in " + existing;
        }
        return null;
    }
}
