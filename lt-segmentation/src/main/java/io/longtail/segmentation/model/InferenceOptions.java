package io.longtail.segmentation.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.longtail.core.classifier.InferenceMode;

/**
 * Test-time settings of a Mask R-CNN forward, all resolved (no "model default" left).
 *
 * @param mode how the box classifier scores ROIs: plain softmax, TDE, or background-exempted (TDE
 *     and background-exempted need a causal-norm classifier)
 * @param alpha TDE strength, {@code >= 0} (ignored by PLAIN)
 * @param scoreThreshold minimum score of a detection, in {@code [0, 1]}
 * @param maxDetections detections kept per image, {@code >= 1}
 */
public record InferenceOptions(
    InferenceMode mode, float alpha, float scoreThreshold, int maxDetections) {

  /** Validates. */
  public InferenceOptions {
    if (mode == null) {
      throw new IllegalArgumentException("mode must not be null");
    }
    if (!(alpha >= 0) || Float.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be finite and >= 0, got " + alpha);
    }
    if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
      throw new IllegalArgumentException("scoreThreshold must be in [0, 1], got " + scoreThreshold);
    }
    if (maxDetections < 1) {
      throw new IllegalArgumentException("maxDetections must be >= 1, got " + maxDetections);
    }
  }

  /** A copy with another mode. */
  public InferenceOptions withMode(InferenceMode newMode) {
    return new InferenceOptions(newMode, alpha, scoreThreshold, maxDetections);
  }

  /** A copy with another TDE strength. */
  public InferenceOptions withAlpha(float newAlpha) {
    return new InferenceOptions(mode, newAlpha, scoreThreshold, maxDetections);
  }

  /** A copy with another score threshold. */
  public InferenceOptions withScoreThreshold(float newThreshold) {
    return new InferenceOptions(mode, alpha, newThreshold, maxDetections);
  }

  /** A copy with another cap. */
  public InferenceOptions withMaxDetections(int newMax) {
    return new InferenceOptions(mode, alpha, scoreThreshold, newMax);
  }

  /**
   * The options as a 4-value array, the third input of {@link MaskRcnn}'s DJL forward: {@code (mode
   * ordinal, alpha, scoreThreshold, maxDetections)}.
   */
  public NDArray toArray(NDManager manager) {
    return manager.create(new float[] {mode.ordinal(), alpha, scoreThreshold, maxDetections});
  }

  /**
   * Reads options written by {@link #toArray}.
   *
   * @param array 4 values
   * @return the options
   */
  public static InferenceOptions fromArray(NDArray array) {
    float[] v = array.toFloatArray();
    if (v.length != 4) {
      throw new IllegalArgumentException(
          "options must hold 4 values (mode, alpha, scoreThreshold, maxDetections), got "
              + v.length);
    }
    int mode = Math.round(v[0]);
    if (mode < 0 || mode >= InferenceMode.values().length) {
      throw new IllegalArgumentException("options[0] is not an inference mode ordinal: " + v[0]);
    }
    return new InferenceOptions(InferenceMode.values()[mode], v[1], v[2], Math.round(v[3]));
  }
}
