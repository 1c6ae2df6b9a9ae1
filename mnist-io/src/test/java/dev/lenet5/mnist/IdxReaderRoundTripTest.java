package dev.lenet5.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files of every IDX type written here (independently of the reader) must read back exactly. */
class IdxReaderRoundTripTest {

    @TempDir
    Path dir;

    private final IdxReader reader = new IdxReader();

    @Test
    void unsignedBytesKeepValuesAbove127() throws IOException {
        byte[] data = new byte[256];
        for (int i = 0; i < 256; i++) {
            data[i] = (byte) i;
        }
        for (IdxArray a : readAllWays("u8", IdxBytes.unsignedBytes(data, 4, 8, 8))) {
            assertEquals(IdxType.UNSIGNED_BYTE, a.type());
            assertArrayEquals(new int[] {4, 8, 8}, a.dims());
            assertArrayEquals(data, a.bytes());
            assertEquals(255.0, a.getAsDouble(255));
            assertEquals(128.0, a.getAsDouble(128));
            assertEquals(4, a.itemCount());
            assertEquals(64, a.itemSize());
            assertEquals("4x8x8", a.shape());
        }
    }

    @Test
    void signedBytesAreSigned() throws IOException {
        byte[] data = {-128, -1, 0, 1, 127, 42};
        for (IdxArray a : readAllWays("s8", IdxBytes.signedBytes(data, 6))) {
            assertEquals(IdxType.SIGNED_BYTE, a.type());
            assertArrayEquals(data, a.bytes());
            assertEquals(-128.0, a.getAsDouble(0));
            assertEquals(-1.0, a.getAsDouble(1));
        }
    }

    @Test
    void shortsRoundTrip() throws IOException {
        short[] data = new short[3 * 5 * 7];
        Random rnd = new Random(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = (short) rnd.nextInt();
        }
        data[0] = Short.MIN_VALUE;
        data[1] = Short.MAX_VALUE;
        data[2] = -1;
        for (IdxArray a : readAllWays("i16", IdxBytes.shorts(data, 3, 5, 7))) {
            assertEquals(IdxType.SHORT, a.type());
            assertArrayEquals(new int[] {3, 5, 7}, a.dims());
            assertArrayEquals(data, a.shorts());
            assertEquals(-32768.0, a.getAsDouble(0));
        }
    }

    @Test
    void intsRoundTrip() throws IOException {
        int[] data = new int[2 * 3 * 4 * 5];
        Random rnd = new Random(2);
        for (int i = 0; i < data.length; i++) {
            data[i] = rnd.nextInt();
        }
        data[0] = Integer.MIN_VALUE;
        data[1] = Integer.MAX_VALUE;
        for (IdxArray a : readAllWays("i32", IdxBytes.ints(data, 2, 3, 4, 5))) {
            assertEquals(IdxType.INT, a.type());
            assertEquals(4, a.rank());
            assertArrayEquals(data, a.ints());
            assertEquals((double) Integer.MIN_VALUE, a.getAsDouble(0));
        }
    }

