package dev.lenet5.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.Tensor;
import dev.lenet5.nn.TestKernels;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files written by PyTorch's {@code safetensors.torch.save_file} (sorted names, {@code {"format": "pt"}}, F16, BF16
 * and F64 tensors, a {@code DataParallel} model's {@code module.} names) read as PyTorch reads them. The
 * expectations come from PyTorch: {@code expected.json} holds, per tensor, the SHA-256 and samples of the float32
 * values {@code Tensor.float()} gives, and {@code logits.safetensors} each model's logits on four MNIST digits.
 * Both were made with the files by {@code nn-layers/scripts/make_torch_fixtures.py}.
 */
class TorchFixturesTest {

    private static final List<String> MODELS = List.of("f32", "f16", "bf16_dataparallel");

    @TempDir
    Path dir;

    private static Path fixture(String name) {
        try {
            return Path.of(TorchFixturesTest.class.getResource("/torch/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String modelFile(String key) {
        return "lenet5-" + key.replace('_', '-') + ".safetensors";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> expectations() throws Exception {
        return (Map<String, Object>) Json.parse(Files.readString(fixture("expected.json")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTensorReadsAsTheFloatsPyTorchConvertsItTo() throws Exception {
        Map<String, Object> files = (Map<String, Object>) expectations().get("files");
        assertEquals(4, files.size(), "fixture files described");
        int tensorsChecked = 0;
        for (var file : files.entrySet()) {
            Map<String, Object> expected = (Map<String, Object>) file.getValue();
            SafeTensors.Contents contents = SafeTensors.read(fixture(file.getKey()));
            assertEquals(expected.get("metadata"), contents.metadata(), file.getKey());
            Map<String, Object> tensors = (Map<String, Object>) expected.get("tensors");
            assertEquals(new TreeMap<>(tensors).keySet(), new TreeMap<>(contents.tensors()).keySet(), file.getKey());
            for (var t : tensors.entrySet()) {
                String where = file.getKey() + " " + t.getKey();
                Map<String, Object> e = (Map<String, Object>) t.getValue();
                Tensor actual = contents.tensor(t.getKey());
                assertArrayEquals(ints((List<Object>) e.get("shape")), actual.shape(), where);
                for (var sample : ((Map<String, Object>) e.get("samples")).entrySet()) {
                    int index = Integer.parseInt(sample.getKey());
                    int bits = (int) ((BigDecimal) sample.getValue()).longValueExact();
                    assertEquals(Integer.toHexString(bits), Integer.toHexString(Float.floatToIntBits(actual.data()[index])),
                            where + " element " + index + " (" + e.get("dtype") + ")");
                }
                assertEquals(e.get("sha256"), sha256(actual.data()), where + ": all values");
                tensorsChecked++;
            }
        }
        assertEquals(36, tensorsChecked);
    }

    @Test
    void theConversionCasesCoverWhatTheyClaim() throws IOException {
        // Guards the fixture itself: a regenerated file that lost its edge cases would make the test above weak.
        SafeTensors.Contents c = SafeTensors.read(fixture("dtypes.safetensors"));
        float[] halves = c.tensor("f16.every_bit_pattern").data();
        assertEquals(65536, halves.length);
        long subnormals = 0;
        long nans = 0;
        for (float h : halves) {
            subnormals += h != 0 && Math.abs(h) < 0x1p-14f ? 1 : 0;
            nans += Float.isNaN(h) ? 1 : 0;
        }
        assertEquals(2 * 1023, subnormals, "F16 subnormals");
        assertEquals(2 * 1023, nans, "F16 NaNs");
        float[] doubles = c.tensor("f64.edges_ties_and_random").data();
        assertEquals(Float.MIN_VALUE, doubles[17], "the smallest float32 subnormal survives");
        assertEquals(0f, doubles[18], "half of it is a tie, rounded to even: zero");
        assertEquals(Float.MIN_VALUE, doubles[19], "just above half of it rounds up");
        assertEquals(Float.MAX_VALUE, doubles[10], "just under half an ulp above float32's largest rounds down");
        assertEquals(Float.POSITIVE_INFINITY, doubles[11], "more than half an ulp above it overflows");
        assertArrayEquals(new int[] {0, 3}, c.tensor("f16.empty").shape());
        assertArrayEquals(new int[0], c.tensor("f32.scalar").shape());
    }

    @ParameterizedTest
    @ValueSource(strings = {TestKernels.SCALAR, TestKernels.SIMD})
    void pyTorchsModelsLoadStrictlyAndGivePyTorchsLogits(String kernels) throws IOException {
        SafeTensors.Contents reference = SafeTensors.read(fixture("logits.safetensors"));
        Tensor images = reference.tensor("images");
        int n = images.shape()[0];
        for (String key : MODELS) {
            LeNet5 model = new LeNet5(TestKernels.named(kernels), 0);
            Map<String, String> metadata = StateDict.load(fixture(modelFile(key)), model.parameters());
            assertEquals(Map.of("format", "pt"), metadata, key);
            float[] expected = reference.tensor("logits." + key).data();
            float[] actual = model.forward(images.data(), n);
            float scale = 0;
            for (float v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < n * LeNet5.CLASSES; i++) {
                // Float32 sums of up to 400 terms against PyTorch's float64 ones.
                assertEquals(expected[i], actual[i], 1e-4 * Math.abs(expected[i]) + 1e-5 * scale,
                        key + " logit " + i + " on " + kernels);
            }
        }
    }

    @Test
    void aWrappedModelsErrorsNameTheTensorsAsTheFileNamesThem() throws IOException {
        Map<String, Tensor> tensors =
                new LinkedHashMap<>(SafeTensors.read(fixture(modelFile("bf16_dataparallel"))).tensors());
        tensors.put("module.fc1.weight", Tensor.of(new float[400 * 121], 121, 400));
        tensors.remove("module.fc3.bias");
        Path misshapen = dir.resolve("misshapen.safetensors");
        SafeTensors.write(misshapen, tensors);
        LeNet5 model = new LeNet5(TestKernels.named(TestKernels.SCALAR), 3);
        String m = assertThrows(SafeTensorsException.class, () -> StateDict.load(misshapen, model.parameters()))
                .getMessage();
        assertEquals(misshapen + ": the tensors do not match the model: missing tensors [module.fc3.bias]; "
                + "module.fc1.weight has shape [121, 400], expected [120, 400]", m);

        // Only some names wrapped: no prefix is stripped, and the file's names are what is wrong.
        tensors.put("module.fc1.weight", Tensor.of(new float[400 * 120], 120, 400));
        tensors.put("module.fc3.bias", Tensor.of(new float[10], 10));
        tensors.put("conv1.bias", Tensor.of(new float[6], 6));
        Path mixed = dir.resolve("mixed.safetensors");
        SafeTensors.write(mixed, tensors);
        m = assertThrows(SafeTensorsException.class, () -> StateDict.load(mixed, model.parameters())).getMessage();
        assertTrue(m.contains("missing tensors [conv1.weight, conv2.weight"), m);
        assertTrue(m.contains("unexpected tensors [module.conv1.bias, module.conv1.weight"), m);
    }

    private static int[] ints(List<Object> values) {
        return values.stream().mapToInt(v -> ((BigDecimal) v).intValueExact()).toArray();
    }

    /** As the script hashes PyTorch's values: float32 little-endian, every NaN as 0x7fc00000. */
    private static String sha256(float[] values) throws NoSuchAlgorithmException {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putInt(Float.floatToIntBits(v));
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    }
}
