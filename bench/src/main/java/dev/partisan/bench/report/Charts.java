package dev.partisan.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Grouped bar charts written as PNG, headless. */
public final class Charts {
  private Charts() {}

  /**
   * One bar group per category, one bar colour per series; every series has one value per category
   * (missing cells as 0). A log axis needs positive values: zeros are drawn at 1.
   */
  public static void bars(
      Path png,
      String title,
      String xLabel,
      String yLabel,
      List<String> categories,
      Map<String, List<Double>> series,
      boolean logY)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(500)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setXAxisLabelRotation(30); // long category names must not overlap
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    series.forEach(
        (name, values) ->
            chart.addSeries(
                name, categories, values.stream().map(v -> logY ? Math.max(1, v) : v).toList()));
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** One line per series over a shared x axis (e.g. seconds since the start). */
  public static void lines(
      Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    org.knowm.xchart.XYChart chart =
        new org.knowm.xchart.XYChartBuilder()
            .width(900)
            .height(450)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    series.forEach(
        (name, xy) -> {
          if (xy[0].length > 0) {
            chart
                .addSeries(name, xy[0], xy[1])
                .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
          }
        });
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
