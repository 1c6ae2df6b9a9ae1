package dev.lenet5.nn.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A header that announces more than the file holds (a header length past the end, a tensor past the data
 * section) is refused from the header, before the reader allocates what it announces.
 */
class SafeTensorsClaimsTest {

    @TempDir
    Path dir;

    private Path file(long headerLength, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(h);
        return Files.write(dir.resolve("claims-" + headerLength + "-" + dataBytes + ".safetensors"), b.array());
    }

    /** Refused, with this fragment in the message, allocating less than a megabyte (after a first, warming read). */
    private static void refusedCheaply(Path file, String fragment) {
        assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
        long before = allocatedBytes();
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
        long allocated = allocatedBytes() - before;
        assertTrue(e.getMessage().contains(fragment), () -> "expected '" + fragment + "' in: " + e.getMessage());
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void aHeaderLongerThanTheFileIsRefusedBeforeItIsRead() throws IOException {
        // 90 MB of header announced (under the reference cap of 100 MB), 2 bytes present.
        refusedCheaply(file(90_000_000L, "{}", 0), "the header length 90000000 exceeds the 2 bytes that follow it");
    }

    @Test
    void aTensorLargerThanTheDataSectionIsRefusedBeforeItIsAllocated() throws IOException {
        // 400 MB of floats announced, 16 bytes of data present.
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[100000000],\"data_offsets\":[0,400000000]}}";
        refusedCheaply(file(header.length(), header, 16), "beyond the 16-byte data section");
    }

    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean b && b.isThreadAllocatedMemorySupported()
                && b.isThreadAllocatedMemoryEnabled(), "needs HotSpot's allocation counter");
        return ((com.sun.management.ThreadMXBean) bean).getCurrentThreadAllocatedBytes();
    }
}
