package io.longtail.detection.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A residual block of ResNet (He et al., "Deep Residual Learning for Image Recognition", CVPR
 * 2016): a chain of convolution + norm pairs with ReLU between them, added to the shortcut, then a
 * final ReLU. The shortcut is the identity when the shape is kept, else a strided 1x1 convolution +
 * norm (the paper's option B).
 *
 * <ul>
 *   <li>{@link #basic}: 3x3 (stride s) - 3x3, for ResNet-18/34;
 *   <li>{@link #bottleneck}: 1x1 - 3x3 (stride s) - 1x1, the stride on the 3x3 convolution as
 *       torchvision and detectron2 with {@code stride_in_1x1 = False}, for ResNet-50.
 * </ul>
 *
 * <p>Input {@code (N, in, H, W)}, output {@code (N, out, ceil(H / s), ceil(W / s))}. Convolutions
 * have no bias (a norm follows each).
 */
final class ResidualBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private final List<Block> convs = new ArrayList<>();
  private final List<Block> norms = new ArrayList<>();
  private final Block shortcut;
  private final Block shortcutNorm;

  private ResidualBlock(int[] kernels, int[] widths, int strideIndex, int stride, NormSpec norm) {
    super(VERSION);
    for (int i = 0; i < kernels.length; i++) {
      int s = i == strideIndex ? stride : 1;
      convs.add(addChildBlock("conv" + (i + 1), Layers.conv(widths[i + 1], kernels[i], s, false)));
      norms.add(addChildBlock("norm" + (i + 1), norm.newBlock(widths[i + 1])));
    }
    int in = widths[0];
    int out = widths[widths.length - 1];
    if (in != out || stride != 1) {
      shortcut = addChildBlock("shortcut", Layers.conv(out, 1, stride, false));
      shortcutNorm = addChildBlock("shortcutNorm", norm.newBlock(out));
    } else {
      shortcut = null;
      shortcutNorm = null;
    }
  }

  /** ResNet-18/34 basic block {@code in -> out -> out}, stride on the first 3x3. */
  static ResidualBlock basic(int in, int out, int stride, NormSpec norm) {
    return new ResidualBlock(new int[] {3, 3}, new int[] {in, out, out}, 0, stride, norm);
  }

  /** ResNet-50 bottleneck block {@code in -> mid -> mid -> out}, stride on the 3x3. */
  static ResidualBlock bottleneck(int in, int mid, int out, int stride, NormSpec norm) {
    return new ResidualBlock(new int[] {1, 3, 1}, new int[] {in, mid, mid, out}, 1, stride, norm);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray y = x;
    for (int i = 0; i < convs.size(); i++) {
      y = Layers.apply(convs.get(i), ps, y, training, params);
      y = Layers.apply(norms.get(i), ps, y, training, params);
      if (i < convs.size() - 1) {
        y = Activation.relu(y);
      }
    }
    NDArray identity = x;
    if (shortcut != null) {
      identity = Layers.apply(shortcut, ps, x, training, params);
      identity = Layers.apply(shortcutNorm, ps, identity, training, params);
    }
    return new NDList(Activation.relu(y.add(identity)));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape shape = inputShapes[0];
    for (int i = 0; i < convs.size(); i++) {
      shape = Layers.initChain(manager, dataType, shape, convs.get(i), norms.get(i));
    }
    if (shortcut != null) {
      Layers.initChain(manager, dataType, inputShapes[0], shortcut, shortcutNorm);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {Layers.chainShape(inputShapes[0], convs.toArray(new Block[0]))};
  }
}
