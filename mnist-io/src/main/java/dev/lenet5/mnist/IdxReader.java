package dev.lenet5.mnist;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads IDX files (the MNIST format), gzipped or not, streaming and validating everything it is told.
 *
 * <p>Format: two zero bytes, a type code ({@link IdxType}), the number of dimensions; then each dimension
 * as a big-endian int; then the elements, big-endian, row-major. Whether the source is gzip-compressed is
 * decided by its first two bytes ({@code 1F 8B}), not by its name, so a {@code .gz} name on a plain file
 * (or the reverse) still reads.
 *
 * <p>Nothing is allocated from an unchecked header: dimensions must be positive, their product must fit
 * a Java array and the data must fit {@link #maxDataBytes()}; a plain file must be exactly as long as its
 * header says, and a gzip file at most 1032 times shorter (deflate's largest expansion). Even then a gzip
 * source gets an array that grows with the data actually decompressed, so a lying header costs at most
 * twice the real data. Every problem is an {@link IdxFormatException} whose message starts with the
 * source name.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class IdxReader {

    /** Default limit on the data a header may declare: 1 GiB. */
    public static final long DEFAULT_MAX_DATA_BYTES = 1L << 30;

    /** The largest array length the JVM allocates reliably. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * Deflate's largest expansion: a length-258 match in two bits (Huffman codes of one bit for the length
     * and the distance), so no gzip file holds more than this many times its own size.
     */
    static final long MAX_DEFLATE_RATIO = 1032;

    /** What an unsized (gzip) source gets before its data proves it deserves more. */
    static final int INITIAL_ALLOCATION_BYTES = 1 << 20;

    /** How far past the declared data we look to report how many surplus bytes there are. */
    static final long TRAILING_SCAN_LIMIT = 1 << 20;

    private static final int IO_BUFFER_BYTES = 1 << 16;

    private final long maxDataBytes;

    public IdxReader() {
        this(DEFAULT_MAX_DATA_BYTES);
    }

    /** A reader that refuses headers declaring more than {@code maxDataBytes} bytes of data. */
    public IdxReader(long maxDataBytes) {
        if (maxDataBytes < 1) {
            throw new IllegalArgumentException("maxDataBytes must be positive, got " + maxDataBytes);
        }
        this.maxDataBytes = maxDataBytes;
    }

    public long maxDataBytes() {
        return maxDataBytes;
    }

    /** Reads one IDX file, gzipped or not. Messages name the file by {@code file.toString()}. */
    public IdxArray read(Path file) throws IOException {
        return read(file, "items");
    }

    /**
     * Reads an IDX stream, gzipped or not, to its end (trailing bytes are an error); does not close it.
     * {@code sourceName} (e.g. a resource path) starts every error message.
     */
    public IdxArray read(InputStream in, String sourceName) throws IOException {
        return read(in, -1, sourceName, "items");
    }

    /** As {@link #read(Path)}, calling the items along the first dimension {@code itemNoun} in messages. */
    IdxArray read(Path file, String itemNoun) throws IOException {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new IdxFormatException(source, "is a directory, not an IDX file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, Files.size(file), source, itemNoun);
        } catch (NoSuchFileException e) {
            FileNotFoundException missing = new FileNotFoundException(source + ": no such file");
            missing.initCause(e);
            throw missing;
        }
    }

    /** As {@link #read(InputStream, String)} with a noun for the items. */
    IdxArray read(InputStream in, String sourceName, String itemNoun) throws IOException {
        return read(in, -1, sourceName, itemNoun);
    }

    private IdxArray read(InputStream raw, long rawLength, String source, String noun) throws IOException {
        // Shielded: closing the decompressor (which frees its native inflater) must not close the caller's stream.
        BufferedInputStream buffered = new BufferedInputStream(new FilterInputStream(raw) {
            @Override
            public void close() {
            }
        }, IO_BUFFER_BYTES);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = b0 < 0 ? -1 : buffered.read();
        buffered.reset();
        if (b0 < 0) {
            throw new IdxFormatException(source, "is empty");
        }
        if (b0 == 0x1F && b1 == 0x8B) {
            try (GzipGuard gzip = GzipGuard.open(buffered, source)) {
                return parse(gzip, rawLength, source, noun, gzip);
            }
        }
        if (b0 == 0 && b1 <= 0) {
            return parse(buffered, rawLength, source, noun, null);
        }
        throw new IdxFormatException(source, "is neither gzip-compressed (starting with 1F 8B) nor an"
                + " uncompressed IDX file (starting with 00 00): "
                + (b1 < 0 ? "it holds the single byte " + hexBytes((byte) b0)
                          : "it starts with " + hexBytes((byte) b0, (byte) b1)));
    }

    // ------------------------------------------------------------------ header

    /**
     * @param knownLength the length of the file, or -1 for a stream; for a gzip file, the compressed length,
     *                    which bounds what the header may declare but not what the data will be
     */
    private IdxArray parse(InputStream in, long knownLength, String source, String noun, GzipGuard gzip)
            throws IOException {
        byte[] magic = new byte[4];
        int n = readFully(in, magic, 0, 4);
        if (n < 4) {
            throw ended(gzip, source, "the data ends inside the header after " + n
                    + " bytes (an IDX header starts with a 4-byte magic number)");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(source, "wrong magic number "
                    + hexBytes(magic[0], magic[1], magic[2], magic[3])
                    + ": an IDX file starts with two zero bytes, a type code and the number of dimensions");
        }
        IdxType type = IdxType.fromCode(magic[2] & 0xFF);
        if (type == null) {
            throw new IdxFormatException(source, "unknown type code " + IdxType.hex(magic[2])
                    + " in the magic number; the IDX type codes are " + IdxType.knownCodes());
        }
        int rank = magic[3] & 0xFF;
        if (rank == 0) {
            throw new IdxFormatException(source, "the header declares 0 dimensions; an IDX file has at least one");
        }
        int headerBytes = 4 + 4 * rank;
        byte[] dimBytes = new byte[4 * rank];  // at most 1020 bytes, whatever the header says
        n = readFully(in, dimBytes, 0, dimBytes.length);
        if (n < dimBytes.length) {
            throw ended(gzip, source, "the data ends inside the header after " + (4 + n) + " bytes (a header with "
                    + rank + (rank == 1 ? " dimension" : " dimensions") + " is " + headerBytes + " bytes)");
        }
        int[] dims = new int[rank];
        ByteBuffer dimView = ByteBuffer.wrap(dimBytes).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < rank; i++) {
            dims[i] = dimView.getInt();
            if (dims[i] < 1) {
                throw new IdxFormatException(source, "dimension " + (i + 1) + " of " + rank + " is " + dims[i]
                        + (dims[i] < 0 ? String.format(" (0x%08X)", dims[i]) : "")
                        + "; every dimension must be between 1 and " + Integer.MAX_VALUE);
            }
        }
        long elements = checkedElementCount(dims, type, source);
        long dataBytes = elements * type.bytesPerElement();

        if (gzip != null && knownLength >= 0) {
            // Deflate cannot expand data more than 1032-fold: a larger claim cannot be true, whatever follows.
            long plausible = MAX_DEFLATE_RATIO * knownLength;
            if (headerBytes + dataBytes > plausible) {
                throw new IdxFormatException(source, "header says " + declared(dims, noun) + " (" + dataBytes
                        + " data bytes), more than a gzip file of " + knownLength + " bytes can hold (deflate"
                        + " expands at most " + MAX_DEFLATE_RATIO + "-fold, to " + plausible + " bytes)");
            }
        } else if (knownLength >= 0) {
            // A plain file tells its size: judge the header against it before allocating anything.
            long available = knownLength - headerBytes;
            if (available < dataBytes) {
                throw new IdxFormatException(source, shortData(dims, noun, type, available, dataBytes));
            }
            if (available > dataBytes) {
                throw new IdxFormatException(source, trailing(dims, noun, available - dataBytes, false));
            }
        }

        Object data = readData(in, type, (int) elements, knownLength >= 0 && gzip == null, dims, noun, source, gzip);
        checkNothingFollows(in, dims, noun, source, gzip);
        return new IdxArray(source, type, dims, data);
    }

    private long checkedElementCount(int[] dims, IdxType type, String source) throws IdxFormatException {
        long elements = 1;
        for (int d : dims) {
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException e) {
                throw new IdxFormatException(source, "dimensions " + IdxArray.shape(dims)
                        + " describe more than " + Long.MAX_VALUE + " elements (their product overflows)");
            }
        }
        if (elements > MAX_ELEMENTS) {
            throw new IdxFormatException(source, "dimensions " + IdxArray.shape(dims) + " describe " + elements
                    + " elements, more than the " + MAX_ELEMENTS + " a Java array can hold");
        }
        long dataBytes = elements * type.bytesPerElement();
        if (dataBytes > maxDataBytes) {
            throw new IdxFormatException(source, "dimensions " + IdxArray.shape(dims) + " describe " + elements
                    + " " + type.describe() + " elements = " + dataBytes
                    + " bytes, more than this reader's limit of " + maxDataBytes + " bytes");
        }
        return elements;
    }

    // ------------------------------------------------------------------ data

    private static Object readData(InputStream in, IdxType type, int total, boolean sizeKnown, int[] dims,
                                   String noun, String source, GzipGuard gzip) throws IOException {
        int size = type.bytesPerElement();
        long dataBytes = (long) total * size;
        // Without a known length the header is only a claim: start small, double as data arrives.
        int capacity = sizeKnown ? total : Math.min(total, Math.max(1, INITIAL_ALLOCATION_BYTES / size));
        Object data = allocate(type, capacity, dataBytes, source);

        if (size == 1) {
            byte[] bytes = (byte[]) data;
            int filled = 0;
            while (filled < total) {
                if (filled == bytes.length) {
                    bytes = (byte[]) grow(type, bytes, filled, doubled(filled, filled + 1, total), dataBytes, source);
                }
                int r = readSome(in, bytes, filled, bytes.length - filled);
                if (r < 0) {
                    throw ended(gzip, source, shortData(dims, noun, type, filled, dataBytes));
                }
                filled += r;
            }
            return bytes;
        }

        // Multi-byte elements: read raw bytes into a scratch buffer, decode whole elements, carry the rest.
        byte[] scratch = new byte[IO_BUFFER_BYTES];
        int pending = 0;
        int filled = 0;
        long bytesRead = 0;
        while (filled < total) {
            long stillNeeded = (long) (total - filled) * size - pending;
            int want = (int) Math.min(scratch.length - pending, stillNeeded);
            int r = readSome(in, scratch, pending, want);
            if (r < 0) {
                throw ended(gzip, source, shortData(dims, noun, type, bytesRead, dataBytes));
            }
            bytesRead += r;
            pending += r;
            int count = pending / size;
            if (count == 0) {
                continue;
            }
            if (filled + count > capacity) {
                capacity = doubled(capacity, filled + count, total);
                data = grow(type, data, filled, capacity, dataBytes, source);
            }
            decode(type, scratch, count, data, filled);
            filled += count;
            int decodedBytes = count * size;
            System.arraycopy(scratch, decodedBytes, scratch, 0, pending - decodedBytes);
            pending -= decodedBytes;
        }
        return data;
    }

    private static void decode(IdxType type, byte[] src, int count, Object dst, int dstOff) {
        ByteBuffer view = ByteBuffer.wrap(src, 0, count * type.bytesPerElement()).order(ByteOrder.BIG_ENDIAN);
        switch (type) {
            case SHORT:
                view.asShortBuffer().get((short[]) dst, dstOff, count);
                break;
            case INT:
                view.asIntBuffer().get((int[]) dst, dstOff, count);
                break;
            case FLOAT:
                view.asFloatBuffer().get((float[]) dst, dstOff, count);
                break;
            case DOUBLE:
                view.asDoubleBuffer().get((double[]) dst, dstOff, count);
                break;
            default:
                throw new AssertionError("byte types are read without decoding: " + type);
        }
    }

    /** A new array of {@code newCapacity} elements holding the first {@code filled} of {@code old}. */
    private static Object grow(IdxType type, Object old, int filled, int newCapacity, long dataBytes,
                               String source) throws IdxFormatException {
        Object bigger = allocate(type, newCapacity, dataBytes, source);
        System.arraycopy(old, 0, bigger, 0, filled);
        return bigger;
    }

    /** Double, but never past what the header declares. */
    private static int doubled(int capacity, int atLeast, int total) {
        return (int) Math.min(total, Math.max((long) capacity * 2, atLeast));
    }

    private static Object allocate(IdxType type, int length, long dataBytes, String source)
            throws IdxFormatException {
        try {
            switch (type) {
                case UNSIGNED_BYTE:
                case SIGNED_BYTE:
                    return new byte[length];
                case SHORT:
                    return new short[length];
                case INT:
                    return new int[length];
                case FLOAT:
                    return new float[length];
                case DOUBLE:
                    return new double[length];
                default:
                    throw new AssertionError(type);
            }
        } catch (OutOfMemoryError e) {
            // One big array failed to fit; nothing else was half-built, so reporting it is safe.
            throw new IdxFormatException(source, "its data needs " + dataBytes + " bytes but the Java heap"
                    + " cannot hold them (maximum heap " + Runtime.getRuntime().maxMemory()
                    + " bytes); run with a larger -Xmx");
        }
    }

    private static void checkNothingFollows(InputStream in, int[] dims, String noun, String source,
                                            GzipGuard gzip) throws IOException {
        byte[] probe = new byte[8192];
        long extra = 0;
        while (extra <= TRAILING_SCAN_LIMIT) {
            int r = readSome(in, probe, 0, probe.length);
            if (r < 0) {
                break;
            }
            extra += r;
        }
        if (extra > 0) {
            throw new IdxFormatException(source, trailing(dims, noun, extra, extra > TRAILING_SCAN_LIMIT));
        }
        if (gzip != null && gzip.truncated()) {
            throw new IdxFormatException(source, "the gzip stream is truncated after the IDX data"
                    + " (its end and checksum are missing)");
        }
    }

    // ------------------------------------------------------------------ messages

    private static IdxFormatException ended(GzipGuard gzip, String source, String problem) {
        return new IdxFormatException(source,
                gzip != null && gzip.truncated() ? "the gzip stream is truncated; " + problem : problem);
    }

    /** "header says 60000 images of 28x28 but the data ends after 1234 images (… of … data bytes)". */
    private static String shortData(int[] dims, String noun, IdxType type, long bytesPresent, long dataBytes) {
        long itemBytes = (long) IdxArray.itemSize(dims) * type.bytesPerElement();
        long complete = Math.max(0, bytesPresent) / itemBytes;
        return "header says " + declared(dims, noun) + " but the data ends after " + counted(complete, noun)
                + " (" + Math.max(0, bytesPresent) + " of " + dataBytes + " data bytes)";
    }

    private static String trailing(int[] dims, String noun, long extra, boolean atLeast) {
        return "trailing garbage: " + (atLeast ? "more than " + TRAILING_SCAN_LIMIT : String.valueOf(extra))
                + (extra == 1 && !atLeast ? " byte" : " bytes") + " after the " + declared(dims, noun)
                + " the header declares";
    }

    private static String declared(int[] dims, String noun) {
        if (dims.length == 1) {
            return counted(dims[0], noun);
        }
        int[] rest = new int[dims.length - 1];
        System.arraycopy(dims, 1, rest, 0, rest.length);
        return counted(dims[0], noun) + " of " + IdxArray.shape(rest);
    }

    /** "1 image", "2 images": the nouns used here are all regular plurals. */
    private static String counted(long n, String pluralNoun) {
        return n + " " + (n == 1 && pluralNoun.endsWith("s")
                ? pluralNoun.substring(0, pluralNoun.length() - 1) : pluralNoun);
    }

    private static String hexBytes(byte... bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02X", b & 0xFF));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ plumbing

    /** Reads until {@code len} bytes or the end; returns how many were read. */
    private static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int r = readSome(in, b, off + done, len - done);
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    /**
     * One read of at least one byte, or -1 at the end. A stream answering 0 to a non-empty request is
     * broken; it counts as ended (as {@link BufferedInputStream} treats it), so no loop can spin on it.
     */
    private static int readSome(InputStream in, byte[] b, int off, int len) throws IOException {
        int r = in.read(b, off, len);
        return r == 0 ? -1 : r;
    }
}
