package dev.lenet5.app.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** {@code curves.png}: training and validation loss (left) and accuracy (right) per epoch. */
public final class CurvesPlot {

    static final int WIDTH = 1200;
    static final int HEIGHT = 450;

    private CurvesPlot() {
    }

    public static void write(Path file, List<EpochMetrics> epochs, String title) throws IOException {
        BufferedImage image = render(epochs, title);
        Png.write(file, image);
    }

    static BufferedImage render(List<EpochMetrics> epochs, String title) {
        JFreeChart loss = chart(title + ": loss", "cross-entropy", epochs,
                EpochMetrics::trainLoss, EpochMetrics::valLoss, false);
        JFreeChart accuracy = chart(title + ": accuracy", "accuracy (%)", epochs,
                m -> 100 * m.trainAccuracy(), m -> 100 * m.valAccuracy(), true);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            loss.draw(g, new Rectangle2D.Double(0, 0, WIDTH / 2.0, HEIGHT));
            accuracy.draw(g, new Rectangle2D.Double(WIDTH / 2.0, 0, WIDTH / 2.0, HEIGHT));
        } finally {
            g.dispose();
        }
        return image;
    }

    private static JFreeChart chart(String title, String yLabel, List<EpochMetrics> epochs,
                                    ToDoubleFunction<EpochMetrics> train, ToDoubleFunction<EpochMetrics> val,
                                    boolean zoomToData) {
        XYSeries trainSeries = new XYSeries("training");
        XYSeries valSeries = new XYSeries("validation");
        for (EpochMetrics m : epochs) {
            trainSeries.add(m.epoch(), train.applyAsDouble(m));
            double v = val.applyAsDouble(m);
            if (!Double.isNaN(v)) {   // a run without validation has a training curve only
                valSeries.add(m.epoch(), v);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(trainSeries);
        data.addSeries(valSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", yLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, new Color(0x1f77b4));
        renderer.setSeriesPaint(1, new Color(0xff7f0e));
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        plot.setRenderer(renderer);
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        // Accuracy near 99% is invisible on a 0-100 axis; let the axis follow the data.
        y.setAutoRangeIncludesZero(!zoomToData);
        return chart;
    }
}
