package dev.lenet5.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.Parameter;
import dev.lenet5.nn.Tensor;
import dev.lenet5.tensor.kernel.ScalarKernels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDictTest {

    @TempDir
    Path dir;

    @Test
    void aSavedModelLoadsIntoAnotherWithIdenticalValues() throws IOException {
        LeNet5 a = new LeNet5(ScalarKernels.INSTANCE, 1);
        LeNet5 b = new LeNet5(ScalarKernels.INSTANCE, 2);
        Path file = dir.resolve("model.safetensors");
        StateDict.save(file, a.parameters(), Map.of("epoch", "4"));

        SafeTensors.Contents raw = SafeTensors.read(file);
        assertEquals(LeNet5.PARAMETER_NAMES, List.copyOf(raw.tensors().keySet()), "state_dict names and order");
        assertArrayEquals(new int[] {16, 6, 5, 5}, raw.tensor("conv2.weight").shape());

        Map<String, String> metadata = StateDict.load(file, b.parameters());
        assertEquals(Map.of("epoch", "4", "format", "pt"), metadata, "the caller's metadata and PyTorch's format tag");
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(a.parameters().get(i).data(), b.parameters().get(i).data());
        }
    }

    @Test
    void missingExtraAndMisshapenTensorsAreNamedAndNothingIsChanged() throws IOException {
        LeNet5 model = new LeNet5(ScalarKernels.INSTANCE, 1);
        Map<String, Tensor> tensors = new LinkedHashMap<>(StateDict.tensors(model.parameters()));
        tensors.remove("fc2.bias");
        tensors.put("fc4.weight", Tensor.of(new float[1], 1));
        tensors.put("conv1.weight", Tensor.of(new float[150], 6, 25));
        Path file = dir.resolve("bad.safetensors");
        SafeTensors.write(file, tensors);

        LeNet5 target = new LeNet5(ScalarKernels.INSTANCE, 9);
        float[] before = target.parameter("fc1.weight").data().clone();
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> StateDict.load(file, target.parameters()));
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), m);
        assertTrue(m.contains("missing tensors [fc2.bias]"), m);
        assertTrue(m.contains("unexpected tensors [fc4.weight]"), m);
        assertTrue(m.contains("conv1.weight has shape [6, 25], expected [6, 1, 5, 5]"), m);
        assertArrayEquals(before, target.parameter("fc1.weight").data(), "a rejected file changes nothing");
    }

    @Test
    void extraTensorsCanBeAllowedForCheckpoints() {
        Parameter p = new Parameter("w", 2);
        Map<String, Tensor> tensors = Map.of("w", Tensor.of(new float[] {3, 4}, 2), "adam.m.w", Tensor.of(new float[2], 2));
        assertThrows(IllegalArgumentException.class, () -> StateDict.assign(tensors, List.of(p), false));
        StateDict.assign(tensors, List.of(p), true);
        assertArrayEquals(new float[] {3, 4}, p.data());
    }
}
