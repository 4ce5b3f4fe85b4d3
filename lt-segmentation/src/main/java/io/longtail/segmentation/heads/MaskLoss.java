package io.longtail.segmentation.heads;

import ai.djl.ndarray.NDArray;

/**
 * The Mask R-CNN mask loss (detectron2 {@code mask_rcnn_loss}): per-pixel binary cross-entropy
 * between each positive ROI's logits for its ground-truth class and its binary target, averaged
 * over all pixels of all positive ROIs. Only positive (foreground) ROIs enter; with none the caller
 * adds nothing.
 */
public final class MaskLoss {
  private MaskLoss() {}

  /**
   * Mean binary cross-entropy with logits, computed stably as {@code max(x, 0) - x t + log(1 +
   * exp(-|x|))}.
   *
   * @param logits {@code (R, M, M)} logits of each ROI's ground-truth class
   * @param targets {@code (R, M, M)} 0/1 targets ({@link
   *     io.longtail.segmentation.masks.MaskTargets})
   * @return the scalar loss
   */
  public static NDArray binaryCrossEntropy(NDArray logits, NDArray targets) {
    if (!logits.getShape().equals(targets.getShape())) {
      throw new IllegalArgumentException(
          "logits and targets must have one shape, got "
              + logits.getShape()
              + " and "
              + targets.getShape());
    }
    NDArray softplus = logits.abs().neg().exp().add(1f).log();
    return logits.maximum(0f).sub(logits.mul(targets)).add(softplus).mean();
  }
}
