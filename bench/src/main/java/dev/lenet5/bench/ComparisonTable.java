package dev.lenet5.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scalar vs SIMD table a person reads at a glance: one line per benchmark and shape with the scalar
 * and SIMD time per operation (images per second for whole-network benchmarks), the speed-up, the SIMD
 * GFLOP/s and its share of the FMA peak measured in the same run; plus, when the PyTorch peer ran, ours
 * against PyTorch's images per second.
 */
public final class ComparisonTable {

    /** Variant name of the peer's results (they have no {@code kernels} parameter). */
    public static final String PYTORCH = "pytorch";

    /** Layers in network order and forward before backward, then the kernels, then the whole network. */
    private static final List<String> ORDER = List.of("conv forward", "conv backward", "conv fwd+bwd",
            "maxpool forward", "maxpool backward", "maxpool fwd+bwd", "linear forward", "linear backward",
            "linear fwd+bwd", "sgemm", "im2col", "col2im", "train step", "inference");

    /** One benchmark and shape: its results by variant ({@code scalar}, {@code simd}, {@code pytorch}, ...). */
    public record Row(Workloads.Workload workload, Map<String, BenchResult> byVariant) {

        public BenchResult scalar() {
            return byVariant.get("scalar");
        }

        /** The {@code simd} result, or the first fixed-width one ({@code simd-256}) if only such ran. */
        public BenchResult simd() {
            BenchResult r = byVariant.get("simd");
            if (r != null) {
                return r;
            }
            for (Map.Entry<String, BenchResult> e : byVariant.entrySet()) {
                if (e.getKey().startsWith("simd")) {
                    return e.getValue();
                }
            }
            return null;
        }

        public BenchResult pytorch() {
            return byVariant.get(PYTORCH);
        }

        /** Scalar time over SIMD time, or NaN if either is missing. */
        public double speedup() {
            return ratio(scalar(), simd());
        }

        /** PyTorch's time over ours (SIMD): above 1 means ours is faster; NaN if either is missing. */
        public double oursOverPytorch() {
            return ratio(pytorch(), simd());
        }

        /** SIMD GFLOP/s, or NaN without a SIMD result or a FLOP count. */
        public double simdGflops() {
            BenchResult s = simd();
            return s == null || !workload.hasFlops() ? Double.NaN : workload.flopsPerOp() / s.secondsPerOp() / 1e9;
        }

        private static double ratio(BenchResult slow, BenchResult fast) {
            return slow == null || fast == null ? Double.NaN : slow.secondsPerOp() / fast.secondsPerOp();
        }
    }

    private ComparisonTable() {
    }

    /** The one-thread vector FMA peak in GFLOP/s among the results, or NaN if the peak benchmark did not run. */
    public static double peakGflops(Collection<BenchResult> results) {
        for (BenchResult r : results) {
            if (r.simpleName().equals("PeakFmaBenchmark.vectorFma")) {
                return r.opsPerSecond() / 1e9;   // one op is one FLOP
            }
        }
        return Double.NaN;
    }

    /**
     * Rows grouped by benchmark in a fixed order (layers in network order, forward before backward, then the
     * kernels and the whole network), shapes in the order they ran; the peak benchmarks are the yardstick,
     * not rows.
     */
    public static List<Row> rows(Collection<BenchResult> results) {
        Map<String, Workloads.Workload> workloads = new LinkedHashMap<>();
        Map<String, Map<String, BenchResult>> variants = new LinkedHashMap<>();
        for (BenchResult r : results) {
            if (r.simpleName().startsWith("PeakFmaBenchmark.")) {
                continue;
            }
            Workloads.Workload w = Workloads.of(r);
            String key = w.name() + "\u0000" + w.shape();
            workloads.putIfAbsent(key, w);
            variants.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(variant(r), r);
        }
        List<Row> rows = new ArrayList<>();
        workloads.forEach((key, w) -> rows.add(new Row(w, variants.get(key))));
        rows.sort(Comparator.comparingInt(r -> rank(r.workload().name())));   // stable: shapes keep run order
        return rows;
    }

    private static int rank(String name) {
        int i = ORDER.indexOf(name);
        return i < 0 ? ORDER.size() : i;
    }

