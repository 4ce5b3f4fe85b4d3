package io.longtail.detection.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The detector's backbone: a {@link ResNet} bottom-up network followed by an {@link Fpn}, as
 * detectron2's {@code build_resnet_fpn_backbone}.
 *
 * <p>Forward: input images {@code (N, 3, H, W)} with {@code H} and {@code W} multiples of 32 (the
 * detection pipeline pads to that); output {@code NDList} P2, P3, P4, P5, P6 of shape {@code (N,
 * outChannels(), H / s, W / s)} for the strides {@code s} of {@link #strides()} (P6 rounded up).
 */
public final class Backbone extends AbstractBlock {

  private static final byte VERSION = 1;

  /** Input height and width must be multiples of this (the coarsest ResNet stride). */
  public static final int SIZE_DIVISIBILITY = 32;

  private final BackboneConfig config;
  private final ResNet resNet;
  private final Fpn fpn;

  /**
   * A backbone with the given settings (uninitialised).
   *
   * @param config validated settings
   */
  public Backbone(BackboneConfig config) {
    super(VERSION);
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    this.config = config;
    resNet =
        addChildBlock(
            "bottomUp",
            ResNet.builder()
                .setDepth(config.depth())
                .optBaseWidth(config.baseWidth())
                .optNorm(config.norm())
                .optFreezeAt(config.freezeAt())
                .build());
    fpn = addChildBlock("fpn", new Fpn(config.fpnChannels()));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray images = inputs.singletonOrThrow();
    checkInputShape(images.getShape());
    NDList c = resNet.forward(ps, new NDList(images), training, params);
    return fpn.forward(ps, c, training, params);
  }

  private static void checkInputShape(Shape shape) {
    if (shape.dimension() != 4
        || shape.get(1) != 3
        || shape.get(2) % SIZE_DIVISIBILITY != 0
        || shape.get(3) % SIZE_DIVISIBILITY != 0) {
      throw new IllegalArgumentException(
          "images must be (N, 3, H, W) with H and W multiples of "
              + SIZE_DIVISIBILITY
              + ", got "
              + shape);
    }
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    checkInputShape(inputShapes[0]);
    resNet.initialize(manager, dataType, inputShapes);
    fpn.initialize(manager, dataType, resNet.getOutputShapes(inputShapes));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return fpn.getOutputShapes(resNet.getOutputShapes(inputShapes));
  }

  /** The settings it was built from. */
  public BackboneConfig config() {
    return config;
  }

  /** Strides of P2..P6 in input pixels: {@code {4, 8, 16, 32, 64}}. */
  public int[] strides() {
    return fpn.strides();
  }

  /** Channels of every P level. */
  public int outChannels() {
    return fpn.outChannels();
  }

  /** The ResNet (its parameters are this block's {@code bottomUp_*} parameters). */
  public ResNet resNet() {
    return resNet;
  }

  /** The FPN (its parameters are this block's {@code fpn_*} parameters). */
  public Fpn fpn() {
    return fpn;
  }
}
