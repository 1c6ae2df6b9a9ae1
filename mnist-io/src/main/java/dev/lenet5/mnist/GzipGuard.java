package dev.lenet5.mnist;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Decompresses a gzip stream (concatenated members allowed) and turns the decompressor's terse errors
 * into messages that name the source and say what is wrong.
 *
 * <p>A stream cut short surfaces from commons-compress as a bare {@link EOFException}. Here it ends the
 * stream instead and is remembered in {@link #truncated()}, so the IDX parser can report where the data
 * ended ("header says 60000 images but the data ends after 1234") with the cause attached.
 */
final class GzipGuard extends InputStream {

    private final GzipCompressorInputStream gzip;
    private final String source;
    private final byte[] oneByte = new byte[1];
    private long delivered;
    private boolean truncated;

    private GzipGuard(GzipCompressorInputStream gzip, String source) {
        this.gzip = gzip;
        this.source = source;
    }

    /** Opens a gzip stream over {@code in}; the first member's header is parsed here. */
    static GzipGuard open(InputStream in, String source) throws IdxFormatException {
        try {
            GzipCompressorInputStream gzip = GzipCompressorInputStream.builder()
                    .setInputStream(in)
                    .setDecompressConcatenated(true)
                    .get();
            return new GzipGuard(gzip, source);
        } catch (EOFException e) {
            throw new IdxFormatException(source, "the gzip stream is truncated inside its header", e);
        } catch (IOException e) {
            throw new IdxFormatException(source, "is not a valid gzip stream (" + describe(e) + ")", e);
        }
    }

    /** True once the compressed data ended before the gzip format said it would. */
    boolean truncated() {
        return truncated;
    }

    @Override
    public int read() throws IOException {
        int n = read(oneByte, 0, 1);
        return n <= 0 ? -1 : oneByte[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (truncated) {
            return -1;
        }
        try {
            int n = gzip.read(b, off, len);
            if (n > 0) {
                delivered += n;
            }
            return n;
        } catch (EOFException e) {
            truncated = true;
            return -1;
        } catch (IOException e) {
            throw translate(e);
        }
    }

    @Override
    public void close() throws IOException {
        gzip.close();
    }

    private IdxFormatException translate(IOException e) {
        String cause = describe(e);
        // commons-compress has no exception subtypes for these cases, only messages ("Garbage after a
        // valid .gz stream" in older releases, "Unexpected data after a valid .gz stream." in newer ones).
        if (cause.contains("after a valid .gz stream")) {
            return new IdxFormatException(source, "has trailing garbage: bytes after the end of its gzip data"
                    + " that do not start another gzip member", e);
        }
        if (cause.contains("CRC32")) {
            return new IdxFormatException(source, "the gzip data is corrupt: CRC32 checksum mismatch after "
                    + delivered + " decompressed bytes", e);
        }
        return new IdxFormatException(source, "the gzip data is corrupt after " + delivered
                + " decompressed bytes (" + cause + ")", e);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
