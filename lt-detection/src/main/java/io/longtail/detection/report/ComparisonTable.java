package io.longtail.detection.report;

import io.longtail.datasets.eval.Metric;
import java.util.List;
import java.util.Locale;

/**
 * The comparison of variants in the layout of Table 4 of De-confound-TDE (Tang et al., NeurIPS
 * 2020, LVIS results): one row per method with AP, AP50, AP75, APr, APc, APf and AP<sup>bbox</sup>,
 * in percent with one decimal. The paper's first six columns are mask AP: when every variant has a
 * mask evaluation they are mask AP here too; for box-only detectors all columns are box AP and AP
 * equals AP<sup>bbox</sup>.
 */
public final class ComparisonTable {

  /** The metrics of the columns after the method name (the last one always box AP). */
  public static final List<Metric> COLUMNS =
      List.of(Metric.AP, Metric.AP50, Metric.AP75, Metric.APR, Metric.APC, Metric.APF, Metric.AP);

  /** Column titles (plain text). */
  static final List<String> TITLES = List.of("AP", "AP50", "AP75", "APr", "APc", "APf", "AP^bbox");

  /** Column titles (HTML). */
  static final List<String> HTML_TITLES =
      List.of(
          "AP",
          "AP<sub>50</sub>",
          "AP<sub>75</sub>",
          "AP<sub>r</sub>",
          "AP<sub>c</sub>",
          "AP<sub>f</sub>",
          "AP<sup>bbox</sup>");

  private ComparisonTable() {}

  /**
   * The table as fixed-width text.
   *
   * @param variants rows, in order
   * @return lines ending in a newline
   */
  public static String text(List<VariantResult> variants) {
    int width = "Method".length();
    for (VariantResult v : variants) {
      width = Math.max(width, v.label().length());
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-" + width + "s", "Method"));
    for (String t : TITLES) {
      sb.append(String.format(Locale.ROOT, " %7s", t));
    }
    sb.append('\n');
    sb.append("-".repeat(width + 8 * TITLES.size())).append('\n');
    boolean masks = masks(variants);
    for (VariantResult v : variants) {
      sb.append(String.format(Locale.ROOT, "%-" + width + "s", v.label()));
      for (int c = 0; c < COLUMNS.size(); c++) {
        sb.append(String.format(Locale.ROOT, " %7s", percent(value(v, c, masks))));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * The table as an HTML {@code <table>}; the best value of each column is bold.
   *
   * @param variants rows, in order
   * @return the HTML element
   */
  public static String html(List<VariantResult> variants) {
    StringBuilder sb = new StringBuilder();
    sb.append("<table class=\"results\">\n<thead><tr><th>Method</th>");
    for (String t : HTML_TITLES) {
      sb.append("<th>").append(t).append("</th>");
    }
    sb.append("</tr></thead>\n<tbody>\n");
    boolean masks = masks(variants);
    double[] best = new double[COLUMNS.size()];
    java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
    for (VariantResult v : variants) {
      for (int c = 0; c < COLUMNS.size(); c++) {
        best[c] = Math.max(best[c], rounded(value(v, c, masks)));
      }
    }
    for (VariantResult v : variants) {
      sb.append("<tr><td>").append(HtmlReport.escape(v.label())).append("</td>");
      for (int c = 0; c < COLUMNS.size(); c++) {
        double value = value(v, c, masks);
        boolean isBest = value >= 0 && variants.size() > 1 && rounded(value) == best[c];
        sb.append(isBest ? "<td><b>" : "<td>")
            .append(percent(value))
            .append(isBest ? "</b></td>" : "</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody>\n</table>\n");
    return sb.toString();
  }

  /**
   * Whether the first six columns are mask AP: every variant has a mask evaluation.
   *
   * @param variants the rows
   * @return true for an instance segmentation comparison
   */
  public static boolean masks(List<VariantResult> variants) {
    return !variants.isEmpty() && variants.stream().allMatch(VariantResult::hasSegm);
  }

  /** The value of column {@code c}: mask AP in all but the last column when {@code masks}. */
  private static double value(VariantResult v, int c, boolean masks) {
    boolean box = !masks || c == COLUMNS.size() - 1;
    return (box ? v.result() : v.segm()).get(COLUMNS.get(c));
  }

  /** A metric in percent with one decimal, or {@code -} when lvis-api reports -1 (no data). */
  public static String percent(double value) {
    return value < 0 ? "-" : String.format(Locale.ROOT, "%.1f", 100 * value);
  }

  private static double rounded(double value) {
    return value < 0 ? Double.NEGATIVE_INFINITY : Math.round(1000 * value) / 1000.0;
  }
}
