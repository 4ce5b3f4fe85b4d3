package io.longtail.core.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Post-hoc tau-normalisation (Kang et al., "Decoupling Representation and Classifier for
 * Long-Tailed Recognition", ICLR 2020): every class weight row is divided by its L2 norm to the
 * power {@code tau}, {@code w~_c = w_c / ||w_c||^tau}. {@code tau = 0} leaves the weight unchanged,
 * {@code tau = 1} gives unit-norm rows; values in between shrink the norm gap between head and tail
 * classes. Pure functions; {@link TauNormClassifier} wraps a trained linear classifier.
 */
public final class TauNorm {

  /** Norms below this are clamped so that an all-zero row stays finite (zero) instead of NaN. */
  public static final float MIN_NORM = 1e-12f;

  private TauNorm() {}

  /**
   * The tau-normalised weight {@code w_c / ||w_c||^tau}.
   *
   * @param weight {@code (C, D)}
   * @param tau the power, {@code >= 0} and finite (Kang et al. pick it on validation data, often
   *     0.7 to 1)
   * @return a new {@code (C, D)} array, attached to the weight's manager
   */
  public static NDArray normalizedWeight(NDArray weight, float tau) {
    checkTau(tau);
    Shape s = weight.getShape();
    if (s.dimension() != 2) {
      throw new IllegalArgumentException("weight must be (C, D), got " + s);
    }
    NDManager parent = weight.getManager();
    try (NDManager scope = parent.newSubManager()) {
      NDArray norms = weight.norm(new int[] {1}, true);
      norms.attach(scope);
      NDArray scale = norms.maximum(MIN_NORM).pow(tau);
      scale.attach(scope);
      NDArray out = weight.div(scale);
      out.attach(parent);
      return out;
    }
  }

  /**
   * Tau-normalised logits {@code x w~^T (+ b)}.
   *
   * @param features {@code (N, D)}
   * @param weight {@code (C, D)}
   * @param bias {@code (C)}, or {@code null} for none
   * @param tau the power
   * @return {@code (N, C)}, attached to the features' manager
   */
  public static NDArray logits(NDArray features, NDArray weight, NDArray bias, float tau) {
    NDManager parent = features.getManager();
    try (NDManager scope = parent.newSubManager()) {
      NDArray w = normalizedWeight(weight, tau);
      w.attach(scope);
      NDArray y = features.matMul(w.transpose());
      if (bias != null) {
        y.attach(scope);
        y = y.add(bias);
      }
      y.attach(parent);
      return y;
    }
  }

  static void checkTau(float tau) {
    if (!(tau >= 0) || !Float.isFinite(tau)) {
      throw new IllegalArgumentException("tau must be >= 0 and finite, got " + tau);
    }
  }
}
