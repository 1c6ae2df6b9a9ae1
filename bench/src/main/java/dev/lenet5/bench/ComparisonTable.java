package dev.lenet5.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.lenet5.tensor.kernel.ConvAlgorithm;

/**
 * The scalar vs SIMD table a person reads at a glance: one line per benchmark and shape with the scalar
 * and SIMD time per operation (images per second for whole-network benchmarks; the convolutions' SIMD
 * algorithms side by side), the speed-ups, the SIMD GFLOP/s and its share of the FMA peak measured in the
 * same run; plus, when the PyTorch peer ran, ours against PyTorch's images per second.
 */
public final class ComparisonTable {

    /** Variant name of the peer's results (they have no {@code kernels} parameter). */
    public static final String PYTORCH = "pytorch";

    /** A number less sure than this fraction of itself is flagged with {@value #FLAG}. */
    public static final double NOISY = 0.10;
    static final String FLAG = "!";

    /** Layers in network order and forward before backward, then the kernels, then the whole network. */
    private static final List<String> ORDER = List.of("conv forward", "conv backward", "conv fwd+bwd",
            "maxpool forward", "maxpool backward", "maxpool fwd+bwd", "linear forward", "linear backward",
            "linear fwd+bwd", "sgemm", "im2col", "col2im", "train step", "inference");

    /**
     * One benchmark and shape: its results by variant: {@code scalar}; the SIMD kernels ({@code simd}, or a fixed
     * width such as {@code simd-256}), for convolutions by a chosen algorithm {@code simd im2col} and
     * {@code simd direct}; {@code pytorch}.
     */
    public record Row(Workloads.Workload workload, Map<String, BenchResult> byVariant) {

        public BenchResult scalar() {
            return byVariant.get("scalar");
        }

        /** The {@code simd} result, or the first other SIMD one ({@code simd-256}, {@code simd im2col}) if only such ran. */
        public BenchResult simd() {
            BenchResult r = byVariant.get("simd");
            if (r != null) {
                return r;
            }
            List<String> variants = simdVariants();
            return variants.isEmpty() ? null : byVariant.get(variants.get(0));
        }

        public BenchResult pytorch() {
            return byVariant.get(PYTORCH);
        }

        /**
         * The SIMD variants measured, in column order: the kernels' own choice first, then by algorithm as
         * {@link ConvAlgorithm} orders them (im2col, direct); otherwise in the order they ran.
         */
        public List<String> simdVariants() {
            List<String> variants = new ArrayList<>();
            for (String v : byVariant.keySet()) {
                if (v.startsWith("simd")) {
                    variants.add(v);
                }
            }
            variants.sort(Comparator.comparingInt(ComparisonTable::algorithmRank));
            return variants;
        }

        /** The result of a variant, or null. */
        public BenchResult result(String variant) {
            return byVariant.get(variant);
        }

        /** Scalar time over SIMD time, or NaN if either is missing. */
        public double speedup() {
            return ratio(scalar(), simd());
        }

        /** Scalar time over the variant's time, or NaN if either is missing. */
        public double speedup(String variant) {
            return ratio(scalar(), byVariant.get(variant));
        }

        /** PyTorch's time over ours (SIMD): above 1 means ours is faster; NaN if either is missing. */
        public double oursOverPytorch() {
            return ratio(pytorch(), simd());
        }

        /** SIMD GFLOP/s, or NaN without a SIMD result or a FLOP count. */
        public double simdGflops() {
            return gflops(simd());
        }

        /** The fastest SIMD variant, or null if none ran. */
        public String fastestSimd() {
            String best = null;
            for (String v : simdVariants()) {
                if (best == null || byVariant.get(v).secondsPerOp() < byVariant.get(best).secondsPerOp()) {
                    best = v;
                }
            }
            return best;
        }

