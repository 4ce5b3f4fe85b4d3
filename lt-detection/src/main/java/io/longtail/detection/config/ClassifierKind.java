package io.longtail.detection.config;

/** The classifier of the ROI box head. */
public enum ClassifierKind {
  /** Linear layer with bias and softmax: the baseline. */
  LINEAR,
  /** Cosine classifier with a fixed scale. */
  COSINE,
  /** De-confound-TDE causal-norm classifier with a moving-average feature. */
  CAUSAL_NORM
}
