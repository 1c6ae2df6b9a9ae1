package dev.lenet5.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.nn.DataParallel;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.Parameter;
import dev.lenet5.nn.Tensor;
import dev.lenet5.nn.TrainingStep;
import dev.lenet5.nn.optim.Adam;
import dev.lenet5.nn.optim.Optimizer;
import dev.lenet5.nn.optim.Sgd;
import dev.lenet5.nn.optim.WeightAverage;
import dev.lenet5.tensor.kernel.ScalarKernels;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    private static final TensorKernels K = ScalarKernels.INSTANCE;
    private static final int[] LABELS = {0, 1, 2, 3, 4, 5};
    private static final float[] IMAGES = new float[LABELS.length * LeNet5.INPUT_SIZE];

    static {
        Random rng = new Random(8);
        for (int i = 0; i < IMAGES.length; i++) {
            IMAGES[i] = rng.nextFloat();
        }
    }

    @TempDir
    Path dir;

    /** A model, Adam and a weight average after {@code steps} training steps on seeded random images. */
    private record Run(LeNet5 model, Adam adam, WeightAverage average) {

        static Run trained(int steps) {
            LeNet5 model = new LeNet5(K, 4);
            Adam adam = new Adam(model.parameters(), K, 1e-3);
            WeightAverage average = new WeightAverage(model.parameters(), K, 0.9);
            Run run = new Run(model, adam, average);
            run.train(steps);
            return run;
        }

        void train(int steps) {
            try (DataParallel network = new DataParallel(model, 1)) {
                TrainingStep step = new TrainingStep(network, adam, average);
                for (int s = 0; s < steps; s++) {
                    step.run(IMAGES, LABELS, LABELS.length);
                }
            }
        }

        void save(Path file, Map<String, String> settings) throws IOException {
            Checkpoint.save(file, model.parameters(), adam, average, 3, settings);
        }
    }

    private static Map<String, String> settings(boolean reversed) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> keys = List.of("seed", "lr", "batch_size", "optimizer");
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(reversed ? keys.size() - 1 - i : i);
            m.put(key, key + "-value");
        }
        return m;
    }

    @Test
    void restoresParametersOptimiserAndAverageExactly() throws IOException {
        Run saved = Run.trained(3);
        Path file = dir.resolve("checkpoint.safetensors");
        saved.save(file, settings(false));

        LeNet5 model = new LeNet5(K, 99);
        Adam adam = new Adam(model.parameters(), K, 1e-3);
        WeightAverage average = new WeightAverage(model.parameters(), K, 0.9);
        Checkpoint.Metadata metadata = Checkpoint.restore(file, model.parameters(), adam, average);
        assertEquals(new Checkpoint.Metadata(3, 3, 3, settings(false)), metadata);
        assertEquals(metadata, Checkpoint.peek(file));
        assertEquals(3, adam.stepCount());
        assertEquals(3, average.updates());
        for (int i = 0; i < model.parameters().size(); i++) {
            Parameter p = model.parameters().get(i);
            assertArrayEquals(saved.model().parameters().get(i).data(), p.data(), p.name());
        }
        assertStateEquals(saved.adam().state(), adam.state());
        assertStateEquals(saved.average().state(), average.state());

        // Restored, the run continues exactly as the uninterrupted one.
        Run uninterrupted = Run.trained(4);
        Run continued = new Run(model, adam, average);
        continued.train(1);
        assertStateEquals(StateDict.tensors(uninterrupted.model().parameters()), StateDict.tensors(model.parameters()));
        assertStateEquals(uninterrupted.adam().state(), adam.state());
        assertStateEquals(uninterrupted.average().state(), average.state());
        assertTrue(Checkpoint.isCheckpoint(SafeTensors.read(file).metadata()));
    }

    private static void assertStateEquals(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, t) -> assertArrayEquals(t.data(), actual.get(name).data(), name));
    }

    @Test
    void theSameStateGivesTheSameBytes() throws IOException {
        Path first = dir.resolve("first.safetensors");
        Path second = dir.resolve("second.safetensors");
        Run.trained(2).save(first, settings(false));
        Run.trained(2).save(second, settings(true));
        assertEquals(-1, Files.mismatch(first, second), "same seed, same steps, settings in another order");
        Path later = dir.resolve("later.safetensors");
        Run.trained(3).save(later, settings(false));
        assertFalse(Files.mismatch(first, later) == -1, "one more step changes the file");
    }

    @Test
    void aModelFileOrAnotherOptimisersCheckpointIsRefusedByName() throws IOException {
        Run run = Run.trained(1);
        Path model = dir.resolve("model.safetensors");
        StateDict.save(model, run.model().parameters(), Map.of());
        assertFalse(Checkpoint.isCheckpoint(SafeTensors.read(model).metadata()));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.peek(model));
        assertEquals(model + ": not a training checkpoint of this program (format pt, expected "
                + Checkpoint.FORMAT + ")", e.getMessage());

        Path sgdFile = dir.resolve("sgd.safetensors");
        Optimizer sgd = new Sgd(run.model().parameters(), K, 0.1, 0.9, false, 0);
        Checkpoint.save(sgdFile, run.model().parameters(), sgd, null, 1, Map.of());
        e = assertThrows(SafeTensorsException.class,
                () -> Checkpoint.restore(sgdFile, run.model().parameters(), run.adam(), null));
        assertEquals(sgdFile + ": the checkpoint was written by sgd, not adam", e.getMessage());

        // Without an average in the file, a run that keeps one cannot continue from it.
        e = assertThrows(SafeTensorsException.class,
                () -> Checkpoint.restore(sgdFile, run.model().parameters(), sgd, run.average()));
        assertTrue(e.getMessage().startsWith(sgdFile + ": ") && e.getMessage().contains("ema.average.conv1.weight"),
                e.getMessage());
    }

    @Test
    void damagedMetadataAndReservedSettingsAreRefused() throws IOException {
        Run run = Run.trained(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run.save(dir.resolve("x.safetensors"), Map.of("epoch", "7")));
        assertEquals("the setting 'epoch' has the name of a checkpoint's own metadata", e.getMessage());

        Path file = dir.resolve("damaged.safetensors");
        Map<String, Tensor> tensors = StateDict.tensors(run.model().parameters());
        SafeTensors.write(file, tensors, Map.of("format", Checkpoint.FORMAT, "epoch", "three", "optimizer_steps", "1",
                "average_updates", "0"));
        SafeTensorsException damaged = assertThrows(SafeTensorsException.class, () -> Checkpoint.peek(file));
        assertTrue(damaged.getMessage().startsWith(file + ": damaged checkpoint metadata: "), damaged.getMessage());
        SafeTensors.write(file, tensors, Map.of("format", Checkpoint.FORMAT, "epoch", "3"));
        damaged = assertThrows(SafeTensorsException.class, () -> Checkpoint.peek(file));
        assertEquals(file + ": damaged checkpoint metadata: 'optimizer_steps' is missing", damaged.getMessage());
    }
}
