package dev.lenet5.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainConfigTest {

    static TrainConfig sample() {
        return new TrainConfig(7, 64, 2.5e-3, "sgd", 0.85, true, 1e-4, 42, 1000, 200, 300, "affine:rot=5",
                "cosine", 0.5, 0.1, 0.99, 3, true);
    }

    @Test
    void survivesTheCheckpointMetadata() {
        TrainConfig c = sample();
        assertEquals(c, TrainConfig.fromMetadata(c.toMetadata()));
        assertEquals(c.withEpochs(9).epochs(), 9);
    }

    @Test
    void missingOrMalformedMetadataIsNamed() {
        Map<String, String> m = new HashMap<>(sample().toMetadata());
        m.remove("seed");
        assertEquals("the training setting 'seed' is missing",
                assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromMetadata(m)).getMessage());
        m.put("seed", "forty-two");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromMetadata(m)).getMessage()
                .startsWith("malformed training settings"));
    }

    @Test
    void settingsFromBeforeAugmentEaseTrainAtFullStrength() {
        Map<String, String> m = new HashMap<>(sample().toMetadata());
        m.remove("augment_ease");
        assertEquals(0, TrainConfig.fromMetadata(m).augmentEase());
    }

    @Test
    void augmentEaseIsNotNegativeAndMayOutlastTheRun() {
        assertEquals("--augment-ease must not be negative, got -1",
                assertThrows(IllegalArgumentException.class, () -> new TrainConfig(7, 10, 1e-3, "adam", 0.9, false, 0, 1,
                        0, 0, 0, "affine", "constant", 0, 0, 0, -1, true)).getMessage());
        assertEquals(8, new TrainConfig(7, 10, 1e-3, "adam", 0.9, false, 0, 1, 0, 0, 0, "affine", "constant", 0, 0, 0, 8,
                true).augmentEase());
        assertTrue(sample().describe().contains(" augment_ease=3 "), sample().describe());
    }

    @Test
    void aRunWithoutValidationSurvivesTheMetadataAndHasNoValidationImagesToLimit() {
        TrainConfig c = new TrainConfig(3, 10, 1e-3, "adam", 0.9, false, 0, 1, 0, 0, 0, "none", "constant", 0, 0, 0, 0,
                false);
        assertEquals(c, TrainConfig.fromMetadata(c.toMetadata()));
        assertTrue(c.describe().endsWith(" seed=1 validation=none"), c.describe());
        Map<String, String> old = new HashMap<>(c.toMetadata());
        old.remove("validation");
        assertTrue(TrainConfig.fromMetadata(old).validation(), "settings from before the option validated");
        assertEquals("--val-images needs a validation split; drop it or --no-validation",
                assertThrows(IllegalArgumentException.class, () -> new TrainConfig(3, 10, 1e-3, "adam", 0.9, false, 0, 1,
                        0, 500, 0, "none", "constant", 0, 0, 0, 0, false)).getMessage());
    }

    @Test
    void warmupMustEndBeforeTheRun() {
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig(2, 10, 1e-3, "adam", 0.9, false, 0, 1, 0, 0, 0,
                "none", "constant", 2, 0, 0, 0, true));
    }
}
