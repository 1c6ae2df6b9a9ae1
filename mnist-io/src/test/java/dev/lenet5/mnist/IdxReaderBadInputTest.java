package dev.lenet5.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed input gets its own specific message, starting with the file name. */
class IdxReaderBadInputTest {

    @TempDir
    Path dir;

    private final IdxReader reader = new IdxReader();

    // ------------------------------------------------------------------ not IDX at all

    @Test
    void emptyFile() throws IOException {
        assertProblem("empty.idx", new byte[0], "is empty");
    }

    @Test
    void neitherGzipNorIdx() throws IOException {
        assertProblem("archive.zip", new byte[] {0x50, 0x4B, 3, 4, 0, 0},
                "is neither gzip-compressed (starting with 1F 8B) nor an uncompressed IDX file (starting with"
                        + " 00 00): it starts with 50 4B");
        assertProblem("one-byte", new byte[] {0x1F},
                "is neither gzip-compressed (starting with 1F 8B) nor an uncompressed IDX file (starting with"
                        + " 00 00): it holds the single byte 1F");
    }

    @Test
    void wrongMagicInsideGzip() throws IOException {
        byte[] raw = IdxBytes.unsignedBytes(new byte[] {1, 2}, 2);
        raw[1] = 0x01;
        assertProblem("magic.gz", IdxBytes.gzip(raw), "wrong magic number 00 01 08 01: an IDX file starts with two"
                + " zero bytes, a type code and the number of dimensions");
    }

    @Test
    void unknownTypeCode() throws IOException {
        byte[] raw = IdxBytes.concat(IdxBytes.header(0x07, 2), new byte[2]);
        String expected = "unknown type code 0x07 in the magic number; the IDX type codes are 0x08 unsigned byte,"
                + " 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double";
        assertProblem("type.idx", raw, expected);
        assertProblem("type.idx.gz", IdxBytes.gzip(raw), expected);
    }

    // ------------------------------------------------------------------ header values

    @Test
    void zeroDimensions() throws IOException {
        assertProblem("rank0.idx", IdxBytes.header(0x08), "the header declares 0 dimensions; an IDX file has at"
                + " least one");
    }

    @Test
    void dimensionOfZero() throws IOException {
        assertProblem("zero.idx", IdxBytes.header(0x08, 10, 0, 28),
                "dimension 2 of 3 is 0; every dimension must be between 1 and 2147483647");
    }

    @Test
    void negativeDimension() throws IOException {
        assertProblem("negative.idx.gz", IdxBytes.gzip(IdxBytes.header(0x0D, -1)),
                "dimension 1 of 1 is -1 (0xFFFFFFFF); every dimension must be between 1 and 2147483647");
    }

    @Test
    void dimensionProductOverflows() throws IOException {
        int m = Integer.MAX_VALUE;
        assertProblem("overflow.idx", IdxBytes.header(0x08, m, m, m, m, 2),
                "dimensions 2147483647x2147483647x2147483647x2147483647x2 describe more than 9223372036854775807"
                        + " elements (their product overflows)");
    }

    @Test
    void moreElementsThanAnArrayHolds() throws IOException {
        assertProblem("huge.idx", IdxBytes.header(0x08, 65536, 65536),
                "dimensions 65536x65536 describe 4294967296 elements, more than the 2147483639 a Java array can hold");
    }

