package io.longtail.core.classifier;

/** How a classifier turns features into scores at test time. */
public enum InferenceMode {
  /** Softmax of the plain logits. */
  PLAIN,
  /** Softmax of the total-direct-effect logits {@code y - y0} (causal-norm only). */
  TDE,
  /**
   * TDE for the split among foreground classes, plain for the foreground/background decision
   * (causal-norm with a background class only). The default for detection.
   */
  BACKGROUND_EXEMPT
}
