package dev.parley.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** p99 delivery latency against delivered rate, as a PNG. */
final class LatencyChart {
    private LatencyChart() {
    }

    static void write(Path png, String title, List<double[]> points) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title + ": p99 latency vs delivered rate")
                .xAxisTitle("deliveries per second").yAxisTitle("p99 delivery latency (ms)").build();
        chart.getStyler().setLegendVisible(false);
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
        chart.addSeries("p99", x, y).setMarker(SeriesMarkers.CIRCLE);
        String file = png.toString();
        BitmapEncoder.saveBitmap(chart, file.endsWith(".png") ? file.substring(0, file.length() - 4) : file,
                BitmapEncoder.BitmapFormat.PNG);
    }
}
