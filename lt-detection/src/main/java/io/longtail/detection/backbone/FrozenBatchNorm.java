package io.longtail.detection.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * Batch normalisation with fixed statistics and affine (detectron2's {@code FrozenBatchNorm2d}):
 * {@code y = x * scale' + bias'} per channel, with {@code scale' = scale / sqrt(var + eps)} and
 * {@code bias' = bias - mean * scale'}. None of the four per-channel arrays is trained; they are
 * saved and loaded with the block, so pretrained batch-norm statistics can be loaded into it.
 *
 * <p>At initialisation {@code scale = 1}, {@code bias = 0}, {@code mean = 0} and {@code var = 1 -
 * eps} (as detectron2), which makes the block the identity.
 *
 * <p>Input {@code (N, C, ...)}, output of the same shape.
 */
public final class FrozenBatchNorm extends AbstractBlock {

  private static final byte VERSION = 1;

  /** The default {@code eps}, as PyTorch's and detectron2's batch norm. */
  public static final float DEFAULT_EPS = 1e-5f;

  private final int channels;
  private final float eps;
  private final Parameter scale;
  private final Parameter bias;
  private final Parameter runningMean;
  private final Parameter runningVar;

  /**
   * A frozen batch norm over {@code channels} channels with {@code eps = 1e-5}.
   *
   * @param channels number of channels (axis 1 of the input), positive
   */
  public FrozenBatchNorm(int channels) {
    this(channels, DEFAULT_EPS);
  }

  /**
   * A frozen batch norm over {@code channels} channels.
   *
   * @param channels number of channels (axis 1 of the input), positive
   * @param eps added to the variance, in {@code (0, 1)}
   */
  public FrozenBatchNorm(int channels, float eps) {
    super(VERSION);
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be positive, got " + channels);
    }
    if (!(eps > 0 && eps < 1)) {
      throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
    }
    this.channels = channels;
    this.eps = eps;
    Shape shape = new Shape(channels);
    scale = addParameter(frozen("scale", Parameter.Type.GAMMA, shape, null));
    bias = addParameter(frozen("bias", Parameter.Type.BETA, shape, null));
    runningMean = addParameter(frozen("runningMean", Parameter.Type.RUNNING_MEAN, shape, null));
    runningVar =
        addParameter(
            frozen(
                "runningVar", Parameter.Type.RUNNING_VAR, shape, new ConstantInitializer(1 - eps)));
  }

  private static Parameter frozen(
      String name, Parameter.Type type, Shape shape, ConstantInitializer init) {
    Parameter.Builder b =
        Parameter.builder().setName(name).setType(type).optShape(shape).optRequiresGrad(false);
    if (init != null) {
      b.optInitializer(init);
    }
    return b.build();
  }

  /**
   * The frozen batch-norm map, out of place (usable while autograd records).
   *
   * @param x {@code (N, C, ...)}
   * @param scale {@code (C)}
   * @param bias {@code (C)}
   * @param mean {@code (C)}
   * @param var {@code (C)}
   * @param eps added to {@code var}
   * @return {@code x * scale / sqrt(var + eps) + (bias - mean * scale / sqrt(var + eps))}, shape of
   *     {@code x}
   */
  public static NDArray frozenBatchNorm(
      NDArray x, NDArray scale, NDArray bias, NDArray mean, NDArray var, float eps) {
    NDArray s = scale.div(var.add(eps).sqrt());
    NDArray b = bias.sub(mean.mul(s));
    Shape channelShape = channelShape(x.getShape(), scale.size());
    return x.mul(s.reshape(channelShape)).add(b.reshape(channelShape));
  }

  /** {@code (1, C, 1, ...)} with the rank of {@code input}, for broadcasting along axis 1. */
  static Shape channelShape(Shape input, long channels) {
    long[] dims = new long[input.dimension()];
    java.util.Arrays.fill(dims, 1);
    dims[1] = channels;
    return new Shape(dims);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    return new NDList(
        frozenBatchNorm(
            x,
            ps.getValue(scale, x.getDevice(), training),
            ps.getValue(bias, x.getDevice(), training),
            ps.getValue(runningMean, x.getDevice(), training),
            ps.getValue(runningVar, x.getDevice(), training),
            eps));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  /** Number of channels. */
  public int channels() {
    return channels;
  }

  /** The {@code eps} added to the variance. */
  public float eps() {
    return eps;
  }
}
