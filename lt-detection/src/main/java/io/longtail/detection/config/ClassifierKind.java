package io.longtail.detection.config;

/**
 * The classifier of the ROI box head. {@link #LWS} and {@link #TAU_NORM} are the classifiers of the
 * second stages of Kang et al. ("Decoupling Representation and Classifier for Long-Tailed
 * Recognition", ICLR 2020) over a trained {@link #LINEAR} one; {@code ./lt finetune} writes them
 * into the checkpoints it saves. (Training them from scratch makes no sense: their linear weights
 * are frozen and would keep their initial values.)
 */
public enum ClassifierKind {
  /** Linear layer with bias: the baseline. */
  LINEAR,
  /** Cosine classifier with a fixed scale. */
  COSINE,
  /** De-confound-TDE causal-norm classifier with a moving-average feature. */
  CAUSAL_NORM,
  /**
   * Learnable weight scaling: a linear classifier with frozen weight and bias and one learnable
   * scale per class ({@code io.longtail.core.classifier.LwsClassifier}).
   */
  LWS,
  /**
   * A linear classifier whose weight rows are divided by their norm to the power {@code
   * tauNormPower}, post hoc ({@code io.longtail.core.classifier.TauNormClassifier}).
   */
  TAU_NORM
}
