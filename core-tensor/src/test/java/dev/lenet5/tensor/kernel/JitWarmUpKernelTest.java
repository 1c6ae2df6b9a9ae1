package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
