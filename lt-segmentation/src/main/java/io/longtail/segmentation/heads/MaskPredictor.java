package io.longtail.segmentation.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The last layer of the mask head: a 1x1 convolution from {@code C} feature channels to one mask
 * logit map per class ({@code K'} = number of foreground classes, or 1 when class-agnostic).
 *
 * <p>{@link #forward} computes every class's map, {@code (R, C, M, M) -> (R, K', M, M)}. Training
 * and inference need only one map per ROI (its ground-truth or predicted class); {@link
 * #selectedLogits} computes just that one, the same numbers at {@code 1/K'} of the cost and memory
 * (it matters on LVIS, {@code K = 1203}).
 *
 * <p>Weights start from {@code N(0, 0.001)}, biases at 0 (detectron2).
 */
public final class MaskPredictor extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int numClasses;
  private final int channels;
  private final Parameter weight;
  private final Parameter bias;

  /**
   * Builds the layer.
   *
   * @param numClasses {@code K'}, the number of mask maps
   * @param channels {@code C}, the input channels
   */
  public MaskPredictor(int numClasses, int channels) {
    super(VERSION);
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
    }
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be >= 1, got " + channels);
    }
    this.numClasses = numClasses;
    this.channels = channels;
    weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(numClasses, channels, 1, 1))
                .optInitializer(new NormalInitializer(0.001f))
                .build());
    bias =
        addParameter(
            Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(numClasses))
                .build());
  }

  /** Number of mask maps {@code K'}. */
  public int numClasses() {
    return numClasses;
  }

  /**
   * Every class's logits: a 1x1 convolution.
   *
   * @param features {@code (R, C, M, M)}
   * @param weight {@code (K', C, 1, 1)}
   * @param bias {@code (K')}
   * @return {@code (R, K', M, M)}
   */
  public static NDArray logits(NDArray features, NDArray weight, NDArray bias) {
    return Conv2d.conv2d(features, weight, bias).singletonOrThrow();
  }

  /**
   * The logits of one class per ROI.
   *
   * @param features {@code (R, C, M, M)}
   * @param weight {@code (K', C, 1, 1)}
   * @param bias {@code (K')}
   * @param classes {@code (R)} integer class of each ROI, in {@code [0, K')}
   * @return {@code (R, M, M)}
   */
  public static NDArray selectedLogits(
      NDArray features, NDArray weight, NDArray bias, NDArray classes) {
    Shape s = features.getShape();
    long r = s.get(0);
    long c = s.get(1);
    // (R, 1, C) x (R, C, M*M): a batched matrix product (BLAS), not a broadcast multiply and sum.
    NDArray w = weight.reshape(weight.getShape().get(0), c).get(classes).reshape(r, 1, c);
    NDArray b = bias.get(classes).reshape(r, 1, 1);
    return w.batchDot(features.reshape(r, c, s.get(2) * s.get(3)))
        .reshape(r, s.get(2), s.get(3))
        .add(b);
  }

  /**
   * The logits of one class per ROI from this layer's parameters.
   *
   * @param ps parameter store
   * @param features {@code (R, C, M, M)}
   * @param classes class of each ROI, in {@code [0, K')}
   * @param training whether this is a training forward (gradients flow to the parameters)
   * @return {@code (R, M, M)}
   */
  public NDArray selectedLogits(
      ParameterStore ps, NDArray features, int[] classes, boolean training) {
    if (features.getShape().get(0) != classes.length) {
      throw new IllegalArgumentException(
          "need one class per ROI: " + features.getShape().get(0) + " ROIs, " + classes.length);
    }
    for (int k : classes) {
      if (k < 0 || k >= numClasses) {
        throw new IllegalArgumentException("classes must be in [0, " + numClasses + "), got " + k);
      }
    }
    NDManager m = features.getManager();
    NDArray w = ps.getValue(weight, features.getDevice(), training);
    NDArray b = ps.getValue(bias, features.getDevice(), training);
    try (NDArray idx = m.create(classes)) {
      return selectedLogits(features, w, b, idx);
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    NDArray b = ps.getValue(bias, x.getDevice(), training);
    return new NDList(logits(x, w, b));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), numClasses, in.get(2), in.get(3))};
  }

  @Override
  public void prepare(Shape[] inputShapes) {
    if (inputShapes[0].get(1) != channels) {
      throw new IllegalArgumentException(
          "features must have " + channels + " channels, got shape " + inputShapes[0]);
    }
  }
}
