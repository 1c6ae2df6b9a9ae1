package dev.lenet5.app;

import dev.lenet5.app.train.Evaluation;
import dev.lenet5.app.train.Trainer;
import dev.lenet5.tensor.kernel.ConvAlgorithm;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.Locale;

/**
 * The machine-readable last line of {@code train} and {@code evaluate}, e.g.
 * {@code RESULT test_acc=0.9921 test_loss=0.0271 epochs=20 train_s=41.2 train_img_per_s=26213 kernels=simd-512 threads=2 jdk=25}.
 * A convolution algorithm other than the default (auto) follows the kernels, as what really ran:
 * {@code kernels=simd-512 conv=im2col}, or {@code kernels=scalar conv=reference} (the scalar kernels have one).
 * The default leaves the line as it always was, so scripts that read it keep working.
 */
final class ResultLine {

    private ResultLine() {
    }

    static String train(Trainer.Result r, int epochs, TensorKernels kernels, ConvAlgorithm requested, int threads) {
        return String.format(Locale.ROOT, "RESULT test_acc=%.4f test_loss=%.4f epochs=%d train_s=%.1f train_img_per_s=%.0f"
                        + " kernels=%s%s threads=%d jdk=%d", r.test().accuracy(), r.test().loss(), epochs, r.trainSeconds(),
                r.trainImagesPerSecond(), kernels.name(), conv(kernels, requested), threads, Runtime.version().feature());
    }

    static String evaluate(Evaluation e, TensorKernels kernels, ConvAlgorithm requested, int threads) {
        return String.format(Locale.ROOT, "RESULT test_acc=%.4f test_loss=%.4f images=%d eval_s=%.2f eval_img_per_s=%.0f"
                        + " kernels=%s%s threads=%d jdk=%d", e.accuracy(), e.loss(), e.size(), e.seconds(),
                e.size() / Math.max(e.seconds(), 1e-9), kernels.name(), conv(kernels, requested), threads,
                Runtime.version().feature());
    }

    private static String conv(TensorKernels kernels, ConvAlgorithm requested) {
        return requested == ConvAlgorithm.AUTO ? "" : " conv=" + RuntimeOptions.convReport(kernels);
    }
}
