package dev.lenet5.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import dev.lenet5.nn.io.AtomicFiles;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The scalar vs SIMD comparison as a picture: one horizontal bar per benchmark, shape and SIMD variant, its
 * length the SIMD/scalar speed-up, a line at 1x (no gain). Drawn from a run's rows, so it can be redrawn from the
 * JSON file of any run.
 */
public final class SpeedupChart {

    static final int WIDTH = 1100;
    private static final int BAR_HEIGHT = 26;
    private static final int MARGIN_HEIGHT = 150;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};

    private SpeedupChart() {
    }

    /** The rows that have a scalar and at least one SIMD result, in table order. */
    static List<ComparisonTable.Row> plotted(List<ComparisonTable.Row> rows) {
        List<ComparisonTable.Row> out = new ArrayList<>();
        for (ComparisonTable.Row row : rows) {
            if (row.simdVariants().stream().anyMatch(v -> !Double.isNaN(row.speedup(v)))) {
                out.add(row);
            }
        }
        return out;
    }

    /**
     * Draws the chart, one bar per SIMD variant of a row (the convolution algorithms side by side, with a legend);
     * {@code subtitle} says where the numbers came from (the header line).
     *
     * @throws IllegalArgumentException if no row has both a scalar and a SIMD result
     */
    public static BufferedImage render(List<ComparisonTable.Row> rows, String subtitle) {
        List<ComparisonTable.Row> bars = plotted(rows);
        if (bars.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot: no benchmark ran with both scalar and SIMD kernels");
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (ComparisonTable.Row row : bars) {
            for (String v : row.simdVariants()) {
                data.addValue(row.speedup(v), ComparisonTable.label(v) + " / scalar",
                        row.workload().name() + "  " + row.workload().shape());
            }
        }
        int series = data.getRowCount();
        JFreeChart chart = ChartFactory.createBarChart("LeNet-5 kernels: SIMD speed-up over scalar", null,
                "speed-up (scalar time / SIMD time)", data, PlotOrientation.HORIZONTAL, series > 1, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ValueMarker noGain = new ValueMarker(1.0, Color.DARK_GRAY, new BasicStroke(1.5f));
        plot.addRangeMarker(noGain);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        for (int i = 0; i < series; i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}x", new DecimalFormat("0.0")));
        renderer.setDefaultItemLabelsVisible(true);
        CategoryAxis categories = plot.getDomainAxis();
        categories.setTickLabelFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
        categories.setMaximumCategoryLabelWidthRatio(0.5f);
        NumberAxis speedup = (NumberAxis) plot.getRangeAxis();
        speedup.setUpperMargin(0.12);   // room for the value labels
        return chart.createBufferedImage(WIDTH, MARGIN_HEIGHT + BAR_HEIGHT * bars.size() * (series + 1) / 2);
    }

    /** Renders and writes a PNG atomically, so a reader never sees half an image. */
    public static void write(Path file, List<ComparisonTable.Row> rows, String subtitle) throws IOException {
        BufferedImage image = render(rows, subtitle);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("cannot write " + file + ": this Java runtime has no PNG writer");
            }
        });
    }
}
