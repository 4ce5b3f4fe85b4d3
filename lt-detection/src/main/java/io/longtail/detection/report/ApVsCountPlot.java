package io.longtail.detection.report;

import io.longtail.datasets.eval.CategoryResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Per-category AP (mask AP when every variant has a mask evaluation, box AP otherwise) against the
 * number of training images of the category, one colour per variant, drawn with XChart: every
 * category as a point, and per variant a line through the mean AP of log-spaced count bins. Dashed
 * vertical lines mark the LVIS group limits (10 and 100 images: rare / common / frequent).
 */
public final class ApVsCountPlot {

  /** Variant colours: grey for the first (baseline), then blue, orange, red, green and on. */
  private static final Color[] COLOURS = {
    new Color(0x55, 0x55, 0x55),
    new Color(0x1F, 0x77, 0xB4),
    new Color(0xFF, 0x7F, 0x0E),
    new Color(0xD6, 0x27, 0x28),
    new Color(0x2C, 0xA0, 0x2C),
    new Color(0x94, 0x67, 0xBD),
    new Color(0x8C, 0x56, 0x4B),
    new Color(0xE3, 0x77, 0xC2),
    new Color(0xBC, 0xBD, 0x22),
    new Color(0x17, 0xBE, 0xCF),
  };

  /** Bin edges (training images) of the mean-AP lines: about two bins per decade. */
  static final double[] BIN_EDGES = {1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 1e9};

  private static final String MASK_AP = "mask AP";

  private ApVsCountPlot() {}

  /**
   * Builds the chart.
   *
   * @param variants the evaluated variants, in legend order
   * @param trainImages training images per category id (categories without ground truth in the
   *     evaluation are not drawn; a category missing here is drawn at 1)
   * @param width pixels
   * @param height pixels
   * @return the chart
   */
  public static XYChart chart(
      List<VariantResult> all, Map<Integer, Integer> trainImages, int width, int height) {
    String kind = kind(all);
    // Mixed box-only and mask variants are compared on boxes, which they all have.
    List<VariantResult> variants =
        kind.equals(MASK_AP)
            ? all
            : all.stream().map(v -> new VariantResult(v.key(), v.label(), v.result())).toList();
    XYChart chart =
        new XYChartBuilder()
            .width(width)
            .height(height)
            .title(
                "Per-category "
                    + kind
                    + " vs training images"
                    + " (LVIS groups: rare <= 10 < common <= 100 < frequent)")
            .xAxisTitle("training images of the category (log scale)")
            .yAxisTitle(kind)
            .build();
    var styler = chart.getStyler();
    styler.setXAxisLogarithmic(true);
    styler.setYAxisMin(0.0);
    styler.setYAxisMax(yMax(variants));
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setMarkerSize(6);
    styler.setAnnotationLineColor(Color.GRAY);
    styler.setAnnotationLineStroke(
        new BasicStroke(
            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
    for (int v = 0; v < variants.size(); v++) {
      VariantResult variant = variants.get(v);
      Color colour = COLOURS[v % COLOURS.length];
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (CategoryResult c : variant.primary().categories()) {
        // A deterministic horizontal jitter per variant keeps equal points apart.
        double count = Math.max(1, trainImages.getOrDefault(c.categoryId(), 1));
        xs.add(count * Math.pow(1.04, v - (variants.size() - 1) / 2.0));
        ys.add(Math.max(0, c.ap()));
      }
      if (xs.isEmpty()) {
        continue;
      }
      XYSeries points = chart.addSeries(variant.label() + " (categories)", xs, ys);
      points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      points.setMarker(SeriesMarkers.CIRCLE);
      points.setMarkerColor(translucent(colour, 110));
      points.setShowInLegend(false);
      double[][] line = binnedMeans(variant, trainImages);
      if (line[0].length > 0) {
        XYSeries mean = chart.addSeries(variant.label(), line[0], line[1]);
        mean.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        mean.setMarker(SeriesMarkers.DIAMOND);
        mean.setMarkerColor(colour);
        mean.setLineColor(colour);
        mean.setLineWidth(2.5f);
      }
    }
    for (double limit : new double[] {10.5, 100.5}) {
      chart.addAnnotation(new AnnotationLine(limit, true, false));
    }
    return chart;
  }

  /** {@code mask AP} when every variant has a mask evaluation, else {@code box AP}. */
  static String kind(List<VariantResult> variants) {
    return ComparisonTable.masks(variants) ? MASK_AP : "box AP";
  }

  /** The y range: up to the best category AP plus a margin, in steps of 0.1, at most 1. */
  static double yMax(List<VariantResult> variants) {
    double best = 0;
    for (VariantResult v : variants) {
      for (CategoryResult c : v.primary().categories()) {
        best = Math.max(best, c.ap());
      }
    }
    return Math.min(1.0, Math.ceil((best + 0.05) * 10) / 10);
  }

  /**
   * Mean AP of the variant's categories in each count bin: {@code [x (geometric bin centre), y]}.
   */
  static double[][] binnedMeans(VariantResult variant, Map<Integer, Integer> trainImages) {
    int bins = BIN_EDGES.length - 1;
    double[] sum = new double[bins];
    double[] logCount = new double[bins];
    int[] n = new int[bins];
    for (CategoryResult c : variant.primary().categories()) {
      double count = Math.max(1, trainImages.getOrDefault(c.categoryId(), 1));
      for (int b = 0; b < bins; b++) {
        if (count >= BIN_EDGES[b] && count < BIN_EDGES[b + 1]) {
          sum[b] += Math.max(0, c.ap());
          logCount[b] += Math.log(count);
          n[b]++;
          break;
        }
      }
    }
    List<double[]> points = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      if (n[b] > 0) {
        points.add(new double[] {Math.exp(logCount[b] / n[b]), sum[b] / n[b]});
      }
    }
    double[][] out = new double[2][points.size()];
    for (int i = 0; i < points.size(); i++) {
      out[0][i] = points.get(i)[0];
      out[1][i] = points.get(i)[1];
    }
    return out;
  }

  /**
   * Writes the chart as a PNG.
   *
   * @param variants the evaluated variants
   * @param trainImages training images per category id
   * @param png output file
   * @throws IOException if it cannot be written
   */
  public static void write(
      List<VariantResult> variants, Map<Integer, Integer> trainImages, Path png)
      throws IOException {
    BitmapEncoder.saveBitmap(
        chart(variants, trainImages, 1100, 620), png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static Color translucent(Color c, int alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }
}
