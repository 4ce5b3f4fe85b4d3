package io.longtail.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Softmax cross-entropy, the baseline of every softmax head: {@code -log softmax(z)_y} averaged
 * over the rows whose label is not {@code -1} (ignore).
 *
 * <p>Inputs: predictions {@code [logits (N, C)]}, labels {@code [classes (N)]} with values in
 * {@code [-1, C-1]} (detection: background is class {@code C - 1}).
 */
public final class CrossEntropyLoss extends Loss {

  /** Settings of the cross-entropy baseline (none). */
  public record Config() implements LossConfig {
    @Override
    public LossKind kind() {
      return LossKind.SOFTMAX_CE;
    }

    @Override
    public HeadActivation headActivation() {
      return HeadActivation.SOFTMAX;
    }

    @Override
    public CrossEntropyLoss create() {
      return new CrossEntropyLoss();
    }
  }

  /** Creates the loss. */
  public CrossEntropyLoss() {
    super(LossKind.SOFTMAX_CE.configName());
  }

  /**
   * Mean softmax cross-entropy.
   *
   * @param logits {@code (N, C)}
   * @param labels {@code (N)} class indices, {@code -1} = ignore
   * @return scalar batch mean over non-ignored rows (0 when all rows are ignored)
   */
  public static NDArray crossEntropy(NDArray logits, NDArray labels) {
    long c = LossOps.checkLogits(logits, "softmax cross-entropy");
    LossOps.checkLabels(logits, labels, c - 1, false, "softmax cross-entropy");
    return LossOps.inScope(
        logits,
        scope -> {
          NDArray t = LossOps.oneHot(logits, labels);
          return LossOps.meanOverValid(
              LossOps.crossEntropyRows(logits, t), LossOps.indexValidRows(logits, labels));
        },
        logits,
        labels);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return crossEntropy(predictions.head(), labels.head());
  }
}
