package io.longtail.detection.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApVsCountPlotTest {

  @Test
  void binMeansAverageTheCategoriesOfEachCountBin() {
    // Categories 1..4 with 2, 2, 50 and 500 training images.
    VariantResult v = new VariantResult("v", "V", ReportFixtures.result(0.1, 0.1, 0.3, 0.5, 0.9));
    Map<Integer, Integer> counts = Map.of(1, 2, 2, 2, 3, 50, 4, 500);
    double[][] line = ApVsCountPlot.binnedMeans(v, counts);
    // Bins [1, 3), [30, 100), [300, 1000): three points at the geometric mean counts.
    assertThat(line[0]).containsExactly(new double[] {2, 50, 500}, within(1e-9));
    assertThat(line[1]).containsExactly(new double[] {0.2, 0.5, 0.9}, within(1e-9));
  }

  @Test
  void negativeApCountsAsZeroAndMissingCountsAsOne() {
    VariantResult v = new VariantResult("v", "V", ReportFixtures.result(0.1, -1, 0.4));
    double[][] line = ApVsCountPlot.binnedMeans(v, Map.of());
    assertThat(line[0]).containsExactly(new double[] {1}, within(1e-9));
    assertThat(line[1]).containsExactly(new double[] {0.2}, within(1e-9));
  }

  @Test
  void plotsMaskApWhenEveryVariantHasMasks() {
    VariantResult masks =
        new VariantResult(
            "m", "M", ReportFixtures.result(0.1, 0.1, 0.2), ReportFixtures.result(0.1, 0.7, 0.8));
    Map<Integer, Integer> counts = Map.of(1, 2, 2, 2);
    var chart = ApVsCountPlot.chart(List.of(masks), counts, 800, 500);
    assertThat(chart.getYAxisTitle()).isEqualTo("mask AP");
    assertThat(chart.getSeriesMap().get("M").getYData())
        .containsExactly(new double[] {0.75}, within(1e-12));
    // With a box-only variant beside it, both are drawn with box AP.
    VariantResult boxes = new VariantResult("b", "B", ReportFixtures.result(0.1, 0.3, 0.3));
    var mixed = ApVsCountPlot.chart(List.of(masks, boxes), counts, 800, 500);
    assertThat(mixed.getYAxisTitle()).isEqualTo("box AP");
    assertThat(mixed.getSeriesMap().get("M").getYData())
        .containsExactly(new double[] {0.15}, within(1e-12));
  }

  @Test
  void yAxisEndsAboveTheBestCategoryInTenths() {
    VariantResult low = new VariantResult("a", "A", ReportFixtures.result(0.1, 0.1, 0.42));
    VariantResult high = new VariantResult("b", "B", ReportFixtures.result(0.1, 0.97));
    assertThat(ApVsCountPlot.yMax(List.of(low))).isEqualTo(0.5, within(1e-9));
    assertThat(ApVsCountPlot.yMax(List.of(low, high))).isEqualTo(1.0, within(1e-9));
  }

  @Test
  void writesAPngWithOneSeriesPerVariant(@TempDir Path dir) throws Exception {
    List<VariantResult> variants =
        List.of(
            new VariantResult("a", "A", ReportFixtures.result(0.1, 0.1, 0.5, 0.9)),
            new VariantResult("b", "B", ReportFixtures.result(0.1, 0.3, 0.5, 0.8)));
    Map<Integer, Integer> counts = Map.of(1, 3, 2, 40, 3, 400);
    var chart = ApVsCountPlot.chart(variants, counts, 800, 500);
    // A scatter and a mean line per variant.
    assertThat(chart.getSeriesMap()).hasSize(4).containsKeys("A", "B");
    Path png = dir.resolve("plot.png");
    ApVsCountPlot.write(variants, counts, png);
    assertThat(Files.size(png)).isGreaterThan(1000);
    var image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1100);
    assertThat(image.getHeight()).isEqualTo(620);
  }
}
