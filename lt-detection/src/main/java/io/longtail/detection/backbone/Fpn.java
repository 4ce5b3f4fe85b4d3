package io.longtail.detection.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Feature pyramid network (Lin et al., "Feature Pyramid Networks for Object Detection", CVPR 2017)
 * as detectron2's {@code FPN} with {@code LastLevelMaxPool}.
 *
 * <p>For each input C_l (l = 2..5) a lateral 1x1 convolution maps it to {@code outChannels}; the
 * top-down path starts at the lateral of C5 and, going down, adds the 2x nearest-neighbour
 * upsampled coarser sum to each lateral; a 3x3 output convolution on each sum gives P_l. P6 is P5
 * subsampled by a max pool with kernel 1 and stride 2. Convolutions have a bias (no norm) and are
 * initialised as detectron2's {@code c2_xavier_fill}: uniform in {@code +-sqrt(3 / fanIn)}, zero
 * bias.
 *
 * <p>Forward: input {@code NDList} C2..C5 {@code (N, C_l, H_l, W_l)} with {@code H_l = ceil(H_{l-1}
 * / 2)} (as ResNet produces); output {@code NDList} P2..P6 of shape {@code (N, outChannels, H_l,
 * W_l)} at strides 4, 8, 16, 32, 64 of the image. Odd sizes are handled by cropping the upsampled
 * map to the lateral's size.
 */
public final class Fpn extends AbstractBlock {

  private static final byte VERSION = 1;

  /** The standard number of FPN channels. */
  public static final int DEFAULT_OUT_CHANNELS = 256;

  private static final int LEVELS = 4;
  private static final int[] STRIDES = {4, 8, 16, 32, 64};
  private static final Shape ONE = new Shape(1, 1);
  private static final Shape TWO = new Shape(2, 2);
  private static final Shape ZERO = new Shape(0, 0);

  private final int outChannels;
  private final List<Block> laterals = new ArrayList<>();
  private final List<Block> outputs = new ArrayList<>();

  /** An FPN with 256 channels. */
  public Fpn() {
    this(DEFAULT_OUT_CHANNELS);
  }

  /**
   * An FPN with the given number of channels.
   *
   * @param outChannels channels of every P level, positive
   */
  public Fpn(int outChannels) {
    super(VERSION);
    if (outChannels < 1) {
      throw new IllegalArgumentException("outChannels must be positive, got " + outChannels);
    }
    this.outChannels = outChannels;
    for (int l = 2; l < 2 + LEVELS; l++) {
      laterals.add(addChildBlock("lateral" + l, Layers.conv(outChannels, 1, 1, true)));
      outputs.add(addChildBlock("output" + l, Layers.conv(outChannels, 3, 1, true)));
    }
    setInitializer(
        new XavierInitializer(
            XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 3),
        Parameter.Type.WEIGHT);
  }

  /**
   * Nearest-neighbour 2x upsampling of {@code x} cropped to {@code height x width}.
   *
   * @param x {@code (N, C, h, w)} with {@code 2h >= height}, {@code 2w >= width}
   * @return {@code (N, C, height, width)}
   */
  public static NDArray upsample2x(NDArray x, long height, long width) {
    NDArray up = x.repeat(2, 2).repeat(3, 2);
    Shape s = up.getShape();
    if (s.get(2) < height || s.get(3) < width) {
      throw new IllegalArgumentException(
          "cannot upsample " + x.getShape() + " by 2 to " + height + "x" + width);
    }
    if (s.get(2) != height || s.get(3) != width) {
      up = up.get(new NDIndex(":, :, :{}, :{}", height, width));
    }
    return up;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    if (inputs.size() != LEVELS) {
      throw new IllegalArgumentException(
          "inputs must hold C2..C5 (4 arrays), got " + inputs.size());
    }
    NDArray[] p = new NDArray[LEVELS + 1];
    NDArray prev = null;
    for (int i = LEVELS - 1; i >= 0; i--) {
      NDArray lateral = Layers.apply(laterals.get(i), ps, inputs.get(i), training, params);
      if (prev != null) {
        Shape s = lateral.getShape();
        lateral = lateral.add(upsample2x(prev, s.get(2), s.get(3)));
      }
      prev = lateral;
      p[i] = Layers.apply(outputs.get(i), ps, prev, training, params);
    }
    p[LEVELS] = Pool.maxPool2d(p[LEVELS - 1], ONE, TWO, ZERO, false);
    return new NDList(p);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    if (inputShapes.length != LEVELS) {
      throw new IllegalArgumentException(
          "inputShapes must hold C2..C5 (4 shapes), got " + inputShapes.length);
    }
    for (int i = 0; i < LEVELS; i++) {
      Layers.initChain(manager, dataType, inputShapes[i], laterals.get(i), outputs.get(i));
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] out = new Shape[LEVELS + 1];
    for (int i = 0; i < LEVELS; i++) {
      Shape c = inputShapes[i];
      out[i] = new Shape(c.get(0), outChannels, c.get(2), c.get(3));
    }
    Shape p5 = out[LEVELS - 1];
    out[LEVELS] =
        new Shape(p5.get(0), outChannels, (p5.get(2) - 1) / 2 + 1, (p5.get(3) - 1) / 2 + 1);
    return out;
  }

  /** Channels of every P level. */
  public int outChannels() {
    return outChannels;
  }

  /** Strides of P2..P6: {@code {4, 8, 16, 32, 64}}. */
  public int[] strides() {
    return STRIDES.clone();
  }
}
