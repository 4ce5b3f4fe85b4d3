package io.longtail.core.loss;

import ai.djl.training.loss.Loss;

/**
 * The typed selection of a classification loss: one immutable record per {@link LossKind}, holding
 * every setting of that loss (hyper-parameters and the class statistics it needs). A detection or
 * classification config picks a loss by {@link LossKind#configName()} and fills the record; {@link
 * #create()} builds the DJL {@link Loss}.
 *
 * <p>Invalid combinations are rejected before training: {@link #requireHead} checks the head's
 * activation (EQL, focal, distribution-balanced and the sigmoid/focal class-balanced variants need
 * a sigmoid head; cross-entropy, logit adjustment, Seesaw, GML and softmax class-balanced need a
 * softmax head), {@link #requireDetectionSupport} rejects losses a detection ROI head cannot feed.
 */
public sealed interface LossConfig
    permits CrossEntropyLoss.Config,
        BinaryCrossEntropyLoss.Config,
        FocalLoss.Config,
        ClassBalancedLoss.Config,
        LogitAdjustedLoss.Config,
        EqualizationLoss.Config,
        SeesawLoss.Config,
        DistributionBalancedLoss.Config,
        GmlLoss.Config {

  /** Which loss this configures. */
  LossKind kind();

  /** The head activation the loss is defined for. */
  HeadActivation headActivation();

  /** Builds a new loss instance (stateful losses start from empty state). */
  Loss create();

  /**
   * Checks that a head with the given activation can be trained with this loss.
   *
   * @throws IllegalArgumentException e.g. {@code loss eql needs a sigmoid head, got a softmax head}
   */
  default void requireHead(HeadActivation head) {
    if (head != headActivation()) {
      throw new IllegalArgumentException(
          "loss "
              + kind().configName()
              + " needs a "
              + headActivation().name().toLowerCase(java.util.Locale.ROOT)
              + " head, got a "
              + head.name().toLowerCase(java.util.Locale.ROOT)
              + " head");
    }
  }

  /**
   * Checks that a detection ROI head can be trained with this loss.
   *
   * @throws IllegalArgumentException for losses that need more than per-ROI logits and labels
   */
  default void requireDetectionSupport() {
    if (!kind().supportsDetection()) {
      throw new IllegalArgumentException(
          "loss "
              + kind().configName()
              + " needs teacher contrast features and a class-wise queue; it is available for"
              + " classification only");
    }
  }
}
