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
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A trained {@link LinearClassifier} with tau-normalised weights (see {@link TauNorm}): logits
 * {@code x (w_c / ||w_c||^tau)^T + b_c}. A post-hoc second stage: nothing is trained, the wrapped
 * classifier's parameters are used as they are (the bias is kept, as mmpretrain's tau-norm hook
 * does; Kang et al.'s notebook evaluates without it). Supports {@link InferenceMode#PLAIN} only.
 */
public final class TauNormClassifier extends AbstractBlock implements FeatureClassifier {

  private static final byte VERSION = 1;

  private final LinearClassifier base;
  private final float tau;

  /**
   * Wraps a (trained) linear classifier.
   *
   * @param base the classifier whose weights are normalised; its parameters are frozen
   * @param tau the power, {@code >= 0}
   */
  public TauNormClassifier(LinearClassifier base, float tau) {
    super(VERSION);
    TauNorm.checkTau(tau);
    this.base = addChildBlock("base", base);
    this.tau = tau;
    base.freezeParameters(true);
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
    NDArray w = ps.getValue(parameter("weight"), x.getDevice(), training);
    NDArray b = ps.getValue(parameter("bias"), x.getDevice(), training);
    return new NDList(TauNorm.logits(x, w, b, tau));
  }

  @Override
  public NDArray logits(NDArray features) {
    return TauNorm.logits(
        features, parameter("weight").getArray(), parameter("bias").getArray(), tau);
  }

  private Parameter parameter(String name) {
    return base.getParameters().get(name);
  }

  /** The wrapped classifier. */
  public LinearClassifier base() {
    return base;
  }

  /** The power {@code tau}. */
  public float tau() {
    return tau;
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
    os.writeFloat(tau);
  }

  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    readInputShapes(is);
    float saved = is.readFloat();
    if (saved != tau) {
      throw new MalformedModelException(
          "saved tau-norm classifier has tau=" + saved + " but " + describe() + " was built");
    }
  }

  @Override
  public String describe() {
    return "tau-norm(" + base.describe() + ", tau=" + tau + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
