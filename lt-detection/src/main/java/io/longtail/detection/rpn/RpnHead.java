package io.longtail.detection.rpn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The RPN head shared by all FPN levels (Ren et al. 2015; detectron2 {@code StandardRPNHead}): a
 * 3x3 convolution with ReLU, then a 1x1 convolution for the objectness logit of each of the {@code
 * A} anchors per cell and one for their 4 box deltas. Weights start from N(0, 0.01), biases from 0,
 * as detectron2.
 *
 * <p>Input: the FPN maps {@code (N, C, H_l, W_l)}. Output: {@code logits (N, T)} and {@code deltas
 * (N, T, 4)} where {@code T = sum_l H_l W_l A}, in the anchor order of {@link
 * io.longtail.detection.modeling.AnchorGenerator} (level, row, column, anchor).
 */
public final class RpnHead extends AbstractBlock {

  private final int anchorsPerCell;
  private final Conv2d conv;
  private final Conv2d objectness;
  private final Conv2d deltas;

  /**
   * Creates the head.
   *
   * @param channels FPN channels {@code C}
   * @param anchorsPerCell {@code A}
   */
  public RpnHead(int channels, int anchorsPerCell) {
    this.anchorsPerCell = anchorsPerCell;
    conv = addChildBlock("conv", conv(channels, 3));
    objectness = addChildBlock("objectness", conv(anchorsPerCell, 1));
    deltas = addChildBlock("deltas", conv(4 * anchorsPerCell, 1));
    setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
  }

  private static Conv2d conv(int filters, int kernel) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .setFilters(filters)
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .build();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList features, boolean training, PairList<String, Object> params) {
    NDList logits = new NDList();
    NDList boxDeltas = new NDList();
    for (NDArray feature : features) {
      long n = feature.getShape().get(0);
      long h = feature.getShape().get(2);
      long w = feature.getShape().get(3);
      NDArray t =
          Activation.relu(conv.forward(ps, new NDList(feature), training).singletonOrThrow());
      NDArray o = objectness.forward(ps, new NDList(t), training).singletonOrThrow();
      NDArray d = deltas.forward(ps, new NDList(t), training).singletonOrThrow();
      logits.add(o.transpose(0, 2, 3, 1).reshape(n, -1));
      boxDeltas.add(
          d.reshape(n, anchorsPerCell, 4, h, w).transpose(0, 3, 4, 1, 2).reshape(n, -1, 4));
    }
    return new NDList(concat(logits), concat(boxDeltas));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape level = inputShapes[0];
    conv.initialize(manager, dataType, level);
    Shape hidden = conv.getOutputShapes(new Shape[] {level})[0];
    objectness.initialize(manager, dataType, hidden);
    deltas.initialize(manager, dataType, hidden);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long n = inputShapes[0].get(0);
    long total = 0;
    for (Shape s : inputShapes) {
      total += s.get(2) * s.get(3) * anchorsPerCell;
    }
    return new Shape[] {new Shape(n, total), new Shape(n, total, 4)};
  }

  /** Concatenates along the anchor axis, without a copy for a single level. */
  private static NDArray concat(NDList arrays) {
    return arrays.size() == 1 ? arrays.head() : NDArrays.concat(arrays, 1);
  }
}
