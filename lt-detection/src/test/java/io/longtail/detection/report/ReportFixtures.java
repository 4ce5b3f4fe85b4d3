package io.longtail.detection.report;

import io.longtail.datasets.eval.CategoryResult;
import io.longtail.datasets.eval.EvalProtocol;
import io.longtail.datasets.eval.IouType;
import io.longtail.datasets.eval.LvisEvalResult;
import io.longtail.datasets.eval.Metric;
import io.longtail.datasets.lvis.Frequency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Hand-made evaluation results for the report tests. */
final class ReportFixtures {
  private ReportFixtures() {}

  /**
   * A result whose summary metrics are {@code base + i / 100} for the {@code i}-th metric, with APs
   * and APl absent (-1), and the given per-category APs (category ids 1, 2, ...).
   */
  static LvisEvalResult result(double base, double... categoryAps) {
    Map<Metric, Double> summary = new EnumMap<>(Metric.class);
    Metric[] all = Metric.values();
    for (int i = 0; i < all.length; i++) {
      summary.put(all[i], base + i / 100.0);
    }
    summary.put(Metric.APS, -1.0);
    Frequency[] groups = {Frequency.RARE, Frequency.COMMON, Frequency.FREQUENT};
    List<CategoryResult> categories = new java.util.ArrayList<>();
    for (int k = 0; k < categoryAps.length; k++) {
      categories.add(
          new CategoryResult(k + 1, groups[k % 3], 5, 10, categoryAps[k], categoryAps[k]));
    }
    return new LvisEvalResult(IouType.BBOX, EvalProtocol.STANDARD, summary, categories);
  }
}
