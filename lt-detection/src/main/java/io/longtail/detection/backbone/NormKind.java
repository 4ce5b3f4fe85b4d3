package io.longtail.detection.backbone;

import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;

/**
 * The normalisation layer placed after every convolution of the ResNet.
 *
 * <ul>
 *   <li>{@link #FROZEN_BN}: {@link FrozenBatchNorm}, a fixed per-channel affine map (for pretrained
 *       weights; identity when training from scratch);
 *   <li>{@link #BN}: DJL's {@link BatchNorm}, batch statistics in training, running statistics in
 *       inference (eps 1e-5, running-average momentum 0.9 in MXNet's convention, i.e. PyTorch's
 *       0.1);
 *   <li>{@link #GN}: {@link GroupNorm} (Wu and He 2018), independent of the batch size.
 * </ul>
 */
public enum NormKind {
  /** Frozen batch normalisation: fixed statistics and affine, no trained parameters. */
  FROZEN_BN,
  /** Batch normalisation with learnable affine and running statistics. */
  BN,
  /** Group normalisation with learnable per-channel affine. */
  GN;

  /**
   * A new normalisation block for {@code channels} channels.
   *
   * @param channels number of channels of the normalised input (axis 1)
   * @param groupNormGroups requested number of groups, used by {@link #GN} only (clipped to a
   *     divisor of {@code channels}, see {@link GroupNorm#clipGroups})
   * @return a fresh, uninitialised block
   */
  public Block newBlock(int channels, int groupNormGroups) {
    switch (this) {
      case FROZEN_BN:
        return new FrozenBatchNorm(channels);
      case BN:
        return BatchNorm.builder().build();
      case GN:
        return new GroupNorm(channels, groupNormGroups);
      default:
        throw new IllegalStateException("unknown norm " + this);
    }
  }
}
