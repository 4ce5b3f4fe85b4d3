package io.longtail.core.classifier;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The baseline softmax classifier: logits {@code x W^T + b} with {@code W (C, D)} and bias {@code b
 * (C)}. Same interface as {@link CausalNormClassifier}; supports {@link InferenceMode#PLAIN} only.
 */
public final class LinearClassifier extends AbstractBlock implements FeatureClassifier {

  private static final byte VERSION = 1;

  private final int numClasses;
  private final int featureDim;
  private final Parameter weight;
  private final Parameter bias;

  /**
   * Creates a linear classifier.
   *
   * @param numClasses {@code C >= 1}
   * @param featureDim {@code D >= 1}
   */
  public LinearClassifier(int numClasses, int featureDim) {
    super(VERSION);
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
    }
    if (featureDim < 1) {
      throw new IllegalArgumentException("featureDim must be >= 1, got " + featureDim);
    }
    this.numClasses = numClasses;
    this.featureDim = featureDim;
    weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(numClasses, featureDim))
                .optInitializer(new UniformInitializer((float) (1 / Math.sqrt(featureDim))))
                .build());
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
    return "linear(C=" + numClasses + ", D=" + featureDim + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
