package io.longtail.detection.config;

import static io.longtail.detection.config.Defaults.or;

import io.longtail.detection.backbone.BackboneConfig;

/**
 * The detector's architecture.
 *
 * @param backbone ResNet + FPN settings
 * @param rpn region proposal network settings
 * @param roiHeads ROI box head settings
 */
public record ModelConfig(BackboneConfig backbone, RpnConfig rpn, RoiHeadsConfig roiHeads) {

  /** Fills defaults. */
  public ModelConfig {
    backbone = or(backbone, BackboneConfig.defaults());
    rpn = or(rpn, RpnConfig.defaults());
    roiHeads = or(roiHeads, RoiHeadsConfig.defaults());
  }
}
