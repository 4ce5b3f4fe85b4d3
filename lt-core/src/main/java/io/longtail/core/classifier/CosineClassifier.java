package io.longtail.core.classifier;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Cosine classifier: logits {@code scale * (x / ||x||) . (w / ||w||)}, no bias. It is the
 * causal-norm classifier with one head and {@code gamma = 0}, without the moving feature; it
 * supports {@link InferenceMode#PLAIN} only.
 */
public final class CosineClassifier extends AbstractBlock implements FeatureClassifier {

  private static final byte VERSION = 1;

  private final int numClasses;
  private final int featureDim;
  private final float scale;
  private final Parameter weight;

  /**
   * Creates a cosine classifier.
   *
   * @param numClasses {@code C >= 1}
   * @param featureDim {@code D >= 1}
   * @param scale logit scale, positive (16 matches the causal-norm default {@code tau})
   */
  public CosineClassifier(int numClasses, int featureDim, float scale) {
    super(VERSION);
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
    }
    if (featureDim < 1) {
      throw new IllegalArgumentException("featureDim must be >= 1, got " + featureDim);
    }
    if (!(scale > 0) || !Float.isFinite(scale)) {
      throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
    }
    this.numClasses = numClasses;
    this.featureDim = featureDim;
    this.scale = scale;
    weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(numClasses, featureDim))
                .optInitializer(new UniformInitializer((float) (1 / Math.sqrt(featureDim))))
                .build());
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
  public int numClasses() {
    return numClasses;
  }

  @Override
  public int featureDim() {
    return featureDim;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
  }

  @Override
  protected void saveMetadata(DataOutputStream os) throws IOException {
    saveInputShapes(os);
    os.writeInt(numClasses);
    os.writeInt(featureDim);
  }

  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    readInputShapes(is);
    ClassifierShapes.check(describe(), numClasses, featureDim, is.readInt(), is.readInt());
  }

  @Override
  public String describe() {
    return "cosine(C=" + numClasses + ", D=" + featureDim + ", scale=" + scale + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
