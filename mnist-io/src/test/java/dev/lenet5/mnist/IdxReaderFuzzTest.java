package dev.lenet5.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer harnesses for {@link IdxReader}. The only exception a reader may throw for bad bytes is
 * {@link IdxFormatException}; anything else escaping (a RuntimeException, an OutOfMemoryError in the
 * harness's small heap, a plain IOException) is a finding. Each input is read twice, from a file (whose
 * length the reader judges the header against) and from a stream (whose length it does not know), and the
 * two must agree: the same array, or both refused.
 *
 * <p>Seeds and past findings: {@code src/test/resources/dev/lenet5/mnist/IdxReaderFuzzTestInputs/<method>/}.
 */
class IdxReaderFuzzTest {

    private static final IdxReader READER = new IdxReader();
    private static final Path FILE = tempFile();

    /** Any bytes as an IDX file: raw or gzipped, as the input's first two bytes say. */
    @FuzzTest
    void anyBytes(byte[] input) throws IOException {
        readBothWays(input);
    }

    /** The input gzipped first, so the fuzzer explores the IDX parser behind a valid gzip stream. */
    @FuzzTest
    void gzippedIdx(byte[] input) throws IOException {
        readBothWays(IdxBytes.gzip(input));
    }

    private static void readBothWays(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        Object fromFile = outcome(() -> READER.read(FILE));
        Object fromStream = outcome(() -> READER.read(new ByteArrayInputStream(bytes), FILE.toString()));
        assertEquals(fromFile instanceof IdxArray, fromStream instanceof IdxArray,
                () -> "the file and the stream disagree: " + fromFile + " / " + fromStream);
        if (fromFile instanceof IdxArray a && fromStream instanceof IdxArray b) {
            assertEquals(a.type(), b.type());
            assertArrayEquals(a.dims(), b.dims());
            for (int i = 0; i < a.length(); i++) {
                assertEquals(a.getAsDouble(i), b.getAsDouble(i));
            }
        }
    }

    @FunctionalInterface
    private interface Read {
        IdxArray run() throws IOException;
    }

    /** The array read, or the refusal's message. */
    private static Object outcome(Read read) throws IOException {
        try {
            return read.run();
        } catch (IdxFormatException e) {
            // The reader reports a failed allocation as a refusal; for inputs this small it means over-allocation.
            assertFalse(e.getMessage().contains("the Java heap cannot hold"), e::getMessage);
            return e.getMessage();
        }
    }

    private static Path tempFile() {
        try {
            Path file = Files.createTempFile("idx-fuzz", ".idx");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
