package dev.lenet5.nn.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The one way this project writes a file: readers, and a machine that loses power, only ever see the old
 * version or the complete new one.
 *
 * <ol>
 *   <li>the content goes to a new temporary file in the target's directory (so the rename below stays on one
 *       file system), created like any new file, with the permissions the umask gives;
 *   <li>the temporary file is forced to disk;
 *   <li>it is renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE};
 *   <li>the directory is forced to disk, so the rename itself survives a crash (where the platform can open a
 *       directory: Linux and macOS).
 * </ol>
 * A file system that cannot rename atomically is an {@link IOException} saying so, not a silent non-atomic
 * copy. On any failure before the rename the temporary file is deleted and the target is left as it was.
 *
 * <p>Here, in nn-layers, because every writer can reach it without a new module dependency: the safetensors
 * writer lives in this package, and the app and the benchmarks, which write the reports, plots and charts,
 * both depend on nn-layers. mnist-io writes nothing.
 */
public final class AtomicFiles {

    /**
     * Produces a file's content into a buffered stream. Closing the stream only flushes it (a writer wrapped in
     * try-with-resources is fine): the file must stay open until it has been forced to disk.
     */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** How the finished temporary file replaces the target; a seam for the test of a non-atomic file system. */
    @FunctionalInterface
    interface Rename {
        void replace(Path source, Path target) throws IOException;
    }

    static final Rename ATOMIC_RENAME =
            (source, target) -> Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);

    private static final String TEMP_SUFFIX = ".tmp";
    private static final int NAME_ATTEMPTS = 100;
    private static final int BUFFER_BYTES = 1 << 16;

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically and durably, replacing any existing file; creates missing parent
     * directories.
     *
     * @throws IOException if writing fails or the file system cannot replace the target atomically (the target
     *                     is then unchanged and no temporary file is left), or if forcing the directory to disk
     *                     after the rename fails (the new file is then in place, but may not survive a crash)
     */
    public static void write(Path target, Content content) throws IOException {
        write(target, content, ATOMIC_RENAME);
    }

    /** Writes {@code text} as UTF-8 through {@link #write(Path, Content)}. */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    static void write(Path target, Content content, Rename rename) throws IOException {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = createTemporary(dir, file.getFileName().toString());
        boolean renamed = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER_BYTES);
                content.writeTo(new KeptOpen(out));
                out.flush();
                ch.force(true);
            }
            try {
                rename.replace(tmp, file);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically: its file system does not support atomic"
                        + " renames", e);
            }
            renamed = true;
            syncDirectory(dir);
        } catch (IOException | RuntimeException | Error e) {
            if (!renamed) {
                deleteQuietly(tmp, e);
            }
            throw e;
        }
    }

    /**
     * Deletes the temporary files that writes of {@code target} left behind when their process died mid-write (a
     * killed process or a power cut gets no chance to delete them); they hold nothing anyone can use. Only for a
     * file that no other process is writing at the same time.
     *
     * @return how many were deleted
     */
    public static int deleteLeftovers(Path target) throws IOException {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Pattern leftover = Pattern.compile(Pattern.quote("." + file.getFileName() + ".") + "[0-9a-z]+"
                + Pattern.quote(TEMP_SUFFIX));
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir,
                p -> leftover.matcher(p.getFileName().toString()).matches())) {
            for (Path tmp : files) {
                if (Files.deleteIfExists(tmp)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /**
     * A new, empty file {@code .<name>.<random>.tmp} in {@code dir}. Opened with {@code CREATE_NEW} rather than
     * through {@link Files#createTempFile}, which makes owner-only ({@code 0600}) files: the renamed file
     * would keep those permissions, unlike every other file the user creates.
     */
    private static Path createTemporary(Path dir, String name) throws IOException {
        for (int attempt = 1; ; attempt++) {
            String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path tmp = dir.resolve("." + name + "." + random + TEMP_SUFFIX);
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == NAME_ATTEMPTS) {
                    throw new IOException("cannot create a temporary file for " + dir.resolve(name)
                            + ": every name tried exists", e);
                }
            }
        }
    }

    private static void deleteQuietly(Path tmp, Throwable cause) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** Makes the rename durable where the platform can open a directory (Linux, macOS); a no-op elsewhere. */
    private static void syncDirectory(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return;   // Windows cannot open a directory: there the rename is as durable as the platform makes it
        }
        try (ch) {
            ch.force(true);
        }
    }

    /** Passes everything through except close, which only flushes. */
    private static final class KeptOpen extends OutputStream {
        private final OutputStream out;

        KeptOpen(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
