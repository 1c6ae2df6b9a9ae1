package dev.lenet5.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HeapTrimTest {

    private static final HotSpotDiagnosticMXBean VM = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    @Test
    void itLowersTheDefaultFreeHeapRatiosOnceAndThenLeavesThemToWhoeverSetThem() {
        VMOption before = VM.getVMOption("MaxHeapFreeRatio");
        if (before.getOrigin() == VMOption.Origin.DEFAULT) {
            assertTrue(HeapTrim.afterLoading());
            assertEquals(Integer.toString(HeapTrim.MIN_FREE_PERCENT), VM.getVMOption("MinHeapFreeRatio").getValue());
            assertEquals(Integer.toString(HeapTrim.MAX_FREE_PERCENT), VM.getVMOption("MaxHeapFreeRatio").getValue());
        }
        // Set now (by the call above, or on the command line): a value someone chose is not overridden.
        assertFalse(HeapTrim.afterLoading());
        assertEquals(VMOption.Origin.MANAGEMENT == VM.getVMOption("MaxHeapFreeRatio").getOrigin()
                ? Integer.toString(HeapTrim.MAX_FREE_PERCENT) : before.getValue(), VM.getVMOption("MaxHeapFreeRatio").getValue());
    }
}
