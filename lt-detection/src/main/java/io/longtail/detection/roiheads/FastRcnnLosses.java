package io.longtail.detection.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The ROI box head losses (detectron2 {@code FastRCNNOutputs}): softmax cross-entropy over the
 * {@code K + 1} classes averaged over the sampled ROIs, and the L1 loss of the foreground ROIs'
 * deltas (for their ground-truth class when regression is per class) summed and divided by the
 * number of sampled ROIs.
 */
public final class FastRcnnLosses {
  private FastRcnnLosses() {}

  /**
   * The two loss terms, scalars.
   *
   * @param classification cross-entropy
   * @param box L1 box regression loss
   */
  public record Losses(NDArray classification, NDArray box) {}

  /**
   * Computes the losses.
   *
   * @param logits {@code (R, K + 1)}
   * @param deltas {@code (R, 4)} class-agnostic or {@code (R, 4K)}
   * @param sampled the sampled ROIs and their targets
   * @param numForeground {@code K}
   * @return the losses
   */
  public static Losses compute(
      NDArray logits, NDArray deltas, RoiSampling.Sampled sampled, int numForeground) {
    int r = sampled.size();
    if (logits.getShape().get(0) != r) {
      throw new IllegalArgumentException(
          "logits have " + logits.getShape().get(0) + " rows for " + r + " sampled ROIs");
    }
    NDManager m = logits.getManager();
    NDArray classification;
    try (NDArray labels = m.create(sampled.labels());
        NDArray oneHot = labels.oneHot(numForeground + 1)) {
      classification = logits.logSoftmax(1).mul(oneHot).sum().neg().div(Math.max(r, 1));
    }
    int[] fg = sampled.foregroundRows();
    if (fg.length == 0) {
      return new Losses(classification, deltas.sum().mul(0f));
    }
    boolean agnostic = deltas.getShape().get(1) == 4;
    int[] rows = new int[fg.length];
    int[] labels = sampled.labels();
    for (int j = 0; j < fg.length; j++) {
      rows[j] = agnostic ? fg[j] : fg[j] * numForeground + labels[fg[j]];
    }
    NDArray box;
    try (NDArray idx = m.create(rows);
        NDArray target = m.create(sampled.regressionTargets(), new Shape(fg.length, 4))) {
      NDArray predicted = deltas.reshape(-1, 4).get(idx);
      box = predicted.sub(target).abs().sum().div(r);
    }
    return new Losses(classification, box);
  }
}
