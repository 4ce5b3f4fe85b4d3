package io.longtail.datasets.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of an LVIS evaluation: the 13 summary metrics of lvis-api and the AP of every category
 * that has ground truth.
 *
 * @param iouType box or mask evaluation
 * @param protocol the detection limits it ran under
 * @param summary every {@link Metric}; -1 where lvis-api reports -1 (no valid entry)
 * @param categories categories with ground truth, by ascending id
 */
public record LvisEvalResult(
    IouType iouType,
    EvalProtocol protocol,
    Map<Metric, Double> summary,
    List<CategoryResult> categories) {

  /** Copies the summary (which must hold every metric) and the categories. */
  public LvisEvalResult {
    EnumMap<Metric, Double> copy = new EnumMap<>(Metric.class);
    copy.putAll(summary);
    for (Metric m : Metric.values()) {
      if (!copy.containsKey(m)) {
        throw new IllegalArgumentException("summary must hold every metric, missing " + m);
      }
    }
    summary = Collections.unmodifiableMap(copy);
    categories = List.copyOf(categories);
  }

  /** The value of a summary metric (-1 when lvis-api has no valid entry for it). */
  public double get(Metric metric) {
    return summary.get(metric);
  }

  /** The lvis-api results-dict key of a metric under this protocol, e.g. {@code AR@300}. */
  public String key(Metric metric) {
    return metric.key(protocol.maxDetsPerImage());
  }

  /** Per-category AP by category id (ascending), categories without ground truth absent. */
  public Map<Integer, Double> perCategoryAp() {
    Map<Integer, Double> out = new LinkedHashMap<>();
    for (CategoryResult c : categories) {
      out.put(c.categoryId(), c.ap());
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The summary in lvis-api's {@code print_results} layout, one line per metric, e.g. {@code
   * Average Precision (AP) @[ IoU=0.50:0.95 | area= all | maxDets=300 catIds=all] = 0.250}.
   */
  public String formatTable() {
    StringBuilder sb = new StringBuilder();
    int maxDets = protocol.maxDetsPerImage();
    for (Metric m : Metric.values()) {
      String title = m.isPrecision() ? "Average Precision" : "Average Recall";
      String type = m.isPrecision() ? "(AP)" : "(AR)";
      String iou =
          m.iouThreshold() == null
              ? String.format(Locale.ROOT, "%.2f:%.2f", Thresholds.iou(0), Thresholds.iou(9))
              : String.format(Locale.ROOT, "%.2f", m.iouThreshold());
      String area = m.areaRange() == AreaRange.ALL ? "all" : m.areaRange().label().substring(0, 1);
      String cats = m.frequency() == null ? "all" : m.frequency().code();
      sb.append(
          String.format(
              Locale.ROOT,
              " %-18s %s @[ IoU=%-9s | area=%6s | maxDets=%3d catIds=%3s] = %s%n",
              title,
              type,
              iou,
              area,
              maxDets,
              cats,
              threeDecimals(get(m))));
    }
    return sb.toString();
  }

  /** Python's {@code format(v, '0.3f')}: the exact binary value rounded half to even. */
  static String threeDecimals(double v) {
    return new BigDecimal(v).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
  }
}