    private static String variant(BenchResult r) {
        if (r.simpleName().startsWith("PeerBenchmark.")) {
            return PYTORCH;
        }
        return r.param("kernels", "-");
    }

    /**
     * The scalar vs SIMD table. {@code peakGflops} may be NaN (no % of peak then); the B/op column appears
     * when any SIMD result carries an allocation figure.
     */
    public static String format(List<Row> rows, double peakGflops) {
        boolean alloc = rows.stream().anyMatch(r -> r.simd() != null && !Double.isNaN(r.simd().bytesPerOp()));
        int nameWidth = Math.max(9, rows.stream().mapToInt(r -> r.workload().name().length()).max().orElse(0));
        int shapeWidth = Math.max(5, rows.stream().mapToInt(r -> r.workload().shape().length()).max().orElse(0));
        String layout = "%-" + nameWidth + "s  %-" + shapeWidth + "s  %13s  %13s  %7s  %8s  %6s" + (alloc ? "  %9s" : "%s") + "%n";
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, layout, "benchmark", "shape", "scalar", "SIMD", "speedup", "GFLOP/s",
                "% peak", alloc ? "SIMD B/op" : ""));
        for (Row row : rows) {
            if (row.scalar() == null && row.simd() == null) {
                continue;   // peer-only rows go to the PyTorch table
            }
            Workloads.Workload w = row.workload();
            double gflops = row.simdGflops();
            double pct = 100 * gflops / (peakGflops * w.threads());
            out.append(String.format(Locale.ROOT, layout, w.name(), w.shape(),
                    amount(row.scalar(), w), amount(row.simd(), w),
                    Double.isNaN(row.speedup()) ? "-" : String.format(Locale.ROOT, "%.1fx", row.speedup()),
                    Double.isNaN(gflops) ? "-" : String.format(Locale.ROOT, "%.2f", gflops),
                    Double.isNaN(pct) ? "-" : String.format(Locale.ROOT, "%.1f%%", pct),
                    alloc ? bytes(row.simd()) : ""));
        }
        return out.toString();
    }

    /** Ours (SIMD) against PyTorch, images per second; empty if the peer did not run. */
    public static String formatPeers(List<Row> rows) {
        List<Row> compared = new ArrayList<>();
        for (Row row : rows) {
            if (row.pytorch() != null) {
                compared.add(row);
            }
        }
        if (compared.isEmpty()) {
            return "";
        }
        int shapeWidth = Math.max(5, compared.stream().mapToInt(r -> r.workload().shape().length()).max().orElse(0));
        String layout = "%-10s  %-" + shapeWidth + "s  %13s  %13s  %12s%n";
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, layout, "benchmark", "shape", "ours (SIMD)", "PyTorch", "ours/PyTorch"));
        for (Row row : compared) {
            Workloads.Workload w = row.workload();
            out.append(String.format(Locale.ROOT, layout, w.name(), w.shape(), amount(row.simd(), w),
                    amount(row.pytorch(), w),
                    Double.isNaN(row.oursOverPytorch()) ? "-" : String.format(Locale.ROOT, "%.2fx", row.oursOverPytorch())));
        }
        return out.toString();
    }

    /** Images per second for whole-network benchmarks, otherwise time per operation in a readable unit. */
    static String amount(BenchResult r, Workloads.Workload w) {
        if (r == null) {
            return "-";
        }
        if (w.imagesAreOps()) {
            return String.format(Locale.ROOT, "%,.0f img/s", r.opsPerSecond());
        }
        return time(r.secondsPerOp());
    }

    /** {@code 812 ns}, {@code 12.3 us}, {@code 4.56 ms}, {@code 1.20 s}: three significant digits. */
    static String time(double seconds) {
        String[] units = {"s", "ms", "us", "ns"};
        double v = seconds;
        int u = 0;
        while (u < units.length - 1 && Math.abs(v) < 1) {
            v *= 1000;
            u++;
        }
        String number = Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        return number + " " + units[u];
    }

    private static String bytes(BenchResult r) {
        if (r == null || Double.isNaN(r.bytesPerOp())) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f", r.bytesPerOp());
    }
}
