package io.longtail.detection.backbone;

import ai.djl.nn.Block;

/**
 * A normalisation kind with its group count, as the residual blocks need it.
 *
 * @param kind the normalisation
 * @param groupNormGroups requested groups for {@link NormKind#GN}
 */
record NormSpec(NormKind kind, int groupNormGroups) {

  NormSpec {
    if (kind == null) {
      throw new IllegalArgumentException("norm must not be null");
    }
    if (groupNormGroups < 1) {
      throw new IllegalArgumentException(
          "groupNormGroups must be positive, got " + groupNormGroups);
    }
  }

  /** A new norm block over {@code channels} channels. */
  Block newBlock(int channels) {
    return kind.newBlock(channels, groupNormGroups);
  }

  /**
   * The same spec for a frozen part of the network: batch norm becomes {@link NormKind#FROZEN_BN}
   * (as detectron2 does for frozen stages), because a frozen stage must not update running
   * statistics and MXNet's batch norm cannot run in inference mode while autograd records in
   * training mode.
   */
  NormSpec frozen() {
    return kind == NormKind.BN ? new NormSpec(NormKind.FROZEN_BN, groupNormGroups) : this;
  }
}