        /** GFLOP/s of a result of this row, or NaN without a result or a FLOP count. */
        public double gflops(BenchResult r) {
            return r == null || !workload.hasFlops() ? Double.NaN : workload.flopsPerOp() / r.secondsPerOp() / 1e9;
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

    /**
     * {@code scalar}, {@code simd}, {@code simd-256}, {@code simd im2col}...: the kernels, and the convolution
     * algorithm when one was chosen for SIMD kernels (the scalar reference has one, whatever was asked).
     */
    static String variant(BenchResult r) {
        if (r.simpleName().startsWith("PeerBenchmark.")) {
            return PYTORCH;
        }
        String kernels = r.param("kernels", "-");
        String algorithm = r.param(ConvBenchmark.ALGORITHM, ConvAlgorithm.AUTO.toString());
        return kernels.equals("scalar") || algorithm.equals(ConvAlgorithm.AUTO.toString()) ? kernels
                : kernels + " " + algorithm;
    }

    /** 0 for the kernels' own choice, then the algorithms in {@link ConvAlgorithm}'s order; unknown ones last. */
    private static int algorithmRank(String variant) {
        int space = variant.indexOf(' ');
        if (space < 0) {
            return 0;
        }
        String algorithm = variant.substring(space + 1);
        for (ConvAlgorithm a : ConvAlgorithm.values()) {
            if (a.toString().equals(algorithm)) {
                return a.ordinal() + 1;
            }
        }
        return ConvAlgorithm.values().length + 1;
    }

    /** {@code SIMD}, {@code SIMD im2col}, {@code SIMD-256 direct}: a variant as a column header. */
    static String label(String variant) {
        return variant.startsWith("simd") ? "SIMD" + variant.substring(4) : variant;
    }

    /**
     * The scalar vs SIMD table: scalar time, then per SIMD variant its time and speed-up over scalar (several
     * variants side by side, e.g. the convolution by im2col + GEMM and directly), then the GFLOP/s and % of peak
     * of the fastest SIMD variant. Rows measured with different SIMD variants (convolutions by algorithm, GEMMs by
     * kernels alone) go in sections of their own, each with its header. {@code peakGflops} may be NaN (no % of
     * peak then); the B/op column (the most any SIMD variant of the row allocated) appears when any SIMD result
     * carries an allocation figure.
     */
    public static String format(List<Row> rows, double peakGflops) {
        boolean alloc = rows.stream().anyMatch(r -> r.simdVariants().stream()
                .anyMatch(v -> !Double.isNaN(r.result(v).bytesPerOp())));
        StringBuilder out = new StringBuilder();
        List<Row> section = new ArrayList<>();
        for (Row row : rows) {
            if (row.scalar() == null && row.simd() == null) {
                continue;   // peer-only rows go to the PyTorch table
            }
            if (!section.isEmpty() && !section.get(0).simdVariants().equals(row.simdVariants())) {
                out.append(formatSection(section, peakGflops, alloc)).append(System.lineSeparator());
                section.clear();
            }
            section.add(row);
        }
        if (!section.isEmpty()) {
            out.append(formatSection(section, peakGflops, alloc));
        }
        return out.toString();
    }

    /** Rows that share their SIMD variants, under one header. */
    private static String formatSection(List<Row> rows, double peakGflops, boolean alloc) {
        List<String> variants = rows.get(0).simdVariants();
        List<String> header = new ArrayList<>(List.of("benchmark", "shape", "scalar"));
        for (String v : variants) {
            header.add(label(v));
            header.add("speedup");
        }
        header.add(variants.size() > 1 ? "best GFLOP/s" : "GFLOP/s");
        header.add("% peak");
        if (alloc) {
            header.add("SIMD B/op");
        }
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (Row row : rows) {
            Workloads.Workload w = row.workload();
            List<String> cells = new ArrayList<>(List.of(w.name(), w.shape(), measured(row.scalar(), w)));
            for (String v : variants) {
                cells.add(measured(row.result(v), w));
                double speedup = row.speedup(v);
                cells.add(Double.isNaN(speedup) ? "-" : String.format(Locale.ROOT, "%.1fx", speedup));
            }
            String fastest = row.fastestSimd();
            double gflops = fastest == null ? Double.NaN : row.gflops(row.result(fastest));
            double pct = 100 * gflops / (peakGflops * w.threads());
            cells.add(Double.isNaN(gflops) ? "-" : String.format(Locale.ROOT, "%.2f", gflops));
            cells.add(Double.isNaN(pct) ? "-" : String.format(Locale.ROOT, "%.1f%%", pct));
            if (alloc) {
                cells.add(bytes(row, variants));
            }
            lines.add(cells);
        }
        return columns(lines, 2);
    }

    /** Lines of cells in aligned columns: the first {@code leftAligned} to the left, the others to the right. */
    private static String columns(List<List<String>> lines, int leftAligned) {
        int[] width = new int[lines.get(0).size()];
        for (List<String> cells : lines) {
            for (int i = 0; i < cells.size(); i++) {
                width[i] = Math.max(width[i], cells.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> cells : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                String pad = " ".repeat(width[i] - cells.get(i).length());
                line.append(i == 0 ? "" : "  ").append(i < leftAligned ? cells.get(i) + pad : pad + cells.get(i));
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
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
        String layout = "%-10s  %-" + shapeWidth + "s  %21s  %21s  %12s%n";
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, layout, "benchmark", "shape", "ours (SIMD)", "PyTorch", "ours/PyTorch"));
        for (Row row : compared) {
            Workloads.Workload w = row.workload();
            out.append(String.format(Locale.ROOT, layout, w.name(), w.shape(), measured(row.simd(), w),
                    measured(row.pytorch(), w),
                    Double.isNaN(row.oursOverPytorch()) ? "-" : String.format(Locale.ROOT, "%.2fx", row.oursOverPytorch())));
        }
        return out.toString();
    }

    /**
     * {@link #amount} and how sure it is: {@code 2.40 ms +-1.2%} (JMH's error: the 99.9% confidence half-width),
     * {@code 2.40 ms ~3.0%} (half the range of two iterations, where JMH has no error), flagged {@code !} above
     * {@link #NOISY}; the amount alone after one iteration.
     */
    static String measured(BenchResult r, Workloads.Workload w) {
        String amount = amount(r, w);
        if (r == null || Double.isNaN(r.relativeUncertainty())) {
            return amount;
        }
        return amount + " " + (r.uncertaintyIsJmhError() ? "+-" : "~") + percent(r.relativeUncertainty())
                + (noisy(r) ? FLAG : "");
    }

    static boolean noisy(BenchResult r) {
        return r != null && r.relativeUncertainty() > NOISY;
    }

    /** {@code 0.4%}, {@code 12%}, {@code >999%}. */
    static String percent(double fraction) {
        double p = 100 * fraction;
        return p < 10 ? String.format(Locale.ROOT, "%.1f%%", p) : p < 1000 ? String.format(Locale.ROOT, "%.0f%%", p)
                : ">999%";
    }

    /**
     * What the marks in the tables of these rows mean, one line each, or nothing if there are none: the flag of
     * numbers less sure than {@link #NOISY} of themselves, and the two kinds of uncertainty.
     */
    public static String footnotes(List<Row> rows) {
        boolean flagged = false;
        boolean error = false;
        boolean range = false;
        for (Row row : rows) {
            for (BenchResult r : row.byVariant().values()) {
                if (Double.isNaN(r.relativeUncertainty())) {
                    continue;
                }
                flagged |= noisy(r);
                error |= r.uncertaintyIsJmhError();
                range |= !r.uncertaintyIsJmhError();
            }
        }
        StringBuilder out = new StringBuilder();
        if (error) {
            out.append("+- JMH's error: half-width of the 99.9% confidence interval of the mean").append(System.lineSeparator());
        }
        if (range) {
            out.append("~  half the range of the iterations (JMH gives no error under 3 iterations)")
                    .append(System.lineSeparator());
        }
        if (flagged) {
            out.append(FLAG).append("  error above ").append(percent(NOISY)).append(" of the score: rerun on a quiet"
                    + " machine, or with more iterations (--full; a few make a wide 99.9% interval)")
                    .append(System.lineSeparator());
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

    /** The most bytes per operation any of the SIMD variants allocated, or a dash if none says. */
    private static String bytes(Row row, List<String> variants) {
        double most = Double.NaN;
        for (String v : variants) {
            BenchResult r = row.result(v);
            if (r != null && !Double.isNaN(r.bytesPerOp()) && (Double.isNaN(most) || r.bytesPerOp() > most)) {
                most = r.bytesPerOp();
            }
        }
        return Double.isNaN(most) ? "-" : String.format(Locale.ROOT, "%.0f", most);
    }
}
