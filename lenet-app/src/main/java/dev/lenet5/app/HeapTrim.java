package dev.lenet5.app;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;

/**
 * Gives the start-up's garbage back to the operating system before training, and keeps the heap near what the
 * run uses afterwards.
 *
 * <p>Why: with no {@code -Xmx}, G1 starts with an initial heap of 1/64 of the machine's memory (384 MiB on 24 GiB)
 * and never gives it back. Reading the gzipped IDX files leaves humongous garbage arrays behind, and once training
 * has cycled its young collections through every region, all of that committed heap is resident: a 20-epoch run
 * peaked at 480 MB of RSS for about 100 MB of live data. A full collection right after loading, with a smaller
 * free-heap ratio (G1 shrinks the heap to it after a full collection and at the end of concurrent cycles), leaves
 * the heap sized to what is live; training itself allocates little, so G1 has no reason to grow it again.
 *
 * <p>Only the defaults change: a {@code -XX:MinHeapFreeRatio}/{@code MaxHeapFreeRatio} given on the command line
 * wins, as does {@code -XX:+DisableExplicitGC}, and a JVM without these options (not HotSpot) is left alone.
 */
final class HeapTrim {

    /** Free heap G1 keeps after shrinking, in percent of the heap: room for a few young collections. */
    static final int MIN_FREE_PERCENT = 10;
    static final int MAX_FREE_PERCENT = 30;

    private HeapTrim() {
    }

    /** Shrinks the heap to what is live now and lowers the free-heap ratios; returns whether it did. */
    static boolean afterLoading() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (vm == null || !isDefault(vm, "MinHeapFreeRatio") || !isDefault(vm, "MaxHeapFreeRatio")) {
            return false;
        }
        try {
            // Min first: the JVM refuses a maximum below the current minimum.
            vm.setVMOption("MinHeapFreeRatio", Integer.toString(MIN_FREE_PERCENT));
            vm.setVMOption("MaxHeapFreeRatio", Integer.toString(MAX_FREE_PERCENT));
        } catch (IllegalArgumentException | SecurityException e) {
            return false;   // not writable in this JVM: nothing changed that matters
        }
        System.gc();
        return true;
    }

    private static boolean isDefault(HotSpotDiagnosticMXBean vm, String name) {
        try {
            return vm.getVMOption(name).getOrigin() == VMOption.Origin.DEFAULT;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
