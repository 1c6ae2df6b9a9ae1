package dev.lenet5.app;

import dev.lenet5.app.report.ConfusionMatrix;
import dev.lenet5.app.report.EpochMetrics;
import dev.lenet5.app.report.ErrorInterval;
import dev.lenet5.app.train.Evaluation;
import dev.lenet5.nn.LeNet5;
import dev.lenet5.tensor.kernel.TensorKernels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of the commands' JSON documents and {@code run.json} that more than one command writes. */
final class JsonReports {

    private JsonReports() {
    }

    /** The program and the JVM it ran on. */
    static Map<String, Object> program() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "lenet5-java");
        m.put("version", Version.projectVersion());
        m.put("jdk", Runtime.version().toString());
        m.put("jvm", System.getProperty("java.vm.name"));
        m.put("os_arch", System.getProperty("os.arch"));
        m.put("processors", Runtime.getRuntime().availableProcessors());
        return m;
    }

    /** How the command computed: the kernels, their vector width, the convolution algorithm, the threads. */
    static Map<String, Object> runtime(TensorKernels kernels, int threads) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernels", kernels.name());
        m.put("vector_bits", kernels.vectorBitSize());
        m.put("conv", RuntimeOptions.convReport(kernels));
        m.put("threads", threads);
        return m;
    }

    /** An evaluation's results: loss, accuracy, the error's 95% interval, the confusion matrix, the time it took. */
    static Map<String, Object> evaluation(Evaluation e) {
        ErrorInterval interval = e.errorInterval();
        ConfusionMatrix cm = e.confusion(LeNet5.CLASSES);
        long[][] confusion = new long[cm.classes()][cm.classes()];
        for (int label = 0; label < cm.classes(); label++) {
            for (int predicted = 0; predicted < cm.classes(); predicted++) {
                confusion[label][predicted] = cm.count(label, predicted);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", e.size());
        m.put("loss", e.loss());
        m.put("accuracy", e.accuracy());
        m.put("mistakes", e.mistakes());
        m.put("error", interval.error());
        m.put("error_95ci", new double[] {interval.low(), interval.high()});
        m.put("confusion", confusion);
        m.put("seconds", e.seconds());
        m.put("images_per_second", e.size() / Math.max(e.seconds(), 1e-9));
        return m;
    }

    /** One row of metrics.csv per epoch. */
    static List<Object> epochs(List<EpochMetrics> history) {
        List<Object> rows = new ArrayList<>();
        for (EpochMetrics m : history) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", m.epoch());
            row.put("train_loss", m.trainLoss());
            row.put("train_acc", m.trainAccuracy());
            row.put("val_loss", m.valLoss());
            row.put("val_acc", m.valAccuracy());
            row.put("seconds", m.seconds());
            row.put("train_img_per_s", m.trainImagesPerSecond());
            row.put("lr", m.learningRate());
            rows.add(row);
        }
        return rows;
    }
}
