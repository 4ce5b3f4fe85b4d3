package io.longtail.segmentation.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv2dTranspose;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import io.longtail.segmentation.config.MaskHeadConfig;

/**
 * The Mask R-CNN mask head (He et al. 2017; detectron2 {@code MaskRCNNConvUpsampleHead}): {@code
 * numConv} 3x3 convolutions of {@code convDim} channels with ReLU, a 2x2 stride-2 deconvolution
 * with ReLU, and a 1x1 convolution to one mask logit map per foreground class ({@link
 * MaskPredictor}).
 *
 * <p>Input: ROI features pooled at {@code S x S} (14) from the FPN, {@code (R, C, S, S)}. Output of
 * {@link #forward}: {@code (R, K', 2S, 2S)} logits ({@code K' = K}, or 1 when class-agnostic).
 * {@link #selectedLogits} gives only the map of each ROI's class, {@code (R, 2S, 2S)}: the ground
 * truth class in training ({@link MaskLoss}), the predicted one at test time.
 *
 * <p>Convolutions start from He (MSRA) normal initialisation with fan-out, as detectron2's {@code
 * c2_msra_fill}.
 */
public final class MaskHead extends AbstractBlock {

  private static final byte VERSION = 1;

  private final MaskHeadConfig config;
  private final int numForeground;
  private final SequentialBlock tower;
  private final MaskPredictor predictor;

  /**
   * Builds an uninitialised head.
   *
   * @param config layer sizes
   * @param numForeground number of foreground classes {@code K}
   */
  public MaskHead(MaskHeadConfig config, int numForeground) {
    super(VERSION);
    if (numForeground < 1) {
      throw new IllegalArgumentException("numForeground must be >= 1, got " + numForeground);
    }
    this.config = config;
    this.numForeground = numForeground;
    SequentialBlock layers = new SequentialBlock();
    for (int i = 0; i < config.numConv(); i++) {
      layers
          .add(
              Conv2d.builder()
                  .setKernelShape(new Shape(3, 3))
                  .setFilters(config.convDim())
                  .optPadding(new Shape(1, 1))
                  .build())
          .add(Activation::relu);
    }
    layers
        .add(
            Conv2dTranspose.builder()
                .setKernelShape(new Shape(2, 2))
                .optStride(new Shape(2, 2))
                .setFilters(config.convDim())
                .build())
        .add(Activation::relu);
    layers.setInitializer(
        new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2),
        Parameter.Type.WEIGHT);
    tower = addChildBlock("tower", layers);
    predictor =
        addChildBlock(
            "predictor",
            new MaskPredictor(config.classAgnostic() ? 1 : numForeground, config.convDim()));
  }

  /** The settings. */
  public MaskHeadConfig config() {
    return config;
  }

  /** Number of foreground classes {@code K}. */
  public int numForeground() {
    return numForeground;
  }

  /** Side of the predicted masks ({@code 2S}). */
  public int maskSize() {
    return config.maskSize();
  }

  /**
   * Mask logits of each ROI's class.
   *
   * @param ps parameter store
   * @param pooled {@code (R, C, S, S)} ROI features
   * @param classes {@code R} foreground classes in {@code [0, K)} (ignored when class-agnostic)
   * @param training whether this is a training forward
   * @return {@code (R, 2S, 2S)} logits
   */
  public NDArray selectedLogits(
      ParameterStore ps, NDArray pooled, int[] classes, boolean training) {
    for (int k : classes) {
      if (k < 0 || k >= numForeground) {
        throw new IllegalArgumentException(
            "classes must be foreground classes in [0, " + numForeground + "), got " + k);
      }
    }
    NDArray features = tower.forward(ps, new NDList(pooled), training).singletonOrThrow();
    int[] rows = config.classAgnostic() ? new int[classes.length] : classes;
    return predictor.selectedLogits(ps, features, rows, training);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList features = tower.forward(ps, inputs, training, params);
    return predictor.forward(ps, features, training, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    tower.initialize(manager, dataType, inputShapes);
    predictor.initialize(manager, dataType, tower.getOutputShapes(inputShapes));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return predictor.getOutputShapes(tower.getOutputShapes(inputShapes));
  }
}
