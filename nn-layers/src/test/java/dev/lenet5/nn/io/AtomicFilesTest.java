package dev.lenet5.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<Path> files(Path in) throws IOException {
        try (Stream<Path> s = Files.list(in)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesTheContentIntoMissingDirectories() throws IOException {
        Path file = dir.resolve("a/b/report.txt");
        byte[] big = new byte[200_000];   // more than the write buffer
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        AtomicFiles.write(file, out -> {
            out.write('x');
            out.write(big);
            out.write(big, 5, 3);
        });
        byte[] expected = new byte[1 + big.length + 3];
        expected[0] = 'x';
        System.arraycopy(big, 0, expected, 1, big.length);
        System.arraycopy(big, 5, expected, 1 + big.length, 3);
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertEquals(List.of(file), files(file.getParent()));

        AtomicFiles.writeString(file, "héllo\n");
        assertEquals("héllo\n", Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(List.of(file), files(file.getParent()), "replaced, nothing left beside it");
    }

    @Test
    void aWriterThatClosesTheStreamStillGetsItsFileForcedAndRenamed() throws IOException {
        Path file = dir.resolve("closed.txt");
        AtomicFiles.write(file, out -> {
            try (Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                w.write("all of it");
            }
        });
        assertEquals("all of it", Files.readString(file));
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("kept.txt");
        Files.writeString(file, "old");
        IOException io = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        }));
        assertEquals("disk full", io.getMessage());
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(file, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("bug in the writer");
        }));
        assertEquals("old", Files.readString(file));
        assertEquals(List.of(file), files(dir), "the temporary files are gone");

        Path never = dir.resolve("never.txt");
        assertThrows(IOException.class, () -> AtomicFiles.write(never, out -> {
            throw new IOException("nothing to write");
        }));
        assertEquals(List.of(file), files(dir), "no target and no temporary file for a first write that failed");
    }

    @Test
    void aFileSystemWithoutAtomicRenamesIsAClearErrorAndLeavesNothingBehind() throws IOException {
        Path file = dir.resolve("model.bin");
        Files.writeString(file, "old");
        AtomicFiles.Rename refused = (source, target) -> {
            throw new AtomicMoveNotSupportedException(source.toString(), target.toString(), "not here");
        };
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> out.write(1), refused));
        assertEquals("cannot replace " + file.toAbsolutePath() + " atomically: its file system does not support"
                + " atomic renames", e.getMessage());
        assertTrue(e.getCause() instanceof AtomicMoveNotSupportedException);
        assertEquals("old", Files.readString(file));
        assertEquals(List.of(file), files(dir));
    }

    @Test
    void theTemporaryFileIsBesideTheTargetWhileTheTargetKeepsItsOldContent() throws IOException {
        Path file = dir.resolve("curves.png");
        Files.writeString(file, "old complete version");
        List<Path> during = new ArrayList<>();
        AtomicFiles.write(file, out -> {
            out.write("new".getBytes(StandardCharsets.UTF_8));
            out.flush();
            during.addAll(files(dir));
            assertEquals("old complete version", Files.readString(file), "the target is untouched while writing");
        });
        assertEquals(2, during.size(), during.toString());
        Path tmp = during.get(0).equals(file) ? during.get(1) : during.get(0);
        String name = tmp.getFileName().toString();
        assertTrue(name.startsWith(".curves.png.") && name.endsWith(".tmp"), name);
        assertEquals(dir, tmp.getParent());
        assertEquals("new", Files.readString(file));
        assertFalse(Files.exists(tmp));
    }

    /**
     * A writer killed mid-write leaves its temporary file; deleteLeftovers removes exactly those of the given target.
     * The leftover here is a real one: the temporary file of a write, taken aside before the rename and put back.
     */
    @Test
    void leftoversOfAKilledWriteAreDeletedAndNothingElse() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Path aside = Files.createDirectories(dir.resolve("aside"));
        AtomicFiles.write(file, out -> {
            out.write("complete".getBytes(StandardCharsets.UTF_8));
            out.flush();
            for (Path p : files(dir)) {
                if (p.getFileName().toString().endsWith(".tmp")) {
                    Files.copy(p, aside.resolve(p.getFileName()));
                }
            }
        });
        List<Path> kept = files(aside);
        assertEquals(1, kept.size(), kept.toString());
        Path leftover = Files.move(kept.get(0), dir.resolve(kept.get(0).getFileName()));
        List<Path> others = List.of(dir.resolve(".model.safetensors.tmp"), dir.resolve("model.safetensors.abc.tmp"),
                dir.resolve(".checkpoint.safetensors.abc.tmp"), dir.resolve(".model.safetensors.abc.tmp.keep"));
        for (Path other : others) {
            Files.writeString(other, "not a leftover of model.safetensors");
        }

        assertEquals(1, AtomicFiles.deleteLeftovers(file));
        assertFalse(Files.exists(leftover), leftover.toString());
        for (Path other : others) {
            assertTrue(Files.exists(other), other + " must stay");
        }
        assertEquals("complete", Files.readString(file));
        assertEquals(0, AtomicFiles.deleteLeftovers(file));
        assertEquals(0, AtomicFiles.deleteLeftovers(dir.resolve("missing").resolve("model.safetensors")));
    }

    /**
     * A reader polling the file while it is replaced again and again sees one complete version or the other,
     * never a missing, empty or half-written file.
     */
    @Test
    void overwritingIsAtomicForAConcurrentReader() throws Exception {
        Path file = dir.resolve("metrics.csv");
        byte[] a = new byte[96_000];
        byte[] b = new byte[40_000];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        AtomicFiles.write(file, out -> out.write(a));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> problem = new AtomicReference<>();
        int[] reads = new int[1];
        Thread reader = new Thread(() -> {
            while (!done.get() && problem.get() == null) {
                try {
                    byte[] seen = Files.readAllBytes(file);
                    if (!Arrays.equals(seen, a) && !Arrays.equals(seen, b)) {
                        problem.set("read a torn file of " + seen.length + " bytes");
                    }
                    reads[0]++;
                } catch (NoSuchFileException e) {
                    problem.set("the file was missing for a moment");
                } catch (IOException e) {
                    problem.set(e.toString());
                }
            }
        });
        reader.start();
        for (int i = 0; i < 300 && problem.get() == null; i++) {
            byte[] next = i % 2 == 0 ? b : a;
            AtomicFiles.write(file, out -> {
                // In two halves, so a non-atomic writer would expose the first half.
                out.write(next, 0, next.length / 2);
                out.flush();
                out.write(next, next.length / 2, next.length - next.length / 2);
            });
        }
        done.set(true);
        reader.join();
        assertNull(problem.get());
        assertTrue(reads[0] > 0, "the reader ran");
        assertEquals(List.of(file), files(dir));
    }

    /**
     * Files get the permissions any new file of the user gets (the umask's), like a file made with
     * {@link Files#newOutputStream}: not the owner-only 0600 of {@link Files#createTempFile}.
     */
    @Test
    void permissionsFollowTheUmaskLikeAnyNewFile() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Path reference = dir.resolve("plain");
        Files.newOutputStream(reference).close();
        Set<PosixFilePermission> usual = Files.getPosixFilePermissions(reference);

        Path file = dir.resolve("model.safetensors");
        AtomicFiles.writeString(file, "first");
        assertEquals(usual, Files.getPosixFilePermissions(file));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.writeString(file, "second");
        assertEquals(usual, Files.getPosixFilePermissions(file), "a rewrite is a new file with the usual permissions");

        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        if (!usual.equals(ownerOnly)) {   // e.g. umask 022 gives rw-r--r--
            assertNotEquals(ownerOnly, Files.getPosixFilePermissions(file));
        }
    }
}
