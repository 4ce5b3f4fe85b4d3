package io.longtail.detection.report;

import io.longtail.datasets.eval.LvisEvalResult;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The evaluation of one detector variant (a trained model and an inference mode): boxes always,
 * masks too for an instance segmentation model.
 *
 * @param key short machine name, e.g. {@code causal-norm-tde}: lower-case letters, digits and
 *     dashes (the key of {@code results.json})
 * @param label the name printed in tables and legends, e.g. {@code Causal norm + TDE}
 * @param result its LVIS box evaluation
 * @param segm its LVIS mask evaluation, or {@code null} for a box-only detector
 */
public record VariantResult(String key, String label, LvisEvalResult result, LvisEvalResult segm) {

  private static final Pattern KEY = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /** Validates the key. */
  public VariantResult {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(result, "result");
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "key must be lower-case words joined by dashes, got " + key);
    }
  }

  /** A box-only variant. */
  public VariantResult(String key, String label, LvisEvalResult result) {
    this(key, label, result, null);
  }

  /** Whether the variant has a mask evaluation. */
  public boolean hasSegm() {
    return segm != null;
  }

  /**
   * The evaluation a report leads with: masks for an instance segmentation model (the paper's Table
   * 4 reports mask AP), boxes otherwise.
   */
  public LvisEvalResult primary() {
    return segm != null ? segm : result;
  }
}
