package io.longtail.segmentation.config;

/**
 * Mask head settings, the {@code mask:} section of a Mask R-CNN config (defaults: detectron2's
 * {@code MaskRCNNConvUpsampleHead} of the R-50-FPN Mask R-CNN).
 *
 * @param poolerResolution ROIAlign output size; the masks are twice as large (default 14, masks 28
 *     x 28)
 * @param samplingRatio ROIAlign samples per bin side, 0 = adaptive (default 0)
 * @param numConv number of 3x3 convolutions before the 2x deconvolution, {@code >= 1} (default 4;
 *     DJL sizes a deconvolution's weight as if its input had {@code convDim} channels, so at least
 *     one convolution must bring the pooled features to that width)
 * @param convDim channels of the convolutions and the deconvolution (default 256)
 * @param classAgnostic one mask per ROI instead of one per foreground class (default false)
 * @param lossWeight weight of the mask loss in the total loss (default 1)
 * @param threshold probability from which a pasted pixel belongs to the mask (default 0.5)
 */
public record MaskHeadConfig(
    Integer poolerResolution,
    Integer samplingRatio,
    Integer numConv,
    Integer convDim,
    Boolean classAgnostic,
    Float lossWeight,
    Float threshold) {

  /** Fills defaults and validates; messages name the key ({@code mask.convDim}). */
  public MaskHeadConfig {
    poolerResolution = poolerResolution != null ? poolerResolution : 14;
    samplingRatio = samplingRatio != null ? samplingRatio : 0;
    numConv = numConv != null ? numConv : 4;
    convDim = convDim != null ? convDim : 256;
    classAgnostic = classAgnostic != null ? classAgnostic : false;
    lossWeight = lossWeight != null ? lossWeight : 1f;
    threshold = threshold != null ? threshold : 0.5f;
    if (poolerResolution < 1) {
      throw new IllegalArgumentException(
          "mask.poolerResolution must be positive, got " + poolerResolution);
    }
    if (samplingRatio < 0) {
      throw new IllegalArgumentException("mask.samplingRatio must be >= 0, got " + samplingRatio);
    }
    if (numConv < 1) {
      throw new IllegalArgumentException("mask.numConv must be >= 1, got " + numConv);
    }
    if (convDim < 1) {
      throw new IllegalArgumentException("mask.convDim must be positive, got " + convDim);
    }
    if (!(lossWeight >= 0) || Float.isInfinite(lossWeight)) {
      throw new IllegalArgumentException(
          "mask.lossWeight must be finite and >= 0, got " + lossWeight);
    }
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("mask.threshold must be in (0, 1), got " + threshold);
    }
  }

  /** All defaults. */
  public static MaskHeadConfig defaults() {
    return new MaskHeadConfig(null, null, null, null, null, null, null);
  }

  /** Side of the predicted masks: {@code 2 * poolerResolution} (28 by default). */
  public int maskSize() {
    return 2 * poolerResolution;
  }
}
