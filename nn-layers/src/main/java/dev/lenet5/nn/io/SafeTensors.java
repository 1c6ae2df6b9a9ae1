package dev.lenet5.nn.io;

import dev.lenet5.nn.Tensor;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads and writes named float32 tensors in the safetensors format: an 8-byte little-endian header length N,
 * N bytes of UTF-8 JSON mapping each name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets
 * relative to the data section) plus an optional {@code "__metadata__"} string map, then the raw little-endian
 * data.
 *
 * <p>The writer writes {@code F32}. The reader also accepts {@code F64}, {@code F16} and {@code BF16}, converted to
 * float32 as PyTorch's {@code Tensor.float()} converts them, so files that {@code safetensors.torch.save_file}
 * writes from a model in another precision load as well. The reader trusts nothing in the file: the header length is checked
 * against the file size and a cap before anything is allocated, the JSON is parsed strictly, and every
 * tensor's offsets must be in range, match its shape, and tile the data section exactly (no overlap, no gap,
 * as the reference implementation requires). The writer goes through {@link AtomicFiles}, so a crash never
 * leaves a torn file.
 */
public final class SafeTensors {

    /** The reference implementation's cap on the header, which keeps a corrupt length from allocating gigabytes. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    public static final String METADATA_KEY = "__metadata__";

    private SafeTensors() {
    }

    /** A file's tensors in header order and its metadata (empty when absent). */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {

        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** The tensor with this name; throws naming the missing tensor if absent. */
        public Tensor tensor(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no tensor named '" + name + "'; the file has " + tensors.keySet());
            }
            return t;
        }
    }

    // ------------------------------------------------------------------------------------------- writing

    /** Writes the tensors, in the map's order, without metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (in the map's iteration order) and {@code metadata} (sorted by key) to {@code file}
     * atomically, replacing any existing file. The same tensors and metadata always give the same bytes.
     *
     * @throws IllegalArgumentException for an empty or reserved name
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] header = header(tensors, metadata);
        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                float[] data = t.data();
                for (int i = 0; i < data.length; ) {
                    int n = Math.min(chunk.capacity() / 4, data.length - i);
                    chunk.clear();
                    chunk.asFloatBuffer().put(data, i, n);
                    out.write(chunk.array(), 0, 4 * n);
                    i += n;
                }
            }
        });
    }

    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(Json.quote(METADATA_KEY)).append(":{");
            String sep = "";
            for (var e : sorted(metadata).entrySet()) {
                json.append(sep).append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                sep = ",";
            }
            json.append('}');
        }
        long offset = 0;
        String sep = metadata.isEmpty() ? "" : ",";
        for (var e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("invalid tensor name '" + name + "'");
            }
            Tensor t = Objects.requireNonNull(e.getValue(), name);
            long end = offset + 4L * t.size();
            json.append(sep).append(Json.quote(name)).append(":{\"dtype\":\"").append(DType.F32).append("\",\"shape\":[");
            int[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
            sep = ",";
        }
        json.append('}');
        byte[] utf8;
        try {
            utf8 = toBytes(json);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a tensor name or metadata string is not valid Unicode", e);
        }
        // Pad with spaces to a multiple of 8 so the data section is aligned, as the reference writer does.
        int padded = (utf8.length + 7) & ~7;
        byte[] out = Arrays.copyOf(utf8, padded);
        Arrays.fill(out, utf8.length, padded, (byte) ' ');
        return out;
    }

    /**
     * The metadata in key order: the same entries give the same bytes whichever map holds them ({@code Map.of}
     * iterates in an order that changes from one JVM run to the next).
     */
    private static Map<String, String> sorted(Map<String, String> metadata) {
        Map<String, String> sorted = new TreeMap<>();
        for (var e : metadata.entrySet()) {
            sorted.put(Objects.requireNonNull(e.getKey(), "metadata key"),
                    Objects.requireNonNull(e.getValue(), "metadata value"));
        }
        return sorted;
    }

    private static byte[] toBytes(CharSequence s) throws CharacterCodingException {
        ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(s));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    // ------------------------------------------------------------------------------------------- reading

    /**
     * Reads every tensor and the metadata of {@code file}.
     *
     * @throws SafeTensorsException if the file is not a valid safetensors file of F32, F64, F16 or BF16 tensors;
     *                              the message names the file and the problem
     */
    public static Contents read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw corrupt(file, "the file has " + size + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long headerLen = lenBuf.flip().getLong();   // unsigned in the format: negative means >= 2^63
            if (headerLen < 0 || headerLen > size - 8) {
                throw corrupt(file, "the header length " + Long.toUnsignedString(headerLen) + " exceeds the "
                        + (size - 8) + " bytes that follow it");
            }
            if (headerLen > MAX_HEADER_BYTES) {
                throw corrupt(file, "the header length " + headerLen + " exceeds the cap of " + MAX_HEADER_BYTES + " bytes");
            }
            if (headerLen < 2) {
                throw corrupt(file, "the header length " + headerLen + " is too short for a JSON object");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, file);
            String headerText;
            try {
                headerText = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(headerBuf.flip()).toString();
            } catch (CharacterCodingException e) {
                throw corrupt(file, "the header is not valid UTF-8");
            }
            Object parsed;
            try {
                parsed = Json.parse(headerText);
            } catch (Json.JsonException e) {
                throw corrupt(file, "the header is not valid JSON: " + e.getMessage());
            }
            long dataStart = 8 + headerLen;
            Header header = Header.of(parsed, size - dataStart, file);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : header.entries) {
                float[] data = new float[Math.toIntExact(e.elements)];
                readFloats(ch, dataStart + e.begin, e.dtype, data, file);
                tensors.put(e.name, new Tensor(e.shape, data));
            }
            return new Contents(tensors, header.metadata);
        }
    }

    private static void readFloats(FileChannel ch, long position, DType dtype, float[] out, Path file)
            throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < out.length; ) {
            int n = Math.min(chunk.capacity() / dtype.bytes, out.length - i);
            chunk.clear().limit(dtype.bytes * n);
            readFully(ch, chunk, position + (long) dtype.bytes * i, file);
            dtype.toFloats(chunk.flip(), out, i, n);
            i += n;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position, Path file) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw corrupt(file, "the file ended early at byte " + p);
            }
            p += n;
        }
    }

    static SafeTensorsException corrupt(Path file, String problem) {
        return new SafeTensorsException(file + ": not a valid safetensors file: " + problem);
    }

    private record Entry(String name, DType dtype, int[] shape, long elements, long begin, long end) {
    }

    /** The validated header: entries in header order, metadata. */
    private static final class Header {
        final List<Entry> entries = new ArrayList<>();
        final Map<String, String> metadata = new LinkedHashMap<>();

        static Header of(Object parsed, long dataBytes, Path file) throws SafeTensorsException {
            if (!(parsed instanceof Map<?, ?> top)) {
                throw corrupt(file, "the header is not a JSON object");
            }
            Header h = new Header();
            for (var e : top.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals(METADATA_KEY)) {
                    h.readMetadata(e.getValue(), file);
                } else {
                    h.entries.add(entry(name, e.getValue(), file));
                }
            }
            h.checkLayout(dataBytes, file);
            return h;
        }

        private void readMetadata(Object value, Path file) throws SafeTensorsException {
            if (!(value instanceof Map<?, ?> map)) {
                throw corrupt(file, "\"__metadata__\" must be an object of strings");
            }
            for (var e : map.entrySet()) {
                if (!(e.getValue() instanceof String s)) {
                    throw corrupt(file, "metadata \"" + e.getKey() + "\" must be a string");
                }
                metadata.put((String) e.getKey(), s);
            }
        }

        private static Entry entry(String name, Object value, Path file) throws SafeTensorsException {
            String where = "tensor '" + name + "'";
            if (name.isEmpty()) {
                throw corrupt(file, "a tensor has an empty name");
            }
            if (!(value instanceof Map<?, ?> fields)) {
                throw corrupt(file, where + " must be described by an object");
            }
            for (Object key : fields.keySet()) {
                if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                    throw corrupt(file, where + " has an unknown field \"" + key + "\"");
                }
            }
            Object dtype = fields.get("dtype");
            if (!(dtype instanceof String d)) {
                throw corrupt(file, where + " has no \"dtype\" string");
            }
            DType type = DType.of(d);
            if (type == null) {
                throw corrupt(file, where + " has dtype " + d + "; only " + DType.SUPPORTED + " are supported");
            }
            List<Long> shapeList = integers(fields.get("shape"), where + " \"shape\"", -1, file);
            int[] shape = new int[shapeList.size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                long dim = shapeList.get(i);
                if (dim > Integer.MAX_VALUE) {
                    throw corrupt(file, where + " has a dimension too large: " + dim);
                }
                shape[i] = (int) dim;
                elements = dim == 0 || elements == 0 ? 0 : elements * dim;
                if (elements > Integer.MAX_VALUE - 8) {
                    throw corrupt(file, where + " has shape " + shapeList + ": more elements than one Java array can hold");
                }
            }
            List<Long> offsets = integers(fields.get("data_offsets"), where + " \"data_offsets\"", 2, file);
            long begin = offsets.get(0);
            long end = offsets.get(1);
            if (end < begin) {
                throw corrupt(file, where + " has data_offsets " + offsets + " that end before they begin");
            }
            if (end - begin != type.bytes * elements) {
                throw corrupt(file, where + " has shape " + Arrays.toString(shape) + " (" + type.bytes * elements
                        + " bytes of " + type + ") but data_offsets " + offsets + " span " + (end - begin) + " bytes");
            }
            return new Entry(name, type, shape, elements, begin, end);
        }

        /** A JSON array of non-negative integers (of the given length, or any when -1). */
        private static List<Long> integers(Object value, String where, int length, Path file) throws SafeTensorsException {
            if (!(value instanceof List<?> list)) {
                throw corrupt(file, where + " must be an array of integers");
            }
            if (length >= 0 && list.size() != length) {
                throw corrupt(file, where + " must have " + length + " entries, has " + list.size());
            }
            List<Long> out = new ArrayList<>();
            for (Object o : list) {
                long v;
                try {
                    if (!(o instanceof BigDecimal n)) {
                        throw new ArithmeticException();
                    }
                    v = n.longValueExact();
                } catch (ArithmeticException e) {
                    throw corrupt(file, where + " must hold integers, found " + o);
                }
                if (v < 0) {
                    throw corrupt(file, where + " must not hold negative numbers, found " + v);
                }
                out.add(v);
            }
            return out;
        }

        /** The tensors must tile [0, dataBytes) exactly: sorted by offset, each begins where the previous ended. */
        private void checkLayout(long dataBytes, Path file) throws SafeTensorsException {
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long expected = 0;
            String previous = null;
            for (Entry e : sorted) {
                if (e.end > dataBytes) {
                    throw corrupt(file, "tensor '" + e.name + "' has data_offsets [" + e.begin + ", " + e.end
                            + "] beyond the " + dataBytes + "-byte data section");
                }
                if (e.begin < expected) {
                    throw corrupt(file, "tensor '" + e.name + "' (bytes " + e.begin + ".." + e.end + ") overlaps '"
                            + previous + "' (which ends at " + expected + ")");
                }
                if (e.begin > expected) {
                    throw corrupt(file, "the data section has a gap of " + (e.begin - expected) + " bytes before tensor '"
                            + e.name + "' (at " + expected + ")");
                }
                expected = e.end;
                previous = e.name;
            }
            if (expected != dataBytes) {
                throw corrupt(file, "the tensors cover " + expected + " bytes but the data section has " + dataBytes
                        + " (trailing bytes or a truncated header)");
            }
        }
    }
}