    @Test
    void floatsRoundTripBitForBit() throws IOException {
        float[] data = {0f, -0f, 1.5f, -2.25e-3f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY,
            Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x7fc00123), 3.14159f, 1e-40f, -7f};
        for (IdxArray a : readAllWays("f32", IdxBytes.floats(data, 3, 4))) {
            assertEquals(IdxType.FLOAT, a.type());
            float[] back = a.floats();
            assertEquals(data.length, back.length);
            for (int i = 0; i < data.length; i++) {
                assertEquals(Float.floatToRawIntBits(data[i]), Float.floatToRawIntBits(back[i]), "element " + i);
            }
        }
    }

    @Test
    void doublesRoundTripBitForBit() throws IOException {
        double[] data = {0.0, -0.0, Math.PI, -1e300, Double.MIN_VALUE, Double.NaN, Double.NEGATIVE_INFINITY, 4.9e-324};
        for (IdxArray a : readAllWays("f64", IdxBytes.doubles(data, 8))) {
            assertEquals(IdxType.DOUBLE, a.type());
            double[] back = a.doubles();
            for (int i = 0; i < data.length; i++) {
                assertEquals(Double.doubleToRawLongBits(data[i]), Double.doubleToRawLongBits(back[i]), "element " + i);
            }
            assertEquals(Math.PI, a.getAsDouble(2));
        }
    }

    @Test
    void largeFilesCrossEveryBufferAndGrowthBoundary() throws IOException {
        // More than the 1 MiB first allocation and many 64 KiB chunks, odd sizes so nothing lines up.
        int n = 700_001;
        float[] floats = new float[n];
        Random rnd = new Random(3);
        for (int i = 0; i < n; i++) {
            floats[i] = rnd.nextFloat() * 2 - 1;
        }
        for (IdxArray a : readAllWays("big-f32", IdxBytes.floats(floats, n))) {
            assertArrayEquals(floats, a.floats());
        }
        byte[] bytes = IdxBytes.pattern(3 * 1_000_003, 5);
        for (IdxArray a : readAllWays("big-u8", IdxBytes.unsignedBytes(bytes, 3, 1_000_003))) {
            assertArrayEquals(bytes, a.bytes());
        }
    }

    @Test
    void elementsSplitAcrossTinyReadsAreReassembled() throws IOException {
        double[] data = new double[1001];
        short[] shorts = new short[999];
        Random rnd = new Random(4);
        for (int i = 0; i < data.length; i++) {
            data[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < shorts.length; i++) {
            shorts[i] = (short) rnd.nextInt();
        }
        // A stream that hands out 1 to 7 bytes per read splits elements at every possible place.
        IdxArray d = reader.read(new Trickle(IdxBytes.doubles(data, 7, 143), 7), "trickle-f64");
        assertArrayEquals(data, d.doubles());
        IdxArray s = reader.read(new Trickle(IdxBytes.gzip(IdxBytes.shorts(shorts, 999)), 3), "trickle-i16.gz");
        assertArrayEquals(shorts, s.shorts());
    }

    @Test
    void concatenatedGzipMembersReadAsOneStream() throws IOException {
        int[] data = new int[5000];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 7919 - 1_000_000;
        }
        byte[] raw = IdxBytes.ints(data, 50, 100);
        // Cuts inside the header, inside an element and near the end.
        byte[] members = IdxBytes.gzipMembers(raw, 6, 1003, raw.length - 2);
        IdxArray a = reader.read(IdxBytes.write(dir, "members.gz", members));
        assertArrayEquals(data, a.ints());
        assertArrayEquals(new int[] {50, 100}, a.dims());
    }

    @Test
    void compressionIsDetectedFromContentNotName() throws IOException {
        byte[] data = IdxBytes.pattern(60, 1);
        byte[] raw = IdxBytes.unsignedBytes(data, 60);
        IdxArray plainNamedGz = reader.read(IdxBytes.write(dir, "plain-but-named.gz", raw));
        IdxArray gzNamedPlain = reader.read(IdxBytes.write(dir, "compressed-but-named.idx", IdxBytes.gzip(raw)));
        assertArrayEquals(data, plainNamedGz.bytes());
        assertArrayEquals(data, gzNamedPlain.bytes());
    }

    @Test
    void sourceNamesTheFileOrStream() throws IOException {
        Path file = IdxBytes.write(dir, "named.idx", IdxBytes.unsignedBytes(new byte[] {1}, 1));
        assertEquals(file.toString(), reader.read(file).source());
        byte[] raw = IdxBytes.unsignedBytes(new byte[] {1}, 1);
        assertEquals("classpath:/x", reader.read(new ByteArrayInputStream(raw), "classpath:/x").source());
    }

    @Test
    void streamsAreLeftOpenForTheCaller() throws IOException {
        byte[] raw = IdxBytes.unsignedBytes(new byte[] {9, 8}, 2);
        CloseTracking in = new CloseTracking(IdxBytes.gzip(raw));
        reader.read(in, "stream");
        assertEquals(false, in.closed);
    }

    @Test
    void typedAccessorsRefuseTheWrongType() throws IOException {
        IdxArray a = reader.read(new ByteArrayInputStream(IdxBytes.floats(new float[] {1f}, 1)), "f");
        IllegalStateException e = assertThrows(IllegalStateException.class, a::bytes);
        assertEquals("f: bytes() called on an array of float (0x0D) elements", e.getMessage());
        assertThrows(IllegalStateException.class, a::ints);
        assertThrows(IllegalStateException.class, a::doubles);
    }

    @Test
    void inMemoryArraysCheckTheirShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxArray.ofFloats(new float[6], 2, 4));
        assertEquals("dimensions 2x4 do not match 6 elements", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdxArray.ofInts(new int[0], 0));
        assertEquals(6, IdxArray.ofShorts(new short[6], 3, 2).length());
    }

    /** Reads the bytes as a plain file, a gzipped file and both as streams. */
    private IdxArray[] readAllWays(String name, byte[] raw) throws IOException {
        byte[] gz = IdxBytes.gzip(raw);
        return new IdxArray[] {
            reader.read(IdxBytes.write(dir, name, raw)),
            reader.read(IdxBytes.write(dir, name + ".gz", gz)),
            reader.read(new ByteArrayInputStream(raw), name),
            reader.read(new ByteArrayInputStream(gz), name + ".gz"),
        };
    }

    /** Hands out at most a few bytes per read, cycling through 1..max. */
    static final class Trickle extends InputStream {
        private final byte[] data;
        private final int max;
        private int pos;
        private int step;

        Trickle(byte[] data, int max) {
            this.data = data;
            this.max = max;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            step = step % max + 1;
            int n = Math.min(Math.min(len, step), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    static final class CloseTracking extends ByteArrayInputStream {
        boolean closed;

        CloseTracking(byte[] data) {
            super(data);
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }
}
