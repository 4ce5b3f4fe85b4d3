package io.longtail.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Sigmoid binary cross-entropy, the baseline of every sigmoid head: {@code sum_c BCE(z_c, t_c)} per
 * row, averaged over the rows that count. (DJL's own sigmoid loss averages over all {@code N * C}
 * elements; the per-row sum is what detection heads use, e.g. the EQL reference divides the summed
 * loss by the number of rows, and it keeps {@link EqualizationLoss} with {@code lambda = 0} and
 * {@link FocalLoss} with {@code gamma = 0} equal to this loss.)
 *
 * <p>Inputs: predictions {@code [logits (N, C)]}; labels {@code [classes (N)]} with values in
 * {@code [-1, C]} ({@code C} = background, an all-negative row; {@code -1} = ignored row) or
 * multi-hot {@code [targets (N, C)]} (labels of the logits' shape are read as multi-hot).
 */
public final class BinaryCrossEntropyLoss extends Loss {

  /** Settings of the BCE baseline (none). */
  public record Config() implements LossConfig {
    @Override
    public LossKind kind() {
      return LossKind.SIGMOID_BCE;
    }

    @Override
    public HeadActivation headActivation() {
      return HeadActivation.SIGMOID;
    }

    @Override
    public BinaryCrossEntropyLoss create() {
      return new BinaryCrossEntropyLoss();
    }
  }

  /** Creates the loss. */
  public BinaryCrossEntropyLoss() {
    super(LossKind.SIGMOID_BCE.configName());
  }

  /**
   * Summed-over-classes BCE, mean over rows.
   *
   * @param logits {@code (N, C)}
   * @param labels {@code (N)} indices in {@code [-1, C]} or multi-hot {@code (N, C)}
   * @return scalar
   */
  public static NDArray binaryCrossEntropy(NDArray logits, NDArray labels) {
    long c = LossOps.checkLogits(logits, "sigmoid BCE");
    LossOps.checkLabels(logits, labels, c, true, "sigmoid BCE");
    return LossOps.inScope(
        logits,
        scope -> {
          NDArray t = LossOps.targets(logits, labels);
          NDArray perRow = LossOps.bce(logits, t).sum(new int[] {1});
          return LossOps.meanOverValid(perRow, LossOps.validRows(logits, labels));
        },
        logits,
        labels);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return binaryCrossEntropy(predictions.head(), labels.head());
  }
}
