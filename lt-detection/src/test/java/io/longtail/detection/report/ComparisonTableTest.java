package io.longtail.detection.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longtail.datasets.eval.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

  private static final List<VariantResult> VARIANTS =
      List.of(
          new VariantResult("baseline", "Baseline (softmax)", ReportFixtures.result(0.10)),
          new VariantResult(
              "causal-norm-tde-bg-exempt",
              "Causal norm + TDE + bg-exempt",
              ReportFixtures.result(0.20)));

  @Test
  void textHasTheTable4ColumnsInPercentWithOneDecimal() {
    String text = ComparisonTable.text(VARIANTS);
    List<String> lines = text.lines().toList();
    assertThat(lines.get(0))
        .startsWith("Method")
        .containsSubsequence("AP", "AP50", "AP75", "APr", "APc", "APf", "AP^bbox");
    assertThat(lines).hasSize(4);
    double apr = ReportFixtures.result(0.10).get(Metric.APR);
    double ap50 = ReportFixtures.result(0.10).get(Metric.AP50);
    assertThat(lines.get(2))
        .startsWith("Baseline (softmax)")
        .contains(String.format(java.util.Locale.ROOT, "%.1f", 100 * apr))
        .contains(String.format(java.util.Locale.ROOT, "%.1f", 100 * ap50));
    // Rows line up: every row is as long as the header.
    assertThat(lines.get(2).length()).isEqualTo(lines.get(0).length());
    assertThat(lines.get(3).length()).isEqualTo(lines.get(0).length());
  }

  @Test
  void missingMetricsPrintAsDash() {
    assertThat(ComparisonTable.percent(-1)).isEqualTo("-");
    assertThat(ComparisonTable.percent(0.1234)).isEqualTo("12.3");
    assertThat(ComparisonTable.percent(0)).isEqualTo("0.0");
  }

  @Test
  void htmlMarksTheBestValueOfEachColumnAndEscapesNames() {
    List<VariantResult> variants =
        List.of(
            new VariantResult("a", "A <softmax>", ReportFixtures.result(0.10)),
            new VariantResult("b", "B", ReportFixtures.result(0.20)));
    String html = ComparisonTable.html(variants);
    assertThat(html).contains("<td>A &lt;softmax&gt;</td>").contains("AP<sub>r</sub>");
    String bestAp = ComparisonTable.percent(ReportFixtures.result(0.20).get(Metric.AP));
    String worseAp = ComparisonTable.percent(ReportFixtures.result(0.10).get(Metric.AP));
    assertThat(html)
        .contains("<td><b>" + bestAp + "</b></td>")
        .contains("<td>" + worseAp + "</td>");
    assertThat(html).doesNotContain("<b>" + worseAp + "</b>");
  }

  @Test
  void withMaskResultsTheFirstSixColumnsAreMaskApAndTheLastBoxAp() {
    // Box AP = 0.10 + i/100, mask AP = 0.50 + i/100 for metric i: the columns show which is used.
    List<VariantResult> variants =
        List.of(
            new VariantResult(
                "baseline", "Baseline", ReportFixtures.result(0.10), ReportFixtures.result(0.50)));
    assertThat(ComparisonTable.masks(variants)).isTrue();
    String row = ComparisonTable.text(variants).lines().toList().get(2);
    List<String> cells = List.of(row.substring("Baseline".length()).trim().split(" +"));
    for (int c = 0; c < 6; c++) {
      Metric m = ComparisonTable.COLUMNS.get(c);
      assertThat(cells.get(c))
          .as(m.name())
          .isEqualTo(ComparisonTable.percent(ReportFixtures.result(0.50).get(m)));
    }
    assertThat(cells.get(6)).isEqualTo(ComparisonTable.percent(0.10)); // AP^bbox
    assertThat(ComparisonTable.html(variants))
        .contains("<td>" + ComparisonTable.percent(0.50) + "</td>");

    // One box-only row makes the whole table box AP.
    List<VariantResult> mixed =
        List.of(variants.get(0), new VariantResult("b", "B", ReportFixtures.result(0.20)));
    assertThat(ComparisonTable.masks(mixed)).isFalse();
    assertThat(ComparisonTable.text(mixed).lines().toList().get(2))
        .doesNotContain(ComparisonTable.percent(0.50));
  }

  @Test
  void variantKeysAreDashedLowerCaseWords() {
    assertThatThrownBy(() -> new VariantResult("Causal Norm", "x", ReportFixtures.result(0.1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Causal Norm");
    assertThat(new VariantResult("causal-norm-tde", "x", ReportFixtures.result(0.1)).key())
        .isEqualTo("causal-norm-tde");
  }
}
