package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class GemmReportTest {

    @Test
    void convertsCallsPerSecondToGflopsAndPercentOfPeak() {
        // 512^3 is 268,435,456 FLOP: 100 calls per second are 26.84 GFLOP/s.
        assertEquals(26.8435456, GemmReport.gflops(GemmShape.SQUARE512, 100), 1e-9);
        assertEquals(50.0, GemmReport.percentOfPeak(58, 116), 1e-12);
    }

    @Test
    void tableShowsGflopsPeakFractionAndSpeedup() {
        Map<String, Double> g = new LinkedHashMap<>();
        g.put("scalar", 4.0);
        g.put("simd", 96.0);
        GemmReport.Row row = new GemmReport.Row(GemmShape.CONV2_FWD, g);
        assertEquals(24.0, row.speedup(), 1e-12);
        String table = GemmReport.format(List.of(row), 120.0);
        assertTrue(table.contains("FMA peak (one thread, preferred vector width): 120.0 GFLOP/s"), table);
        assertTrue(table.contains("conv2_fwd"), table);
        assertTrue(table.contains("16x12000x150 NN"), table);
        assertTrue(table.contains("96.00") && table.contains("80.0%"), table);
        assertTrue(table.contains("24.0x"), table);
        Map<String, Double> simdOnly = new LinkedHashMap<>();
        simdOnly.put("simd", 1.0);
        assertTrue(Double.isNaN(new GemmReport.Row(GemmShape.ODD, simdOnly).speedup()));
    }
}
