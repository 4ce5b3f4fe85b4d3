package io.longtail.core.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The baseline softmax classifier: logits {@code x W^T + b} with {@code W (C, D)} and bias {@code b
 * (C)}. Same interface as {@link CausalNormClassifier}; supports {@link InferenceMode#PLAIN} only.
 */
public final class LinearClassifier extends ClassifierBlock {

  private final Parameter bias;

  /**
   * Creates a linear classifier.
   *
   * @param numClasses {@code C >= 1}
   * @param featureDim {@code D >= 1}
   */
  public LinearClassifier(int numClasses, int featureDim) {
    super(numClasses, featureDim);
    bias =
        addParameter(
            Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(numClasses))
                .build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    return Linear.linear(
        x,
        ps.getValue(weight, x.getDevice(), training),
        ps.getValue(bias, x.getDevice(), training));
  }

  @Override
  public NDArray logits(NDArray features) {
    return Linear.linear(features, weight.getArray(), bias.getArray()).singletonOrThrow();
  }

  @Override
  public String describe() {
    return "linear(C=" + numClasses + ", D=" + featureDim + ")";
  }
}
