package dev.lenet5.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.nn.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void writesTheDocumentedByteLayoutAndReadsItBack() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("conv1.bias", Tensor.of(new float[] {1.5f, -2f, Float.MIN_VALUE}, 3));
        tensors.put("w \"quoted\"\\", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("scalar", Tensor.of(new float[] {42f}));
        tensors.put("empty", Tensor.of(new float[0], 0, 4));
        Path file = dir.resolve("model.safetensors");
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("epoch", "3");
        metadata.put("note", "line\nbreak é");
        SafeTensors.write(file, tensors, metadata);

        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = b.getLong(0);
        assertEquals(0, headerLen % 8, "header padded to 8 bytes so the data is aligned");
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"epoch\":\"3\",\"note\":\"line\\nbreak é\"},"
                + "\"conv1.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"), header);
        assertTrue(header.contains("\"w \\\"quoted\\\"\\\\\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[12,36]}"),
                header);
        assertTrue(header.contains("\"scalar\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[36,40]}"), header);
        assertEquals(8 + headerLen + 40, bytes.length);
        assertEquals(1.5f, b.getFloat((int) (8 + headerLen)), "little-endian float data");
        assertEquals(-2f, b.getFloat((int) (8 + headerLen + 4)));

        SafeTensors.Contents read = SafeTensors.read(file);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(read.tensors().keySet()), "header order kept");
        assertEquals(tensors, read.tensors());
        assertEquals(Map.of("epoch", "3", "note", "line\nbreak é"), read.metadata());
    }

    @Test
    void theSameContentGivesTheSameBytesWhateverTheMetadataMapsOrder() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.of(new float[] {1, 2}, 2));
        tensors.put("b", Tensor.of(new float[] {3}, 1));
        Map<String, String> forward = new LinkedHashMap<>();
        Map<String, String> backward = new LinkedHashMap<>();
        String[] keys = {"epoch", "format", "network", "weights", "a", "Z"};
        for (int i = 0; i < keys.length; i++) {
            forward.put(keys[i], "v" + i);
            backward.put(keys[keys.length - 1 - i], "v" + (keys.length - 1 - i));
        }
        Path first = dir.resolve("first.safetensors");
        Path second = dir.resolve("second.safetensors");
        Path third = dir.resolve("third.safetensors");
        SafeTensors.write(first, tensors, forward);
        SafeTensors.write(second, tensors, backward);
        SafeTensors.write(third, tensors, Map.of("epoch", "v0", "format", "v1", "network", "v2", "weights", "v3",
                "a", "v4", "Z", "v5"));
        byte[] bytes = Files.readAllBytes(first);
        assertArrayEquals(bytes, Files.readAllBytes(second));
        assertArrayEquals(bytes, Files.readAllBytes(third));
        String header = new String(bytes, 8, (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0),
                StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"Z\":\"v5\",\"a\":\"v4\",\"epoch\":\"v0\",\"format\":\"v1\","
                + "\"network\":\"v2\",\"weights\":\"v3\"},\"w\":"), "metadata sorted, tensors in map order: " + header);
    }

    @Test
    void readsTheGoldenFileWrittenByPython() throws Exception {
        Path golden = Path.of(getClass().getResource("/golden/lenet5-golden.safetensors").toURI());
        SafeTensors.Contents c = SafeTensors.read(golden);
        assertEquals(35, c.tensors().size(), "input, labels, 10 parameters, logits, loss, 11 gradients, 10 Adam results");
        assertArrayEquals(new int[] {8, 1, 32, 32}, c.tensor("input").shape());
        assertArrayEquals(new int[] {120, 400}, c.tensor("grad.fc1.weight").shape());
        float[] labels = c.tensor("labels").data();
        assertEquals(5f, labels[0], "the first MNIST training label");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.tensor("nope"));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void writingIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("sub/m.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.of(new float[] {1}, 1)));
        SafeTensors.write(file, Map.of("b", Tensor.of(new float[] {2, 3}, 2)));
        assertEquals(List.of("b"), List.copyOf(SafeTensors.read(file).tensors().keySet()), "replaced");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "only the target remains");
        }
        // A failed write (invalid name found after the temp file would exist) keeps the old file intact.
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("ok", Tensor.of(new float[] {1}, 1));
        bad.put(SafeTensors.METADATA_KEY, Tensor.of(new float[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, bad));
        assertEquals(List.of("b"), List.copyOf(SafeTensors.read(file).tensors().keySet()));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count());
        }
    }

    // ------------------------------------------------------------------ rejection of corrupt files

    private Path raw(String header, int dataBytes) throws IOException {
        return raw(header.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8).length, dataBytes);
    }

    private Path raw(byte[] header, long declaredLength, int dataBytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(header);
        Path file = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(file, b.array());
        return file;
    }

    private void assertRejected(Path file, String expectedFragment) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedFragment), "expected '" + expectedFragment + "' in: " + e.getMessage());
    }

    private static String t(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    @Test
    void rejectsTruncatedFilesAndImpossibleHeaderLengths() throws IOException {
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertRejected(tiny, "too short");
        assertRejected(raw("{}".getBytes(StandardCharsets.UTF_8), 1_000_000, 0), "exceeds the 2 bytes that follow");
        assertRejected(raw("{}".getBytes(StandardCharsets.UTF_8), -1, 0), "18446744073709551615");
        byte[] big = new byte[(int) SafeTensors.MAX_HEADER_BYTES + 1];
        Path huge = dir.resolve("huge");
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(big.length);
        Files.write(huge, len.array());
        Files.write(huge, big, java.nio.file.StandardOpenOption.APPEND);
        assertRejected(huge, "exceeds the cap");
        // The data section is shorter than the header says.
        assertRejected(raw("{" + t("a", "F32", "[4]", 0, 16) + "}", 8), "beyond the 8-byte data section");
    }

    @Test
    void rejectsMalformedJson() throws IOException {
        assertRejected(raw("{\"a\":", 0), "not valid JSON");
        assertRejected(raw("[1,2]", 0), "not a JSON object");
        assertRejected(raw("{\"a\":{}} x", 0), "unexpected text after");
        assertRejected(raw("{" + t("a", "F32", "[1]", 0, 4) + "," + t("a", "F32", "[1]", 4, 8) + "}", 8),
                "duplicate key \"a\"");
        assertRejected(raw("{\"a\":\"\\q\"}", 0), "invalid escape");
        // Lone surrogates are not Unicode: the writer could not write such a name back, nor could the reference reader.
        assertRejected(raw("{\"__metadata__\":{\"n\":\"\\uDDDD\"}}", 0),
                "unpaired surrogate in a \\u escape at character 22");
        assertRejected(raw("{\"\\ud83d\\u0041\":{}}", 0), "unpaired surrogate");
        assertRejected(raw("{\"\\ud83d\":{}}", 0), "unpaired surrogate");
        assertRejected(raw("{\"a\":01}", 0), "not valid JSON");
        assertRejected(raw("[".repeat(100), 0), "nesting deeper");
        assertRejected(raw(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}, 7, 0), "not valid UTF-8");
    }

    @Test
    void rejectsTensorsThatDoNotDescribeTheData() throws IOException {
        assertRejected(raw("{" + t("a", "I64", "[2]", 0, 16) + "}", 16),
                "tensor 'a' has dtype I64; only F32, F64, F16 and BF16 are supported");
        assertRejected(raw("{" + t("a", "F16", "[3]", 0, 8) + "}", 8), "shape [3] (6 bytes of F16)");
        assertRejected(raw("{" + t("a", "F32", "[3]", 0, 8) + "}", 8), "shape [3] (12 bytes of F32)");
        assertRejected(raw("{" + t("a", "F32", "[2,-1]", 0, 8) + "}", 8), "negative");
        assertRejected(raw("{" + t("a", "F32", "[1.5]", 0, 8) + "}", 8), "must hold integers");
        assertRejected(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4), "must have 2 entries");
        assertRejected(raw("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "\"shape\" must be an array");
        assertRejected(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4),
                "unknown field \"x\"");
        assertRejected(raw("{\"a\":[1]}", 0), "tensor 'a' must be described by an object");
        assertRejected(raw("{" + t("a", "F32", "[1]", 4, 0) + "}", 4), "end before they begin");
        assertRejected(raw("{" + t("a", "F32", "[2147483647,4]", 0, 4) + "}", 4), "more elements than");
        assertRejected(raw("{\"__metadata__\":{\"epoch\":3}}", 0), "metadata \"epoch\" must be a string");
    }

    @Test
    void rejectsOverlapsGapsAndTrailingBytes() throws IOException {
        assertRejected(raw("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 4, 12) + "}", 12),
                "tensor 'b' (bytes 4..12) overlaps 'a'");
        assertRejected(raw("{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 8, 12) + "}", 12),
                "gap of 4 bytes before tensor 'b'");
        assertRejected(raw("{" + t("a", "F32", "[1]", 0, 4) + "}", 8), "cover 4 bytes but the data section has 8");
        // Two tensors on the same bytes.
        assertRejected(raw("{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 0, 4) + "}", 4), "overlaps");
    }

    @Test
    void acceptsHeaderPaddingAndOutOfOrderOffsets() throws IOException {
        String header = "{" + t("b", "F32", "[1]", 4, 8) + "," + t("a", "F32", "[1]", 0, 4) + "}    ";
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(2f);
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer all = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        all.putLong(h.length).put(h).put(data.array());
        Path file = dir.resolve("ooo.safetensors");
        Files.write(file, all.array());
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(List.of("b", "a"), List.copyOf(c.tensors().keySet()));
        assertEquals(2f, c.tensor("b").data()[0]);
        assertEquals(1f, c.tensor("a").data()[0]);
    }
}
