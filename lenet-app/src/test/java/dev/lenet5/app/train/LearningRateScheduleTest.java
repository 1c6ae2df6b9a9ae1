package dev.lenet5.app.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each schedule at chosen steps of a 10-epoch run of 100 steps per epoch (1,000 steps, 0..999). */
class LearningRateScheduleTest {

    static final double LR = 1e-3;

    static LearningRateSchedule of(String spec, double warmup) {
        return LearningRateSchedule.parse(spec, LR, 10, 100, warmup);
    }

    @Test
    void constantIsTheBaseRateThroughout() {
        LearningRateSchedule s = of("constant", 0);
        assertEquals(LR, s.at(0));
        assertEquals(LR, s.at(999));
    }

    @Test
    void stepDividesByTenAfterEachThirdOfTheRun() {
        LearningRateSchedule s = of("step", 0);   // every round(10/3) = 3 epochs = 300 steps
        assertEquals("step:every=3,gamma=0.1", s.describe());
        assertEquals(LR, s.at(299), 1e-15);
        assertEquals(LR * 0.1, s.at(300), 1e-15);
        assertEquals(LR * 0.01, s.at(600), 1e-15);
        assertEquals(LR * 0.001, s.at(999), 1e-15);
        LearningRateSchedule custom = of("step:every=2,gamma=0.5", 0);
        assertEquals(LR * 0.5, custom.at(200), 1e-15);
        assertEquals(LR * 0.0625, custom.at(999), 1e-15);
    }

    @Test
    void cosineGoesFromTheBaseRateThroughHalfToZero() {
        LearningRateSchedule s = of("cosine", 0);
        assertEquals(LR, s.at(0), 1e-15);
        // progress = step / 999; halfway at step 499.5
        assertEquals(LR * 0.5 * (1 + Math.cos(Math.PI * 499 / 999.0)), s.at(499), 1e-15);
        assertEquals(0, s.at(999), 1e-15);
    }

    @Test
    void oneCyclePeaksAtThirtyPercentAndEndsNearZero() {
        LearningRateSchedule s = of("onecycle", 0);
        assertEquals(LR / 25, s.at(0), 1e-15);
        double peakStep = 0.3 * 999;
        assertEquals(LR, s.at(Math.round(peakStep)), LR * 1e-4);
        assertEquals(LR / 25 / 1e4, s.at(999), 1e-15);
        assertTrue(s.at(100) < s.at(200) && s.at(500) > s.at(800));
    }

    @Test
    void warmupRampsLinearlyThenHandsOver() {
        LearningRateSchedule s = of("constant", 2);   // 200 warm-up steps
        assertEquals(LR / 200, s.at(0), 1e-15);
        assertEquals(LR * 100 / 200, s.at(99), 1e-15);
        assertEquals(LR, s.at(199), 1e-15);
        assertEquals(LR, s.at(500), 1e-15);
        LearningRateSchedule cosine = of("cosine", 1);
        assertEquals(LR * 0.5 * (1 + Math.cos(Math.PI * 50 / 999.0)) * 51 / 100, cosine.at(50), 1e-15);
    }

    @Test
    void badSpecificationsAreNamed() {
        assertEquals("unknown schedule 'linear': expected constant, step, cosine or onecycle",
                assertThrows(IllegalArgumentException.class, () -> of("linear", 0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("step:gama=0.5", 0)).getMessage()
                .contains("unknown step schedule parameter 'gama'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("step:gamma=2", 0)).getMessage()
                .contains("0 < gamma <= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("cosine:min=0", 0)).getMessage()
                .contains("takes no parameters"));
    }
}