    @Test
    void moreBytesThanTheReaderAllows() throws IOException {
        // 200 million doubles = 1.6 GB: under the element cap, over the default 1 GiB.
        assertProblem("doubles.idx", IdxBytes.header(0x0E, 200_000, 1000),
                "dimensions 200000x1000 describe 200000000 double (0x0E) elements = 1600000000 bytes, more than"
                        + " this reader's limit of 1073741824 bytes");
        // And a configured cap, checked before any data is read.
        Path file = IdxBytes.write(dir, "capped.idx", IdxBytes.unsignedBytes(new byte[1010], 10, 101));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> new IdxReader(1000).read(file));
        assertEquals(file + ": dimensions 10x101 describe 1010 unsigned byte (0x08) elements = 1010 bytes,"
                + " more than this reader's limit of 1000 bytes", e.getMessage());
        assertEquals(1010, new IdxReader(1010).read(file).length());
        assertThrows(IllegalArgumentException.class, () -> new IdxReader(0));
    }

    @Test
    void headerCutShort() throws IOException {
        assertProblem("cut3.idx", new byte[] {0, 0, 8},
                "the data ends inside the header after 3 bytes (an IDX header starts with a 4-byte magic number)");
        byte[] header = IdxBytes.header(0x08, 60000, 28, 28);
        assertProblem("cut6.idx", Arrays.copyOf(header, 6),
                "the data ends inside the header after 6 bytes (a header with 3 dimensions is 16 bytes)");
        assertProblem("cut6.gz", IdxBytes.gzip(Arrays.copyOf(header, 6)),
                "the data ends inside the header after 6 bytes (a header with 3 dimensions is 16 bytes)");
    }

    // ------------------------------------------------------------------ data too short or too long

    @Test
    void plainFileShorterThanItsHeaderSays() throws IOException {
        byte[] raw = IdxBytes.unsignedBytes(new byte[3 * 16 + 5], 10, 4, 4);
        assertProblem("short.idx", raw,
                "header says 10 items of 4x4 but the data ends after 3 items (53 of 160 data bytes)");
    }

    @Test
    void gzipContentShorterThanItsHeaderSays() throws IOException {
        byte[] raw = IdxBytes.floats(new float[7], 5, 2);
        assertProblem("short.gz", IdxBytes.gzip(raw),
                "header says 5 items of 2 but the data ends after 3 items (28 of 40 data bytes)");
        byte[] labels = IdxBytes.unsignedBytes(new byte[3], 9);
        assertProblem("labels.gz", IdxBytes.gzip(labels),
                "header says 9 items but the data ends after 3 items (3 of 9 data bytes)");
    }

    @Test
    void hugeClaimOnTinyDataFailsOnTheData() throws IOException {
        // 512 MiB declared, 10 bytes present: a plain file is judged by its size, a gzip stream by its data.
        byte[] raw = IdxBytes.unsignedBytes(new byte[10], 1, 1 << 29);
        String expected = "header says 1 item of 536870912 but the data ends after 0 items"
                + " (10 of 536870912 data bytes)";
        assertProblem("liar.idx", raw, expected);
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> reader.read(new ByteArrayInputStream(IdxBytes.gzip(raw)), "liar.gz"));
        assertEquals(expected, e.problem());
    }

    @Test
    void aGzipFileCannotClaimMoreThanDeflateExpandsTo() throws IOException {
        byte[] gz = IdxBytes.gzip(IdxBytes.unsignedBytes(new byte[10], 1, 1 << 29));
        Path file = IdxBytes.write(dir, "liar.gz", gz);
        assertThrows(IdxFormatException.class, () -> reader.read(file));   // classes loaded, strings bootstrapped
        long before = allocatedBytes();
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> reader.read(file));
        long allocated = allocatedBytes() - before;
        assertEquals("header says 1 item of 536870912 (536870912 data bytes), more than a gzip file of " + gz.length
                + " bytes can hold (deflate expands at most 1032-fold, to " + 1032 * gz.length + " bytes)", e.problem());
        // Refused from the header: a reader that waited for the data would have allocated its first megabyte.
        assertTrue(allocated < 256 << 10, "allocated " + allocated + " bytes for a " + gz.length + "-byte file");
    }

    @Test
    void theMostCompressedGzipFileIsStillBelieved() throws IOException {
        byte[] raw = IdxBytes.unsignedBytes(new byte[2000 * 784], 2000, 28, 28);
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(packed) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(raw);
        }
        byte[] gz = packed.toByteArray();
        assertTrue(raw.length > 1000L * gz.length, "close to deflate's limit: " + raw.length + " / " + gz.length);
        assertEquals(2000, reader.read(IdxBytes.write(dir, "zeros.gz", gz)).itemCount());
    }

    @Test
    void aLyingGzipHeaderDoesNotGetItsClaimAllocated() {
        // 1 GiB of doubles declared (the most the default cap allows), 80 bytes present, in a stream of unknown length.
        byte[] gz = IdxBytes.gzip(IdxBytes.doubles(new double[10], 1 << 27));
        long before = allocatedBytes();
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> reader.read(new ByteArrayInputStream(gz), "liar.gz"));
        long allocated = allocatedBytes() - before;
        assertEquals("liar.gz: header says 134217728 items but the data ends after 10 items"
                + " (80 of 1073741824 data bytes)", e.getMessage());
        assertTrue(allocated < 8L << 20, "allocated " + allocated + " bytes for 80 bytes of data");
    }

    /** Bytes the current thread has allocated so far (HotSpot's per-thread counter). */
    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean b && b.isThreadAllocatedMemorySupported()
                && b.isThreadAllocatedMemoryEnabled(), "needs HotSpot's allocation counter");
        return ((com.sun.management.ThreadMXBean) bean).getCurrentThreadAllocatedBytes();
    }

    @Test
    void trailingGarbage() throws IOException {
        byte[] raw = IdxBytes.concat(IdxBytes.unsignedBytes(new byte[12], 3, 2, 2), new byte[] {1, 2, 3, 4, 5});
        String expected = "trailing garbage: 5 bytes after the 3 items of 2x2 the header declares";
        assertProblem("extra.idx", raw, expected);
        assertProblem("extra.gz", IdxBytes.gzip(raw), expected);
        byte[] oneMore = IdxBytes.concat(IdxBytes.shorts(new short[2], 2), new byte[1]);
        assertProblem("extra1.gz", IdxBytes.gzip(oneMore),
                "trailing garbage: 1 byte after the 2 items the header declares");
    }

    @Test
    void endlessTrailingDataStopsAtTheScanLimit() {
        byte[] raw = IdxBytes.unsignedBytes(new byte[] {1, 2}, 2);
        InputStream endless = new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < raw.length ? raw[pos++] & 0xFF : 0;
            }
        };
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> reader.read(endless, "endless"));
        assertEquals("endless: trailing garbage: more than 1048576 bytes after the 2 items the header declares",
                e.getMessage());
    }

    @Test
    void bytesAfterTheGzipStream() throws IOException {
        byte[] gz = IdxBytes.gzip(IdxBytes.unsignedBytes(new byte[] {7}, 1));
        assertProblem("garbage.gz", IdxBytes.concat(gz, new byte[] {0, 0, 0}),
                "has trailing garbage: bytes after the end of its gzip data that do not start another gzip member");
    }

    // ------------------------------------------------------------------ broken gzip

    @Test
    void gzipCutInTheMiddleOfTheData() throws IOException {
        byte[] raw = IdxBytes.unsignedBytes(IdxBytes.pattern(100 * 400, 3), 100, 20, 20);
        byte[] gz = IdxBytes.gzip(raw);
        IdxFormatException e = problem("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        Matcher m = Pattern.compile("the gzip stream is truncated; header says 100 items of 20x20 but the data"
                + " ends after (\\d+) items \\((\\d+) of 40000 data bytes\\)").matcher(e.problem());
        assertTrue(m.matches(), e.getMessage());
        assertTrue(Integer.parseInt(m.group(1)) < 100, e.getMessage());
    }

    @Test
    void gzipCutInItsTrailer() throws IOException {
        byte[] gz = IdxBytes.gzip(IdxBytes.unsignedBytes(IdxBytes.pattern(50, 1), 50));
        IdxFormatException e = problem("trailer.gz", Arrays.copyOf(gz, gz.length - 3));
        assertTrue(e.problem().startsWith("the gzip stream is truncated"), e.getMessage());
    }

    @Test
    void gzipCutInItsHeader() throws IOException {
        byte[] gz = IdxBytes.gzip(IdxBytes.unsignedBytes(new byte[] {1}, 1));
        assertProblem("head.gz", Arrays.copyOf(gz, 5), "the gzip stream is truncated inside its header");
    }

    @Test
    void gzipWithUnsupportedMethodIsNotGzip() throws IOException {
        byte[] gz = IdxBytes.gzip(IdxBytes.unsignedBytes(new byte[] {1}, 1));
        gz[2] = 7;  // compression method: only 8 (deflate) exists
        IdxFormatException e = problem("method.gz", gz);
        assertTrue(e.problem().startsWith("is not a valid gzip stream ("), e.getMessage());
    }

    @Test
    void gzipChecksumMismatch() throws IOException {
        byte[] gz = IdxBytes.gzip(IdxBytes.unsignedBytes(IdxBytes.pattern(1000, 2), 1000));
        gz[gz.length - 8] ^= 0x55;  // first byte of the CRC32 in the trailer
        IdxFormatException e = problem("crc.gz", gz);
        assertTrue(e.problem().startsWith("the gzip data is corrupt: CRC32 checksum mismatch after "), e.getMessage());
    }

    @Test
    void gzipWithCorruptDeflateData() throws IOException {
        byte[] gz = IdxBytes.gzip(IdxBytes.unsignedBytes(IdxBytes.pattern(1000, 2), 1000));
        // Block header bits set to the reserved block type 3: no inflater accepts that.
        gz[10] |= 0x06;
        IdxFormatException e = problem("deflate.gz", gz);
        assertTrue(e.problem().startsWith("the gzip data is corrupt after 0 decompressed bytes ("), e.getMessage());
    }

    // ------------------------------------------------------------------ the file itself

    @Test
    void missingFile() {
        Path missing = dir.resolve("nope.gz");
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> reader.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void directoryInsteadOfFile() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub.gz"));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> reader.read(sub));
        assertEquals(sub + ": is a directory, not an IDX file", e.getMessage());
    }

    @Test
    void streamThatStopsDeliveringWithoutEndingIsRefused() {
        // A broken stream: the magic number, then "0 bytes read" forever instead of data or an end.
        byte[] magic = IdxBytes.header(0x08, 1, 200_000);
        InputStream stuck = new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < magic.length ? magic[pos++] : 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= magic.length || len == 0) {
                    return 0;
                }
                int n = Math.min(len, magic.length - pos);
                System.arraycopy(magic, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> reader.read(stuck, "stuck"));
        assertEquals("stuck: header says 1 item of 200000 but the data ends after 0 items (0 of 200000 data bytes)",
                e.getMessage());
    }

    @Test
    void streamErrorsNameTheStream() {
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> reader.read(new ByteArrayInputStream(new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 5}), "res:/x"));
        assertEquals("res:/x", e.source());
        assertEquals("res:/x: header says 2 items but the data ends after 1 item (1 of 2 data bytes)", e.getMessage());
    }

    // ------------------------------------------------------------------ helpers

    private void assertProblem(String name, byte[] content, String expectedProblem) throws IOException {
        IdxFormatException e = problem(name, content);
        assertEquals(expectedProblem, e.problem());
    }

    /** Reads the content from a file and from a stream; both must fail the same way, naming the source. */
    private IdxFormatException problem(String name, byte[] content) throws IOException {
        Path file = IdxBytes.write(dir, name, content);
        IdxFormatException fromFile = assertThrows(IdxFormatException.class, () -> reader.read(file));
        assertEquals(file.toString(), fromFile.source());
        assertTrue(fromFile.getMessage().startsWith(file + ": "), fromFile.getMessage());
        IdxFormatException fromStream = assertThrows(IdxFormatException.class,
                () -> reader.read(new ByteArrayInputStream(content), name));
        assertEquals(name + ": " + fromFile.problem(), fromStream.getMessage());
        return fromFile;
    }
}
