package io.longtail.detection.backbone;

/**
 * Settings of a ResNet-FPN {@link Backbone}, validated on construction.
 *
 * @param depth ResNet depth: 18, 34 or 50
 * @param baseWidth ResNet base width (64 standard; e.g. 16 for small CPU runs), positive
 * @param norm normalisation of the ResNet
 * @param freezeAt frozen ResNet parts in {@code [0, 5]}: 0 none, 1 stem, {@code k >= 2} stem and
 *     res2..res{@code k} (detectron2's {@code FREEZE_AT})
 * @param fpnChannels channels of every FPN level (256 standard), positive
 */
public record BackboneConfig(
    int depth, int baseWidth, NormKind norm, int freezeAt, int fpnChannels) {

  /** Validates the settings; errors name the setting and the value. */
  public BackboneConfig {
    ResNet.checkDepth(depth);
    ResNet.checkBaseWidth(baseWidth);
    if (norm == null) {
      throw new IllegalArgumentException("norm must not be null");
    }
    ResNet.checkFreezeAt(freezeAt);
    if (fpnChannels < 1) {
      throw new IllegalArgumentException("fpnChannels must be positive, got " + fpnChannels);
    }
  }

  /**
   * A from-scratch R-50-FPN: depth 50, width 64, group norm, nothing frozen, 256 FPN channels
   * (detectron2's scratch GN recipe, after He et al., "Rethinking ImageNet Pre-training", 2019;
   * this project has no pretrained weights, and frozen batch norm from scratch is the identity).
   */
  public static BackboneConfig defaults() {
    return new BackboneConfig(50, 64, NormKind.GN, 0, Fpn.DEFAULT_OUT_CHANNELS);
  }
}
