package io.longtail.detection.report;

import io.longtail.datasets.eval.LvisEvalResult;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The box evaluation of one detector variant (a trained model and an inference mode).
 *
 * @param key short machine name, e.g. {@code causal-norm-tde}: lower-case letters, digits and
 *     dashes (the key of {@code results.json})
 * @param label the name printed in tables and legends, e.g. {@code Causal norm + TDE}
 * @param result its LVIS box evaluation
 */
public record VariantResult(String key, String label, LvisEvalResult result) {

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
}
