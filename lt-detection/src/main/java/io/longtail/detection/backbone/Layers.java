package io.longtail.detection.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Small helpers shared by the backbone blocks. */
final class Layers {

  private Layers() {}

  /**
   * A square 2-D convolution with "same"-style padding {@code kernel / 2}.
   *
   * @param filters output channels
   * @param kernel kernel side (1, 3 or 7 here)
   * @param stride stride along both axes
   * @param bias whether the convolution has a bias (not when a norm follows)
   */
  static Conv2d conv(int filters, int kernel, int stride, boolean bias) {
    return Conv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .optBias(bias)
        .build();
  }

  /**
   * Initialises {@code blocks} as a chain fed with {@code input}.
   *
   * @return the output shape of the last block
   */
  static Shape initChain(NDManager manager, DataType dataType, Shape input, Block... blocks) {
    Shape shape = input;
    for (Block block : blocks) {
      block.initialize(manager, dataType, shape);
      shape = block.getOutputShapes(new Shape[] {shape})[0];
    }
    return shape;
  }

  /** The output shape of {@code blocks} applied in order to {@code input}. */
  static Shape chainShape(Shape input, Block... blocks) {
    Shape shape = input;
    for (Block block : blocks) {
      shape = block.getOutputShapes(new Shape[] {shape})[0];
    }
    return shape;
  }

  /** Applies {@code block} to one array. */
  static NDArray apply(
      Block block,
      ParameterStore ps,
      NDArray x,
      boolean training,
      PairList<String, Object> params) {
    return block.forward(ps, new NDList(x), training, params).singletonOrThrow();
  }
}
