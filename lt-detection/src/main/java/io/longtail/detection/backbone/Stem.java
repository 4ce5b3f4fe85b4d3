package io.longtail.detection.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The ResNet stem: 7x7 convolution with stride 2 (no bias), norm, ReLU, 3x3 max pool with stride 2
 * and padding 1. Input {@code (N, 3, H, W)}, output {@code (N, width, H / 4, W / 4)} (rounded up).
 */
final class Stem extends AbstractBlock {

  private static final byte VERSION = 1;
  private static final Shape POOL_KERNEL = new Shape(3, 3);
  private static final Shape POOL_STRIDE = new Shape(2, 2);
  private static final Shape POOL_PAD = new Shape(1, 1);

  private final Block conv;
  private final Block norm;

  Stem(int width, NormSpec normSpec) {
    super(VERSION);
    conv = addChildBlock("conv1", Layers.conv(width, 7, 2, false));
    norm = addChildBlock("norm1", normSpec.newBlock(width));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = Layers.apply(conv, ps, inputs.singletonOrThrow(), training, params);
    x = Activation.relu(Layers.apply(norm, ps, x, training, params));
    return new NDList(Pool.maxPool2d(x, POOL_KERNEL, POOL_STRIDE, POOL_PAD, false));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Layers.initChain(manager, dataType, inputShapes[0], conv, norm);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = Layers.chainShape(inputShapes[0], conv);
    // max pool 3x3, stride 2, padding 1: floor((n + 2 - 3) / 2) + 1
    return new Shape[] {
      new Shape(s.get(0), s.get(1), (s.get(2) - 1) / 2 + 1, (s.get(3) - 1) / 2 + 1)
    };
  }
}
