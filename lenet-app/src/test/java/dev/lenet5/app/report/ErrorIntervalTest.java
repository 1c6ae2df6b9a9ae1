package dev.lenet5.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrorIntervalTest {

    @Test
    void matchesTheWilsonFormulaWorkedByHand() {
        // 76 of 10,000: p = 0.0076, z = 1.96; centre = (p + z^2/2n) / (1 + z^2/n) = 0.0077891...,
        // half width = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2) = 0.0017123...
        ErrorInterval ci = ErrorInterval.wilson(76, 10_000);
        assertEquals(0.0060768, ci.low(), 2e-7);
        assertEquals(0.0095014, ci.high(), 2e-7);
        assertEquals("error 0.76% (95% CI 0.61-0.95%)", ci.toString());
    }

    @Test
    void staysInsideZeroToOneAtTheEnds() {
        ErrorInterval none = ErrorInterval.wilson(0, 10_000);
        assertEquals(0, none.low(), 1e-15);
        assertTrue(none.high() > 0 && none.high() < 0.0004, "rule of three: about 3/n, got " + none.high());
        ErrorInterval all = ErrorInterval.wilson(5, 5);
        assertEquals(1, all.high(), 1e-12);
        assertTrue(all.low() > 0.5, "five of five wrong still bounds the error well below 1: " + all.low());
    }

    @Test
    void narrowsWithMoreImages() {
        // With enough errors Wilson's interval tends to the normal one, whose width goes as 1/sqrt(n).
        double small = ErrorInterval.wilson(80, 1_000).high() - ErrorInterval.wilson(80, 1_000).low();
        double large = ErrorInterval.wilson(800, 10_000).high() - ErrorInterval.wilson(800, 10_000).low();
        assertEquals(Math.sqrt(10), small / large, 0.02, "width shrinks as 1/sqrt(n)");
    }

    @Test
    void refusesImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> ErrorInterval.wilson(3, 0));
        assertThrows(IllegalArgumentException.class, () -> ErrorInterval.wilson(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> ErrorInterval.wilson(11, 10));
    }
}
