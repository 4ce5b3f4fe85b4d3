package io.longtail.core.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Cosine classifier: logits {@code scale * (x / ||x||) . (w / ||w||)}, no bias. It is the
 * causal-norm classifier with one head and {@code gamma = 0}, without the moving feature; it
 * supports {@link InferenceMode#PLAIN} only.
 */
public final class CosineClassifier extends ClassifierBlock {

  private final float scale;

  /**
   * Creates a cosine classifier.
   *
   * @param numClasses {@code C >= 1}
   * @param featureDim {@code D >= 1}
   * @param scale logit scale, positive (16 matches the causal-norm default {@code tau})
   */
  public CosineClassifier(int numClasses, int featureDim, float scale) {
    super(numClasses, featureDim);
    if (!(scale > 0) || !Float.isFinite(scale)) {
      throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
    }
    this.scale = scale;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    return new NDList(cosineLogits(x, ps.getValue(weight, x.getDevice(), training)));
  }

  @Override
  public NDArray logits(NDArray features) {
    return cosineLogits(features, weight.getArray());
  }

  private NDArray cosineLogits(NDArray x, NDArray w) {
    // One head, gamma = 0 (a tiny epsilon keeps zero weight rows finite).
    return CausalNorm.logits(x, w, 1, scale, CausalNorm.FEATURE_EPSILON);
  }

  @Override
  public String describe() {
    return "cosine(C=" + numClasses + ", D=" + featureDim + ", scale=" + scale + ")";
  }
}
