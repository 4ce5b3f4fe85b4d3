package io.longtail.detection.config;

import static io.longtail.detection.config.Defaults.or;
import static io.longtail.detection.config.Defaults.positive;
import static io.longtail.detection.config.Defaults.unit;

import java.util.List;

/**
 * Region proposal network settings (defaults: detectron2's R-50-FPN).
 *
 * @param anchorSizes anchor size per FPN level P2..P6 (default 32, 64, 128, 256, 512)
 * @param aspectRatios anchor height/width ratios (default 0.5, 1, 2)
 * @param preNmsTopKTrain proposals kept per level before NMS in training (default 2000)
 * @param postNmsTopKTrain proposals kept per image after NMS in training (default 1000)
 * @param preNmsTopKTest proposals kept per level before NMS at test time (default 1000)
 * @param postNmsTopKTest proposals kept per image after NMS at test time (default 1000)
 * @param nmsThreshold NMS IoU of proposals (default 0.7)
 * @param batchSizePerImage anchors sampled per image for the losses (default 256)
 * @param positiveFraction fraction of positive anchors sampled (default 0.5)
 * @param iouLow IoU below which an anchor is negative (default 0.3)
 * @param iouHigh IoU from which an anchor is positive (default 0.7)
 */
public record RpnConfig(
    List<Float> anchorSizes,
    List<Float> aspectRatios,
    Integer preNmsTopKTrain,
    Integer postNmsTopKTrain,
    Integer preNmsTopKTest,
    Integer postNmsTopKTest,
    Float nmsThreshold,
    Integer batchSizePerImage,
    Float positiveFraction,
    Float iouLow,
    Float iouHigh) {

  /** Fills defaults and validates. */
  public RpnConfig {
    anchorSizes = List.copyOf(or(anchorSizes, List.of(32f, 64f, 128f, 256f, 512f)));
    aspectRatios = List.copyOf(or(aspectRatios, List.of(0.5f, 1f, 2f)));
    preNmsTopKTrain = or(preNmsTopKTrain, 2000);
    postNmsTopKTrain = or(postNmsTopKTrain, 1000);
    preNmsTopKTest = or(preNmsTopKTest, 1000);
    postNmsTopKTest = or(postNmsTopKTest, 1000);
    nmsThreshold = or(nmsThreshold, 0.7f);
    batchSizePerImage = or(batchSizePerImage, 256);
    positiveFraction = or(positiveFraction, 0.5f);
    iouLow = or(iouLow, 0.3f);
    iouHigh = or(iouHigh, 0.7f);
    if (anchorSizes.size() != 5) {
      throw new IllegalArgumentException(
          "rpn.anchorSizes must have 5 entries (P2..P6), got " + anchorSizes);
    }
    for (float s : anchorSizes) {
      positive("rpn.anchorSizes", s);
    }
    for (float r : aspectRatios) {
      positive("rpn.aspectRatios", r);
    }
    positive("rpn.preNmsTopKTrain", preNmsTopKTrain);
    positive("rpn.postNmsTopKTrain", postNmsTopKTrain);
    positive("rpn.preNmsTopKTest", preNmsTopKTest);
    positive("rpn.postNmsTopKTest", postNmsTopKTest);
    unit("rpn.nmsThreshold", nmsThreshold);
    positive("rpn.batchSizePerImage", batchSizePerImage);
    unit("rpn.positiveFraction", positiveFraction);
    unit("rpn.iouLow", iouLow);
    unit("rpn.iouHigh", iouHigh);
    if (iouLow > iouHigh) {
      throw new IllegalArgumentException(
          "rpn.iouLow must be <= rpn.iouHigh, got " + iouLow + " > " + iouHigh);
    }
  }

  /** All defaults. */
  public static RpnConfig defaults() {
    return new RpnConfig(null, null, null, null, null, null, null, null, null, null, null);
  }
}
