package dev.lenet5.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import ai.djl.nn.ParameterList;
import ai.djl.ndarray.types.Shape;

import dev.lenet5.nn.LeNet5;
import dev.lenet5.tensor.kernel.ScalarKernels;

import org.junit.jupiter.api.Test;

/**
 * The PyTorch peer loads offline from the classpath, computes the same network as ours (its setup compares
 * logits, loss and gradients with our scalar reference and throws otherwise) and its benchmark bodies run.
 * Built and run only with the {@code peers} profile, whose surefire runs set OMP_WAIT_POLICY.
 */
class PeerBenchmarkTest {

    @Test
    void setupAgreesWithOursAndTheBodiesRun() {
        PeerBenchmark bench = new PeerBenchmark();
        bench.threads = 1;
        bench.setup();
        try {
            float first = bench.trainStep();
            assertTrue(first > 1.5f && first < 3.5f, "first loss near ln 10: " + first);
            for (int i = 0; i < 5; i++) {
                float loss = bench.trainStep();
                assertTrue(Float.isFinite(loss) && loss < 3.5f, "loss " + loss);
            }
            long c = bench.inferenceBatch120();
            assertTrue(c >= 0 && c < 10, "a class: " + c);
            c = bench.inferenceBatch500();
            assertTrue(c >= 0 && c < 10, "a class: " + c);
        } finally {
            bench.close();
        }
        assertTrue(PeerBenchmark.cacheDir().isDirectory(), "libtorch extracted to " + PeerBenchmark.cacheDir());
    }

    @Test
    void theBlockHasLeNetParametersInStateDictOrder() {
        // The first engine start of the JVM fixes its cache directory: the same one whichever test runs first.
        PeerLeNet.startEngine(1);
        try (ai.djl.Model model = ai.djl.Model.newInstance("t", ai.djl.Device.cpu(), PeerBenchmark.ENGINE)) {
            model.setBlock(PeerBenchmark.lenet5());
            model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    new Shape(2, 1, 32, 32));
            ParameterList params = model.getBlock().getParameters();
            LeNet5 ours = new LeNet5(ScalarKernels.INSTANCE, 1);
            assertEquals(ours.parameters().size(), params.size());
            for (int i = 0; i < params.size(); i++) {
                long[] shape = params.valueAt(i).getArray().getShape().getShape();
                assertEquals(Arrays.toString(ours.parameters().get(i).shape()), Arrays.toString(shape),
                        params.keyAt(i) + " vs " + ours.parameters().get(i).name());
            }
        }
    }
}
