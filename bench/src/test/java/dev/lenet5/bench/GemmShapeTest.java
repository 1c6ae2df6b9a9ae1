package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

class GemmShapeTest {

    @Test
    void flopsCountTwoPerMultiplyAdd() {
        assertEquals(268_435_456L, GemmShape.SQUARE512.flops());
        assertEquals(2L * 16 * 12_000 * 150, GemmShape.CONV2_FWD.flops());
        assertEquals(2L * 6 * 25 * 94_080, GemmShape.CONV1_WGRAD.flops());
    }

    @Test
    void lenetShapesFollowTheLayersAtBatch120() {
        // conv1: W (6, 25) x cols (25, 120*784); gradients dY cols^T and W^T dY.
        assertShape(GemmShape.CONV1_FWD, false, false, 6, 94_080, 25);
        assertShape(GemmShape.CONV1_WGRAD, false, true, 6, 25, 94_080);
        assertShape(GemmShape.CONV1_IGRAD, true, false, 25, 94_080, 6);
        assertShape(GemmShape.CONV2_FWD, false, false, 16, 12_000, 150);
        assertShape(GemmShape.CONV2_WGRAD, false, true, 16, 150, 12_000);
        assertShape(GemmShape.CONV2_IGRAD, true, false, 150, 12_000, 16);
        // fc1: X (120, 400) W^T; dY^T X; dY W.
        assertShape(GemmShape.FC1_FWD, false, true, 120, 120, 400);
        assertShape(GemmShape.FC1_WGRAD, true, false, 120, 400, 120);
        assertShape(GemmShape.FC1_IGRAD, false, false, 120, 400, 120);
        assertShape(GemmShape.FC3_FWD, false, true, 120, 10, 84);
        assertEquals(1f, GemmShape.FC2_WGRAD.beta(), "weight gradients accumulate");
        assertEquals(0f, GemmShape.FC2_FWD.beta());
        assertEquals(400, GemmShape.FC1_FWD.lda());
        assertEquals(400, GemmShape.FC1_FWD.ldb(), "W stored (out, in) is read transposed");
        assertEquals(120, GemmShape.FC1_WGRAD.lda(), "dY stored (batch, out) is read transposed");
    }

    private static void assertShape(GemmShape s, boolean ta, boolean tb, int m, int n, int k) {
        assertEquals(List.of(ta, tb, m, n, k), List.of(s.transA(), s.transB(), s.m(), s.n(), s.k()), s.name());
    }

    @Test
    void parsesParameterNamesAndRejectsUnknownOnes() {
        assertSame(GemmShape.CONV2_FWD, GemmShape.parse("conv2_fwd"));
        assertSame(GemmShape.ODD, GemmShape.parse(" ODD "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("conv3"));
        assertTrue(e.getMessage().contains("conv2_fwd"), e.getMessage());
        assertEquals("16x12000x150 NN", GemmShape.CONV2_FWD.describe());
        assertEquals("6x25x94080 NT", GemmShape.CONV1_WGRAD.describe());
    }

    @Test
    void everyBenchmarkParameterNamesAShapeAndEveryBatch120ShapeIsMeasuredByDefault() throws Exception {
        String[] params = GemmBenchmark.class.getField("shape").getAnnotation(Param.class).value();
        List<GemmShape> measured = Arrays.stream(params).map(GemmShape::parse).collect(Collectors.toList());
        Map<Boolean, List<GemmShape>> perImage = Arrays.stream(GemmShape.values())
                .collect(Collectors.partitioningBy(s -> s.name().endsWith("_B1")));
        assertEquals(perImage.get(false), measured, "default shapes: all but the per-image ones, in declaration order");
    }
}
