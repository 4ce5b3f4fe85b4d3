package io.longtail.segmentation.api;

import io.longtail.core.classifier.InferenceMode;
import io.longtail.segmentation.config.MaskRcnnConfig;
import io.longtail.segmentation.model.InferenceOptions;
import io.longtail.segmentation.model.MaskRcnn;

/**
 * What {@link InstanceSegmenter#predict} returns: the TDE settings of the box classifier, a score
 * threshold and a cap. Unset values take the model's own defaults (mode and alpha from its config:
 * background-exempted TDE with the trained alpha for a causal-norm model, plain softmax otherwise).
 *
 * <pre>{@code
 * PredictOptions.builder().optAlpha(1.0f).optScoreThreshold(0.3f).optMaxInstances(20).build()
 * }</pre>
 *
 * @param mode plain, TDE or background-exempted scores; {@code null}: the model's default
 * @param alpha TDE strength, {@code >= 0}; {@code null}: the model's default
 * @param scoreThreshold minimum score of a returned instance, in {@code [0, 1]} (default 0.5)
 * @param maxInstances most instances per image, best first, {@code >= 1} (default 100)
 */
public record PredictOptions(
    InferenceMode mode, Float alpha, float scoreThreshold, int maxInstances) {

  /** Validates. */
  public PredictOptions {
    if (alpha != null && (!(alpha >= 0) || alpha.isInfinite())) {
      throw new IllegalArgumentException("alpha must be finite and >= 0, got " + alpha);
    }
    if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
      throw new IllegalArgumentException("scoreThreshold must be in [0, 1], got " + scoreThreshold);
    }
    if (maxInstances < 1) {
      throw new IllegalArgumentException("maxInstances must be >= 1, got " + maxInstances);
    }
  }

  /** Model-default mode and alpha, score threshold 0.5, at most 100 instances. */
  public static PredictOptions defaults() {
    return builder().build();
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * These options with the model's defaults filled in.
   *
   * @param config the model's config
   * @return resolved options
   */
  public InferenceOptions resolve(MaskRcnnConfig config) {
    InferenceOptions d = MaskRcnn.defaultOptions(config);
    return new InferenceOptions(
        mode != null ? mode : d.mode(),
        alpha != null ? alpha : d.alpha(),
        scoreThreshold,
        maxInstances);
  }

  /** Builds {@link PredictOptions}. */
  public static final class Builder {
    private InferenceMode mode;
    private Float alpha;
    private float scoreThreshold = 0.5f;
    private int maxInstances = 100;

    private Builder() {}

    /** Scoring mode (default: the model's). */
    public Builder optMode(InferenceMode mode) {
      this.mode = mode;
      return this;
    }

    /** TDE strength (default: the model's). */
    public Builder optAlpha(float alpha) {
      this.alpha = alpha;
      return this;
    }

    /** Minimum score (default 0.5). */
    public Builder optScoreThreshold(float scoreThreshold) {
      this.scoreThreshold = scoreThreshold;
      return this;
    }

    /** Most instances per image (default 100). */
    public Builder optMaxInstances(int maxInstances) {
      this.maxInstances = maxInstances;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException naming the setting when one is invalid
     */
    public PredictOptions build() {
      return new PredictOptions(mode, alpha, scoreThreshold, maxInstances);
    }
  }
}
