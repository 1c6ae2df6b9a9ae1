import dev.lenet5.nn.LeNet5;
import dev.lenet5.nn.Tensor;
import dev.lenet5.nn.io.SafeTensors;
import dev.lenet5.nn.io.StateDict;
import dev.lenet5.tensor.kernel.Kernels;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Our side of check_in_torch.py: loads a model file as the program does and writes its logits for the images of
 * a safetensors file. A single-file program, run from source with the project's classes on the class path:
 *
 *   java --add-modules jdk.incubator.vector -cp lenet-app/target/lenet-app.jar nn-layers/scripts/OurLogits.java \
 *       MODEL IMAGES OUT
 *
 * IMAGES holds "images" (N,1,32,32); OUT gets "logits" (N,10).
 */
public class OurLogits {

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: OurLogits MODEL IMAGES OUT");
            System.exit(2);
        }
        TensorKernels kernels = Kernels.get();
        LeNet5 model = new LeNet5(kernels, 0);
        StateDict.load(Path.of(args[0]), model.parameters());
        Tensor images = SafeTensors.read(Path.of(args[1])).tensor("images");
        int n = images.shape()[0];
        float[] logits = Arrays.copyOf(model.forward(images.data(), n), n * LeNet5.CLASSES);
        SafeTensors.write(Path.of(args[2]), Map.of("logits", Tensor.of(logits, n, LeNet5.CLASSES)));
        System.out.println("our logits of " + n + " images on " + kernels.name() + " kernels");
    }
}
