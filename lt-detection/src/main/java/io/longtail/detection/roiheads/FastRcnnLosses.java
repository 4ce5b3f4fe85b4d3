package io.longtail.detection.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The ROI box head losses (detectron2 {@code FastRCNNOutputs}): a classification term over the
 * sampled ROIs (by default softmax cross-entropy over the {@code K + 1} classes averaged over the
 * sampled ROIs; any {@link ClassificationLoss}, see {@link RoiBoxHead#losses}) and the L1 loss of
 * the foreground ROIs' deltas (for their ground-truth class when regression is per class) summed
 * and divided by the number of sampled ROIs.
 */
public final class FastRcnnLosses {
  private FastRcnnLosses() {}

  /**
   * The two loss terms, scalars.
   *
   * @param classification classification loss
   * @param box L1 box regression loss
   */
  public record Losses(NDArray classification, NDArray box) {}

  /** The classification term of the box head. */
  @FunctionalInterface
  public interface ClassificationLoss {
    /**
     * The loss of a batch of sampled ROIs.
     *
     * @param logits the classifier's output for the sampled ROIs, {@code (R, C)}
     * @param labels the ROIs' classes, {@code R} values in {@code [0, K]} with {@code K} =
     *     background
     * @return a scalar attached to the logits' manager
     */
    NDArray compute(NDArray logits, int[] labels);
  }

  /**
   * Computes the losses with softmax cross-entropy ({@link #softmaxCrossEntropy}).
   *
   * @param logits {@code (R, K + 1)}
   * @param deltas {@code (R, 4)} class-agnostic or {@code (R, 4K)}
   * @param sampled the sampled ROIs and their targets
   * @param numForeground {@code K}
   * @return the losses
   */
  public static Losses compute(
      NDArray logits, NDArray deltas, RoiSampling.Sampled sampled, int numForeground) {
    return compute(logits, deltas, sampled, numForeground, FastRcnnLosses::softmaxCrossEntropy);
  }

  /**
   * Computes the losses with the given classification term.
   *
   * @param logits {@code (R, C)}: {@code C = K + 1} for softmax heads, {@code K} for sigmoid heads,
   *     {@code K + 2} for Seesaw's objectness head
   * @param deltas {@code (R, 4)} class-agnostic or {@code (R, 4K)}
   * @param sampled the sampled ROIs and their targets
   * @param numForeground {@code K}
   * @param classification the classification term
   * @return the losses
   */
  public static Losses compute(
      NDArray logits,
      NDArray deltas,
      RoiSampling.Sampled sampled,
      int numForeground,
      ClassificationLoss classification) {
    int r = sampled.size();
    if (logits.getShape().get(0) != r) {
      throw new IllegalArgumentException(
          "logits have " + logits.getShape().get(0) + " rows for " + r + " sampled ROIs");
    }
    NDArray classLoss = classification.compute(logits, sampled.labels());
    int[] fg = sampled.foregroundRows();
    if (fg.length == 0) {
      return new Losses(classLoss, deltas.sum().mul(0f));
    }
    NDManager m = logits.getManager();
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
    return new Losses(classLoss, box);
  }

  /**
   * Softmax cross-entropy summed over the ROIs and divided by their number (detectron2's {@code
   * softmax_cross_entropy_loss} with mean reduction).
   *
   * @param logits {@code (R, C)}, background last
   * @param labels {@code R} classes in {@code [0, C - 1]}
   * @return scalar attached to the logits' manager
   */
  public static NDArray softmaxCrossEntropy(NDArray logits, int[] labels) {
    NDManager m = logits.getManager();
    int columns = (int) logits.getShape().get(1);
    try (NDArray y = m.create(labels);
        NDArray oneHot = y.oneHot(columns)) {
      return logits.logSoftmax(1).mul(oneHot).sum().neg().div(Math.max(labels.length, 1));
    }
  }
}
