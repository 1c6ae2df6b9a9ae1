package dev.lenet5.nn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

/** HotSpot's count of the bytes the current thread has allocated; a test needing it is skipped, visibly, without. */
final class AllocatedBytes {

    private final com.sun.management.ThreadMXBean mx;

    private AllocatedBytes(com.sun.management.ThreadMXBean mx) {
        this.mx = mx;
    }

    /** The counter, fetched before the measurement so that fetching it is not counted. */
    static AllocatedBytes counter() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "per-thread allocation counter unavailable");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counter disabled");
        return new AllocatedBytes(mx);
    }

    /** Bytes the current thread has allocated so far; call before and after the code under test. */
    long now() {
        return mx.getCurrentThreadAllocatedBytes();
    }
}
