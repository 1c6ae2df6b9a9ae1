package dev.lenet5.app.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lenet5.mnist.augment.AffineParams;
import dev.lenet5.mnist.augment.Augmentation;
import dev.lenet5.mnist.augment.Augmentations;
import org.junit.jupiter.api.Test;

class AugmentationEaseTest {

    @Test
    void fullStrengthUntilTheLastEpochsThenLinearlyToNone() {
        // 60 epochs, the last 10 eased: 51 has 9/10 of the strength, 55 half, 60 none.
        for (int epoch = 1; epoch <= 50; epoch++) {
            assertEquals(1.0, AugmentationEase.factor(epoch, 60, 10), "epoch " + epoch);
        }
        assertEquals(0.9, AugmentationEase.factor(51, 60, 10), 1e-15);
        assertEquals(0.5, AugmentationEase.factor(55, 60, 10), 1e-15);
        assertEquals(0.1, AugmentationEase.factor(59, 60, 10), 1e-15);
        assertEquals(0.0, AugmentationEase.factor(60, 60, 10));
    }

    @Test
    void noEasingKeepsFullStrengthToTheEnd() {
        for (int epoch = 1; epoch <= 5; epoch++) {
            assertEquals(1.0, AugmentationEase.factor(epoch, 5, 0), "epoch " + epoch);
        }
    }

    @Test
    void easingEveryEpochStartsBelowFullStrength() {
        assertEquals(0.75, AugmentationEase.factor(1, 4, 4));
        assertEquals(0.0, AugmentationEase.factor(4, 4, 4));
        assertEquals(0.0, AugmentationEase.factor(1, 1, 1));
        assertEquals(3.0 / 8, AugmentationEase.factor(1, 4, 8), 1e-15);
        assertEquals(0.0, AugmentationEase.factor(4, 4, 8));
    }

    @Test
    void epochsOutsideTheRunAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> AugmentationEase.factor(0, 10, 2));
        assertThrows(IllegalArgumentException.class, () -> AugmentationEase.factor(11, 10, 2));
        assertThrows(IllegalArgumentException.class, () -> AugmentationEase.factor(1, 10, -1));
    }

    @Test
    void theEpochsAugmentationIsTheFullOneScaled() {
        Augmentation full = Augmentations.parse("affine:rot=10,scale=0.2,shear=8,shift=2+elastic:alpha=30,sigma=4");
        assertSame(full, AugmentationEase.at(full, 6, 10, 4));
        Augmentation half = AugmentationEase.at(full, 8, 10, 4);
        assertEquals(new AffineParams(5, 0.1, 4, 1), half.affineParams().orElseThrow());
        assertEquals(15, half.elasticParams().orElseThrow().alpha());
        assertEquals(4, half.elasticParams().orElseThrow().sigma(), "sigma is a length, not a strength");
        assertSame(Augmentation.NONE, AugmentationEase.at(full, 10, 10, 4));
    }
}
