package io.longtail.core.classifier;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Learnable weight scaling (LWS, Kang et al., "Decoupling Representation and Classifier for
 * Long-Tailed Recognition", ICLR 2020): logits {@code f_c * (w_c . x + b_c)} of a trained {@link
 * LinearClassifier} whose weight and bias are frozen, with one learnable scale {@code f_c} per
 * class, initialised to 1 (so the wrapped classifier's logits are reproduced before training). A
 * second stage trained with class-balanced sampling; only the scales get gradients. Supports {@link
 * InferenceMode#PLAIN} only.
 */
public final class LwsClassifier extends AbstractBlock implements FeatureClassifier {

  private static final byte VERSION = 1;

  private final LinearClassifier base;
  private final Parameter scales;

  /**
   * Wraps a (trained) linear classifier and freezes its parameters.
   *
   * @param base the classifier to rescale
   */
  public LwsClassifier(LinearClassifier base) {
    super(VERSION);
    this.base = addChildBlock("base", base);
    base.freezeParameters(true);
    scales =
        addParameter(
            Parameter.builder()
                .setName("scales")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(base.numClasses()))
                .optInitializer(new ConstantInitializer(1f))
                .build());
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    if (!base.isInitialized()) {
      base.initialize(manager, dataType, inputShapes);
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray f = ps.getValue(scales, x.getDevice(), training);
    NDList out = base.forward(ps, inputs, training, params);
    try (NDArray logits = out.singletonOrThrow()) {
      return new NDList(logits.mul(f));
    }
  }

  @Override
  public NDArray logits(NDArray features) {
    try (NDArray logits = base.logits(features)) {
      return logits.mul(scales.getArray());
    }
  }

  /** The per-class scales {@code f (C)} (the block's own array: do not close it). */
  public NDArray scales() {
    return scales.getArray();
  }

  /** The wrapped classifier. */
  public LinearClassifier base() {
    return base;
  }

  @Override
  public int numClasses() {
    return base.numClasses();
  }

  @Override
  public int featureDim() {
    return base.featureDim();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return base.getOutputShapes(inputShapes);
  }

  @Override
  protected void saveMetadata(DataOutputStream os) throws IOException {
    saveInputShapes(os);
    os.writeInt(base.numClasses());
  }

  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    readInputShapes(is);
    int saved = is.readInt();
    if (saved != base.numClasses()) {
      throw new MalformedModelException(
          "saved LWS classifier has C=" + saved + " but " + describe() + " was built");
    }
  }

  @Override
  public String describe() {
    return "lws(" + base.describe() + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
