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
                "cosine", 0.5, 0.1, 0.99);
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
    void warmupMustEndBeforeTheRun() {
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig(2, 10, 1e-3, "adam", 0.9, false, 0, 1, 0, 0, 0,
                "none", "constant", 2, 0, 0));
    }
}
