package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's mechanism: idle calls must run no vector code at all (else they would feed the very fallback
 * storm the warm-up avoids), every tiny call runs, and the scalar kernels need no warm-up.
 */
class JitWarmUpKernelTest {

    @Test
    void theScalarKernelsAreWarmFromTheStart() throws InterruptedException {
        try (JitWarmUp warmUp = JitWarmUp.start(ScalarKernels.INSTANCE, JitWarmUp.Work.TRAINING)) {
            assertTrue(warmUp.await(0, TimeUnit.SECONDS));
            assertEquals("no vector kernels to compile", warmUp.summary());
        }
    }

    /** Where the stuck leaves' allocations go, so that escape analysis cannot remove them. */
    static volatile Object sink;

    @Test
    void aLeafThatStillAllocatesIsGivenUpOnAndTheOthersGoOn() throws InterruptedException {
        // Two leaves that allocate at every check, as a leaf compiled with boxed vectors does, fill the window;
        // the third, which allocates nothing, can start only when the warm-up stops waiting for one of them.
        VectorWarmUp.Leaf stuck1 = new VectorWarmUp.Leaf("stuck 1", true, count -> { },
                List.of(() -> sink = new byte[64 * 1024]));
        VectorWarmUp.Leaf stuck2 = new VectorWarmUp.Leaf("stuck 2", true, count -> { },
                List.of(() -> sink = new byte[64 * 1024]));
        VectorWarmUp.Leaf quick = new VectorWarmUp.Leaf("quick", true, count -> { }, List.of(() -> { }));
        long start = System.nanoTime();
        try (JitWarmUp warmUp = JitWarmUp.start(JitWarmUp.Work.INFERENCE, List.of(stuck1, stuck2, quick))) {
            assertFalse(warmUp.await(20, TimeUnit.SECONDS), "the stuck leaves never count as compiled");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 3 * JitWarmUp.LEAF_GIVE_UP_NANOS / 1e9, "waited " + seconds + " s");
            String summary = warmUp.summary();
            assertTrue(summary.startsWith("1 of 3 vector kernels for inference compiled after"), summary);
            assertTrue(summary.endsWith("(stopped waiting for 2); not yet: stuck 1, stuck 2"), summary);
            assertNull(warmUp.failure());
        }
    }

    @Test
    void idleCallsAllocateNothingEvenBeforeCompilation() {
        SimdVariants.kernels(true);   // skips where this JVM has no SIMD kernels
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (boolean wide : new boolean[]{true, false}) {
            for (ConvAlgorithm conv : ConvAlgorithm.values()) {
                for (VectorWarmUp.Leaf leaf : VectorWarmUp.leaves(wide, conv)) {
                    leaf.idle().accept(1);   // any one-time linkage happens here
                    // A vector created by interpreted or C1 code is a heap object: a leaf that made one before
                    // returning would allocate here, compiled or not.
                    long before = threads.getCurrentThreadAllocatedBytes();
                    leaf.idle().accept(50);
                    assertEquals(0, threads.getCurrentThreadAllocatedBytes() - before, leaf.name() + " idle allocated");
                }
            }
        }
    }

    @Test
    void everyLeafIsNamedOnceAndItsTinyCallsRun() {
        SimdVariants.kernels(true);
        for (boolean wide : new boolean[]{true, false}) {
            List<VectorWarmUp.Leaf> leaves = VectorWarmUp.leaves(wide, ConvAlgorithm.AUTO);
            Set<String> names = new HashSet<>();
            for (VectorWarmUp.Leaf leaf : leaves) {
                assertTrue(names.add(leaf.name()), "twice: " + leaf.name());
                leaf.restore().run();
                for (Runnable tiny : leaf.tiny()) {
                    tiny.run();
                }
            }
            // inference's leaves come first, so a run that only infers waits for a prefix of the list
            boolean seenTraining = false;
            for (VectorWarmUp.Leaf leaf : leaves) {
                seenTraining |= !leaf.inference();
                assertFalse(seenTraining && leaf.inference(), leaf.name() + " comes after a training leaf");
            }
        }
    }

    @Test
    void awaitGivesUpAtItsTimeoutAndCloseStopsTheThread() throws InterruptedException {
        TensorKernels simd = SimdVariants.kernels(true);
        JitWarmUp warmUp = JitWarmUp.start(simd, JitWarmUp.Work.TRAINING);
        // C2 cannot have compiled a dozen kernels within a millisecond of starting
        assertFalse(warmUp.await(1, TimeUnit.MILLISECONDS));
        assertTrue(warmUp.summary().contains("not yet"), warmUp.summary());
        warmUp.close();
        assertNull(warmUp.failure());
    }

    @Test
    void aLeafSentBackRunsUncompiledAgainAndIsCompiledAnew() throws InterruptedException {
        SimdVariants.kernels(true);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        VectorWarmUp.Leaf leaf = VectorWarmUp.leaves(true, ConvAlgorithm.DIRECT).stream()
                .filter(VectorWarmUp.Leaf::canRecompile).findFirst().orElseThrow();
        try (JitWarmUp warmUp = JitWarmUp.start(JitWarmUp.Work.INFERENCE, List.of(leaf))) {
            // C2 may be busy with other tests' methods; the mechanism can only be seen once it has compiled the leaf
            assumeTrue(warmUp.await(20, TimeUnit.SECONDS), warmUp.summary());
            // it works once per leaf: on a busy machine the warm-up may have used it already
            assumeFalse(warmUp.summary().contains("compiled again"), warmUp.summary());
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        leaf.tiny().get(0).run();
        long compiled = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(compiled < JitWarmUp.COMPILED_MAX_BYTES, leaf.name() + " compiled, yet allocated " + compiled);
        leaf.recompile().run();
        before = threads.getCurrentThreadAllocatedBytes();
        leaf.tiny().get(0).run();
        long sentBack = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(sentBack >= JitWarmUp.COMPILED_MAX_BYTES,
                leaf.name() + " still ran compiled code after it was sent back (allocated " + sentBack + " bytes)");
        try (JitWarmUp again = JitWarmUp.start(JitWarmUp.Work.INFERENCE, List.of(leaf))) {
            assertTrue(again.await(20, TimeUnit.SECONDS), again.summary());
        }
    }
}
