package dev.lenet5.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Jazzer harnesses for {@link SafeTensors#read}. The only exception the reader may throw for a bad file is
 * {@link SafeTensorsException}; anything else escaping (a RuntimeException, an OutOfMemoryError in the
 * harness's small heap) is a finding. A file the reader accepts must survive a round trip through the
 * writer unchanged (as float32, which F16, BF16 and F64 tensors become on reading), so the reader never accepts
 * what the writer cannot produce.
 *
 * <p>Seeds and past findings: {@code src/test/resources/dev/lenet5/nn/io/SafeTensorsFuzzTestInputs/<method>/}.
 */
class SafeTensorsFuzzTest {

    private static final Path DIR = scratchDirectory();
    private static final Path FILE = scratchFile("input.safetensors");
    private static final Path COPY = scratchFile("copy.safetensors");

    /** Any bytes as a safetensors file: header length, header JSON and data as they come. */
    @FuzzTest
    void fileBytes(byte[] input) throws IOException {
        readAndRoundTrip(input);
    }

    /**
     * The first byte gives the length of the data section (filled with a fixed pattern), the rest is the header
     * JSON; the harness writes the header length. The fuzzer spends its effort on the JSON and the offsets.
     */
    @FuzzTest
    void headerAndOffsets(byte[] input) throws IOException {
        int dataBytes = input.length == 0 ? 0 : input[0] & 0xFF;
        byte[] header = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        ByteBuffer file = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(header.length).put(header);
        for (int i = 0; i < dataBytes; i++) {
            file.put((byte) (i * 37 + 11));
        }
        readAndRoundTrip(file.array());
    }

    /** The real model file written by PyTorch's safetensors library, too large to be a good fuzzing seed. */
    @Test
    void theGoldenModelFilePasses() throws IOException {
        byte[] golden = Files.readAllBytes(Path.of("src/test/resources/golden/lenet5-golden.safetensors"));
        assertEquals(35, readAndRoundTrip(golden));
    }

    /** @return the number of tensors read, or -1 when the file was refused */
    private static int readAndRoundTrip(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        SafeTensors.Contents contents;
        try {
            contents = SafeTensors.read(FILE);
        } catch (SafeTensorsException refused) {
            return -1;
        }
        SafeTensors.write(COPY, contents.tensors(), contents.metadata());
        SafeTensors.Contents again = SafeTensors.read(COPY);
        assertEquals(contents.tensors(), again.tensors());
        assertEquals(contents.metadata(), again.metadata());
        return contents.tensors().size();
    }

    /** In memory where the system has it: the writer forces every file to disk. */
    private static Path scratchDirectory() {
        try {
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "safetensors-fuzz")
                    : Files.createTempDirectory("safetensors-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registered after the directory, so it is deleted before it. */
    private static Path scratchFile(String name) {
        Path file = DIR.resolve(name);
        file.toFile().deleteOnExit();
        return file;
    }
}
