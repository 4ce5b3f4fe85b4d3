package io.longtail.datasets.synth;

import io.longtail.datasets.lvis.Frequency;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The long tail of a generated dataset drawn with XChart: train images per category, sorted from
 * the most to the least frequent, coloured by LVIS group, with the group thresholds (10 and 100
 * images) as horizontal lines.
 */
public final class LongTailPlot {

  /** Categories beyond which the x axis shows no names. */
  static final int MAX_NAMED = 80;

  private LongTailPlot() {}

  /**
   * Builds the chart.
   *
   * @param summary what a generation wrote
   * @param width chart width in pixels
   * @param height chart height in pixels
   */
  public static CategoryChart chart(SynthSummary summary, int width, int height) {
    List<CategoryStats> sorted = new ArrayList<>(summary.categories());
    sorted.sort(
        Comparator.comparingInt(CategoryStats::trainImages)
            .reversed()
            .thenComparing(s -> s.category().name()));
    LtShapesConfig config = summary.config();
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(width)
            .height(height)
            .title(
                String.format(
                    Locale.ROOT,
                    "LT-Shapes train split: images per category (K=%d, imbalance %s, %s profile)",
                    config.categories(),
                    trimmed(config.imbalance()),
                    config.profile().name().toLowerCase(Locale.ROOT)))
            .xAxisTitle(sorted.size() <= MAX_NAMED ? "" : "categories, most to least frequent")
            .yAxisTitle("train images")
            .build();
    var styler = chart.getStyler();
    styler.setStacked(true);
    styler.setLegendPosition(Styler.LegendPosition.InsideNE);
    styler.setAvailableSpaceFill(0.85);
    styler.setPlotGridVerticalLinesVisible(false);
    styler.setXAxisLabelRotation(90);
    styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setSeriesColors(
        new Color[] {
          new Color(0xD6, 0x27, 0x28), new Color(0xFF, 0x7F, 0x0E), new Color(0x1F, 0x77, 0xB4)
        });
    if (sorted.size() > MAX_NAMED) {
      styler.setXAxisTicksVisible(false);
    }
    List<String> names = new ArrayList<>(sorted.size());
    for (CategoryStats s : sorted) {
      names.add(sorted.size() <= MAX_NAMED ? s.category().name() : String.valueOf(names.size()));
    }
    Frequency[] groups = {Frequency.RARE, Frequency.COMMON, Frequency.FREQUENT};
    String[] labels = {"rare (1-10)", "common (11-100)", "frequent (>100)"};
    var counts = summary.groupCounts();
    for (int g = 0; g < groups.length; g++) {
      List<Integer> values = new ArrayList<>(sorted.size());
      for (CategoryStats s : sorted) {
        values.add(s.frequency() == groups[g] ? s.trainImages() : 0);
      }
      chart.addSeries(labels[g] + ": " + counts.get(groups[g]) + " categories", names, values);
    }
    styler.setAnnotationLineColor(Color.GRAY);
    styler.setAnnotationLineStroke(
        new BasicStroke(
            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
    for (double threshold : new double[] {10, 100}) {
      chart.addAnnotation(new AnnotationLine(threshold, false, false));
    }
    return chart;
  }

  /**
   * Writes the chart as a PNG.
   *
   * @param summary what a generation wrote
   * @param png output file (a {@code .png} name)
   * @throws IOException if it cannot be written
   */
  public static void write(SynthSummary summary, Path png) throws IOException {
    BitmapEncoder.saveBitmap(
        chart(summary, 1200, 600), png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static String trimmed(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
