package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lenet5.tensor.kernel.Kernels;

import org.junit.jupiter.api.Test;

/**
 * The peak loops do as many FMAs as their FLOP count claims. With x = y = 1 each FMA adds one, so each
 * accumulator ends at (steps + 1), exactly, and the returned sum counts the FMAs.
 */
class PeakFmaBenchmarkTest {

    @Test
    void scalarLoopDoesFlopsPerCallOverTwoFmas() {
        assumeTrue(Kernels.vectorModulePresent(), "PeakFmaBenchmark links against the Vector API");
        PeakFmaBenchmark bench = new PeakFmaBenchmark();
        bench.x = 1f;
        bench.y = 1f;
        int steps = PeakFmaBenchmark.FLOATS_PER_ACCUMULATOR;
        assertEquals(12f * (steps + 1), bench.scalarFma());
        assertEquals(2 * 12 * steps, PeakFmaBenchmark.FLOPS_PER_CALL);
    }

    @Test
    void vectorLoopCoversTheSameFloatsWhateverTheWidth() {
        assumeTrue(Kernels.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        PeakFmaBenchmark bench = new PeakFmaBenchmark();
        bench.x = 1f;
        bench.y = 1f;
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        int steps = PeakFmaBenchmark.FLOATS_PER_ACCUMULATOR / lanes;
        // 12 accumulators x lanes, each (steps + 1): 2 FLOP x 12 x lanes x steps = FLOPS_PER_CALL.
        assertEquals(12f * lanes * (steps + 1), bench.vectorFma());
        assertEquals(PeakFmaBenchmark.FLOPS_PER_CALL, 2 * 12 * lanes * steps);
    }
}
