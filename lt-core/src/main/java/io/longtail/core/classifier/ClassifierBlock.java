package io.longtail.core.classifier;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.UniformInitializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What the baseline classifiers share: {@code C} and {@code D} validated at construction, the
 * {@code (C, D)} weight initialised uniformly in {@code +-1/sqrt(D)}, output shapes, and metadata
 * that makes loading parameters into a block of another shape fail with both shapes named.
 */
abstract class ClassifierBlock extends AbstractBlock implements FeatureClassifier {

  private static final byte VERSION = 1;

  protected final int numClasses;
  protected final int featureDim;
  protected final Parameter weight;

  ClassifierBlock(int numClasses, int featureDim) {
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
  public String toString() {
    return describe();
  }
}
