package dev.lenet5.bench;

import java.util.Map;
import java.util.StringJoiner;

/**
 * What each benchmark measures, in the one place that knows: a readable name, the shape, and the
 * floating-point work of one operation (multiply-adds count two; bias, ReLU, pooling and optimiser
 * arithmetic are not counted, so GFLOP/s is that of the GEMMs the layers lower to). The reports turn
 * times into GFLOP/s with these counts.
 */
public final class Workloads {

    /** One benchmark configuration described. */
    public record Workload(String name, String shape, double flopsPerOp, boolean imagesAreOps, int threads) {

        /** Whether the FLOP count is known (pooling and copies have none worth quoting). */
        public boolean hasFlops() {
            return flopsPerOp > 0;
        }
    }

    private Workloads() {
    }

    /** FLOP of LeNet-5's forward pass for one image: conv1, conv2, fc1, fc2, fc3. */
    public static long lenetForwardFlopsPerImage() {
        return ConvCase.CONV1.forwardFlops(1) + ConvCase.CONV2.forwardFlops(1)
                + LinearCase.FC1.forwardFlops(1) + LinearCase.FC2.forwardFlops(1) + LinearCase.FC3.forwardFlops(1);
    }

    /**
     * FLOP of one image's training step: the forward, every weight gradient (one forward's worth) and every
     * input gradient except conv1's, which training does not compute.
     */
    public static long lenetTrainFlopsPerImage() {
        long forward = lenetForwardFlopsPerImage();
        long inputGradients = forward - ConvCase.CONV1.forwardFlops(1);
        return forward + forward + inputGradients;
    }

    /** Describes a result; benchmarks this class does not know get their parameters as the shape and no FLOP count. */
    public static Workload of(BenchResult r) {
        String type = r.simpleName().substring(0, r.simpleName().indexOf('.'));
        String method = r.method();
        int batch = Integer.parseInt(r.param("batch", "1"));
        int threads = Integer.parseInt(r.param("threads", "1"));
        switch (type) {
            case "ConvBenchmark": {
                ConvCase c = ConvCase.parse(r.param("conv", "?"));
                return new Workload("conv " + phase(method), c.paramName() + " " + c.describe() + " b" + batch,
                        layerFlops(method, c.forwardFlops(batch)), false, 1);
            }
            case "LinearBenchmark": {
                LinearCase c = LinearCase.parse(r.param("fc", "?"));
                return new Workload("linear " + phase(method), c.paramName() + " " + c.describe() + " b" + batch,
                        layerFlops(method, c.forwardFlops(batch)), false, 1);
            }
            case "PoolBenchmark": {
                PoolCase c = PoolCase.parse(r.param("pool", "?"));
                return new Workload("maxpool " + phase(method), c.paramName() + " " + c.describe() + " b" + batch,
                        Double.NaN, false, 1);
            }
            case "GemmBenchmark": {
                GemmShape s = GemmShape.parse(r.param("shape", "?"));
                return new Workload("sgemm", s.paramName() + " " + s.describe(), s.flops(), false, 1);
            }
            case "Im2ColBenchmark":
                return new Workload(method, r.param("geometry", "?"), Double.NaN, false, 1);
            case "PeakFmaBenchmark":
                return new Workload("peak " + method, "12 accumulators", 1, false, 1);
            case "TrainingStepBenchmark":
                return new Workload("train step", "LeNet-5 b" + TrainingStepBenchmark.BATCH + " " + threadsText(threads),
                        lenetTrainFlopsPerImage(), true, threads);
            case "InferenceBenchmark":
                return new Workload("inference", "LeNet-5 b" + method.replace("batch", "") + " " + threadsText(threads),
                        lenetForwardFlopsPerImage(), true, threads);
            case "PeerBenchmark":
                if (method.equals("trainStep")) {
                    return new Workload("train step", "LeNet-5 b" + TrainingStepBenchmark.BATCH + " " + threadsText(threads),
                            lenetTrainFlopsPerImage(), true, threads);
                }
                return new Workload("inference", "LeNet-5 b" + method.replace("inferenceBatch", "") + " "
                        + threadsText(threads), lenetForwardFlopsPerImage(), true, threads);
            default:
                return new Workload(r.simpleName(), otherParams(r.params()), Double.NaN, false, threads);
        }
    }

    private static String threadsText(int threads) {
        return threads == 1 ? "1 thread" : threads + " threads";
    }

    private static String phase(String method) {
        switch (method) {
            case "forwardBackward":
                return "fwd+bwd";
            case "forward":
                return "forward";
            case "backward":
                return "backward";
            default:
                return method;
        }
    }

    /** forward: 1x, backward: 2x (weight and input gradients), both: 3x the forward GEMMs. */
    private static double layerFlops(String method, long forward) {
        switch (method) {
            case "forward":
                return forward;
            case "backward":
                return 2.0 * forward;
            case "forwardBackward":
                return 3.0 * forward;
            default:
                return Double.NaN;
        }
    }

    private static String otherParams(Map<String, String> params) {
        StringJoiner j = new StringJoiner(" ");
        params.forEach((k, v) -> {
            if (!k.equals("kernels")) {
                j.add(k + "=" + v);
            }
        });
        return j.toString();
    }
}
