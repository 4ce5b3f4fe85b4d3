package io.longtail.detection.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu and He, "Group Normalization", ECCV 2018): the channels are split into
 * {@code G} groups, each group of each sample is normalised to zero mean and unit variance over its
 * channels and spatial positions, then a learnable per-channel affine {@code gamma}, {@code beta}
 * is applied (initialised to 1 and 0).
 *
 * <p>Written with DJL's engine-neutral operators (a layer norm over each group, then the affine),
 * all out of place so that it runs while autograd records. MXNet 1.x's own {@code GroupNorm}
 * operator is not used: its affine parameters are per group, not per channel as in the paper and
 * detectron2.
 *
 * <p>Input {@code (N, C, ...)}, output of the same shape.
 */
public final class GroupNorm extends AbstractBlock {

  private static final byte VERSION = 1;

  /** The default number of groups (the paper's and detectron2's). */
  public static final int DEFAULT_GROUPS = 32;

  /** The default {@code eps}, as PyTorch's {@code GroupNorm}. */
  public static final float DEFAULT_EPS = 1e-5f;

  private final int channels;
  private final int groups;
  private final float eps;
  private final Parameter gamma;
  private final Parameter beta;

  /**
   * A group norm over {@code channels} channels.
   *
   * @param channels number of channels (axis 1 of the input), positive
   * @param requestedGroups wanted number of groups, positive; the block uses {@link
   *     #clipGroups(int, int)} of it, so that the groups divide the channels
   */
  public GroupNorm(int channels, int requestedGroups) {
    super(VERSION);
    this.groups = clipGroups(requestedGroups, channels);
    this.channels = channels;
    this.eps = DEFAULT_EPS;
    gamma =
        addParameter(
            Parameter.builder()
                .setName("gamma")
                .setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels))
                .build());
    beta =
        addParameter(
            Parameter.builder()
                .setName("beta")
                .setType(Parameter.Type.BETA)
                .optShape(new Shape(channels))
                .build());
  }

  /**
   * The largest number of groups not above {@code requestedGroups} that divides {@code channels}
   * (so narrow networks, e.g. 8 channels with 32 requested groups, still get a valid group norm).
   *
   * @param requestedGroups wanted number of groups, positive
   * @param channels number of channels, positive
   * @return a divisor of {@code channels} in {@code [1, requestedGroups]}
   */
  public static int clipGroups(int requestedGroups, int channels) {
    if (requestedGroups < 1) {
      throw new IllegalArgumentException("groups must be positive, got " + requestedGroups);
    }
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be positive, got " + channels);
    }
    int g = Math.min(requestedGroups, channels);
    while (channels % g != 0) {
      g--;
    }
    return g;
  }

  /**
   * Group normalisation without the affine: every group of every sample gets zero mean and unit
   * variance (biased variance, plus {@code eps}).
   *
   * @param x {@code (N, C, ...)} with {@code C} divisible by {@code groups}
   * @param groups number of groups
   * @param eps added to the variance
   * @return normalised {@code x}, same shape
   */
  public static NDArray normalize(NDArray x, int groups, float eps) {
    Shape shape = x.getShape();
    if (shape.get(1) % groups != 0) {
      throw new IllegalArgumentException(
          "channels must be divisible by groups " + groups + ", got " + shape);
    }
    long groupSize = shape.size() / shape.get(0) / groups;
    NDArray grouped = x.reshape(shape.get(0), groups, groupSize);
    // Layer norm over the last axis of (N, G, C / G * H * W) is group norm without the affine: one
    // fused engine operator instead of eight elementwise ones, half the CPU time of those for a
    // forward + backward on (2, 16, 64, 64) with MXNet. Its own affine is left at the identity.
    Shape normalized = new Shape(groupSize);
    NDManager m = x.getManager();
    NDArray ones = m.ones(normalized, x.getDataType(), x.getDevice());
    NDArray zeros = m.zeros(normalized, x.getDataType(), x.getDevice());
    return LayerNorm.layerNorm(grouped, normalized, ones, zeros, eps)
        .singletonOrThrow()
        .reshape(shape);
  }

  /**
   * Group normalisation with per-channel affine.
   *
   * @param x {@code (N, C, ...)}
   * @param gamma {@code (C)} scale
   * @param beta {@code (C)} shift
   * @param groups number of groups, dividing {@code C}
   * @param eps added to the variance
   * @return {@code normalize(x) * gamma + beta}, same shape as {@code x}
   */
  public static NDArray groupNorm(NDArray x, NDArray gamma, NDArray beta, int groups, float eps) {
    Shape channelShape = FrozenBatchNorm.channelShape(x.getShape(), gamma.size());
    return normalize(x, groups, eps)
        .mul(gamma.reshape(channelShape))
        .add(beta.reshape(channelShape));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    return new NDList(
        groupNorm(
            x,
            ps.getValue(gamma, x.getDevice(), training),
            ps.getValue(beta, x.getDevice(), training),
            groups,
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

  /** Number of groups actually used (after clipping). */
  public int groups() {
    return groups;
  }
}
