package dev.lenet5.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyTaskRunsExactlyOnceForAnyTaskAndThreadCount() {
        for (int threads = 1; threads <= 4; threads++) {
            try (Parallel pool = new Parallel(threads)) {
                assertEquals(threads, pool.threads());
                for (int tasks : new int[]{0, 1, 2, 3, 7, 100}) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                    pool.run(tasks, runs::incrementAndGet);
                    for (int i = 0; i < tasks; i++) {
                        assertEquals(1, runs.get(i), "task " + i + " of " + tasks + " on " + threads + " threads");
                    }
                }
            }
        }
    }

    @Test
    void eachTaskAlwaysRunsInTheSamePartitionOnTheSameThread() {
        try (Parallel pool = new Parallel(3)) {
            int tasks = 10;
            String[] first = new String[tasks];
            pool.run(tasks, i -> first[i] = Thread.currentThread().getName());
            for (int repeat = 0; repeat < 50; repeat++) {
                String[] again = new String[tasks];
                pool.run(tasks, i -> again[i] = Thread.currentThread().getName());
                assertArrayEquals(first, again, "run " + repeat);
            }
            // Partition 0 = tasks [0, 3) on the caller, then [3, 6) and [6, 10) on workers 1 and 2.
            String caller = Thread.currentThread().getName();
            for (int i = 0; i < tasks; i++) {
                int p = i < 3 ? 0 : i < 6 ? 1 : 2;
                assertEquals(p == 0 ? caller : "lenet5-parallel-" + p, first[i], "task " + i);
            }
        }
    }

    @Test
    void partitionsAreContiguousAndFollowPartitionStart() {
        assertEquals(0, Parallel.partitionStart(10, 3, 0));
        assertEquals(3, Parallel.partitionStart(10, 3, 1));
        assertEquals(6, Parallel.partitionStart(10, 3, 2));
        assertEquals(10, Parallel.partitionStart(10, 3, 3));
        try (Parallel pool = new Parallel(3)) {
            // Fewer tasks than threads: the one task is partition 2's, [partitionStart(1, 3, 2), 1) = [0, 1).
            String[] ranOn = new String[1];
            pool.run(1, i -> ranOn[i] = Thread.currentThread().getName());
            assertEquals("lenet5-parallel-2", ranOn[0]);
        }
    }

    @Test
    void runBlocksUntilAllTasksAreDone() {
        try (Parallel pool = new Parallel(2)) {
            long[] results = new long[64];
            for (int repeat = 0; repeat < 200; repeat++) {
                int r = repeat;
                pool.run(results.length, i -> {
                    long s = 0;
                    for (int j = 0; j <= 1000 + i; j++) {
                        s += j;
                    }
                    results[i] = s + r;
                });
                for (int i = 0; i < results.length; i++) {
                    long n = 1000 + i;
                    assertEquals(n * (n + 1) / 2 + repeat, results[i], "task " + i + " in run " + repeat);
                }
            }
        }
    }

    @Test
    void aFailingTaskIsRethrownAfterTheOthersFinishAndThePoolStaysUsable() {
        try (Parallel pool = new Parallel(2)) {
            AtomicIntegerArray ran = new AtomicIntegerArray(4);
            IllegalArgumentException boom = new IllegalArgumentException("boom in task 3");
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> pool.run(4, i -> {
                ran.incrementAndGet(i);
                if (i == 3) {
                    throw boom;
                }
            }));
            assertSame(boom, thrown);
            assertEquals(1, ran.get(0));
            assertEquals(1, ran.get(1));
            assertEquals(1, ran.get(2));
            // The next call runs normally.
            AtomicIntegerArray again = new AtomicIntegerArray(4);
            pool.run(4, again::incrementAndGet);
            assertEquals(1, again.get(3));
        }
    }

    @Test
    void theFirstFailureInPartitionOrderWinsAndCarriesTheOthers() {
        try (Parallel pool = new Parallel(3)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(3, i -> {
                throw new IllegalStateException("partition " + i);
            }));
            assertEquals("partition 0", e.getMessage());
            assertEquals(2, e.getSuppressed().length);
            AssertionError error = assertThrows(AssertionError.class, () -> pool.run(3, i -> {
                if (i == 2) {
                    throw new AssertionError("an Error passes through as is");
                }
            }));
            assertEquals("an Error passes through as is", error.getMessage());
        }
    }

    @Test
    void nestedCallsFailInsteadOfDeadlocking() {
        try (Parallel pool = new Parallel(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(2, i -> pool.run(1, j -> {
            })));
            assertTrue(e.getMessage().contains("must not overlap or nest"), e.getMessage());
            pool.run(2, i -> {
            });
        }
    }

    @Test
    void closeStopsTheWorkersAndLaterCallsFail() throws Exception {
        Parallel pool = new Parallel(3);
        Thread[] workers = new Thread[2];
        pool.run(3, i -> {   // one task per partition: task i on partition i
            if (i > 0) {
                workers[i - 1] = Thread.currentThread();
            }
        });
        assertTrue(workers[0].isDaemon());
        pool.close();
        pool.close();   // idempotent
        for (Thread w : workers) {
            w.join(2000);
            assertFalse(w.isAlive(), w.getName() + " still running after close");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(1, i -> {
        }));
        assertTrue(e.getMessage().contains("closed"));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
        try (Parallel pool = new Parallel(1)) {
            assertThrows(IllegalArgumentException.class, () -> pool.run(-1, i -> {
            }));
            assertThrows(IllegalArgumentException.class, () -> pool.run(1, null));
        }
    }

    @Test
    void steadyStateCallsDoNotAllocate() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs HotSpot's per-thread allocation counter");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
        try (Parallel pool = new Parallel(2)) {
            long[] sink = new long[8];
            IntConsumer task = i -> sink[i]++;
            for (int i = 0; i < 20_000; i++) {
                pool.run(8, task);
            }
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                pool.run(8, task);
            }
            long perCall = (bean.getCurrentThreadAllocatedBytes() - before) / 10_000;
            assertEquals(0, perCall, "bytes allocated per call on the calling thread");
        }
    }
}
