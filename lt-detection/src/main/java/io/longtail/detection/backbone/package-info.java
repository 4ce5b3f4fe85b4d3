/**
 * The detector's backbone as DJL blocks: ResNet (He et al. 2016) with configurable depth, width and
 * normalisation ({@link io.longtail.detection.backbone.NormKind}), and a feature pyramid network
 * (Lin et al. 2017) on top, producing P2..P6 at strides 4..64 ({@link
 * io.longtail.detection.backbone.Backbone}).
 */
package io.longtail.detection.backbone;
