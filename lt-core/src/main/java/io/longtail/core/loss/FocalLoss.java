package io.longtail.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import java.util.OptionalDouble;

/**
 * Sigmoid focal loss (Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017): per element
 * {@code alpha_t * (1 - p_t)^gamma * BCE(z, t)} with {@code p_t = p} for positives and {@code 1 -
 * p} for negatives, {@code alpha_t = alpha} for positives and {@code 1 - alpha} for negatives (no
 * alpha weighting when alpha is absent). Summed over classes, averaged over the rows that count, as
 * {@link BinaryCrossEntropyLoss}; {@code gamma = 0} without alpha is exactly that loss.
 *
 * <p>The modulating factor is {@code exp(-gamma * softplus(+-z))}, which equals {@code (1 -
 * p_t)^gamma} without the cancellation of {@code 1 - p} (the same device as the official
 * class-balanced focal code). Gradients flow through the factor, as in the reference.
 *
 * <p>Inputs as {@link BinaryCrossEntropyLoss}: index labels in {@code [-1, C]} or multi-hot
 * targets.
 */
public final class FocalLoss extends Loss {

  /**
   * Focal-loss settings.
   *
   * @param gamma focusing parameter, {@code >= 0} (2 in the paper)
   * @param alpha positive-class weight in {@code [0, 1]} (0.25 in the paper), or empty for none
   */
  public record Config(double gamma, OptionalDouble alpha) implements LossConfig {
    /** Validates the settings. */
    public Config {
      LossOps.checkRange("gamma", gamma, 0, Double.MAX_VALUE);
      if (alpha == null) {
        throw new IllegalArgumentException("alpha must be given (OptionalDouble.empty() for none)");
      }
      if (alpha.isPresent()) {
        LossOps.checkRange("alpha", alpha.getAsDouble(), 0, 1);
      }
    }

    /** Focal loss with focusing parameter {@code gamma} and no alpha weighting. */
    public static Config of(double gamma) {
      return new Config(gamma, OptionalDouble.empty());
    }

    /** Focal loss with focusing parameter {@code gamma} and positive weight {@code alpha}. */
    public static Config of(double gamma, double alpha) {
      return new Config(gamma, OptionalDouble.of(alpha));
    }

    @Override
    public LossKind kind() {
      return LossKind.FOCAL;
    }

    @Override
    public HeadActivation headActivation() {
      return HeadActivation.SIGMOID;
    }

    @Override
    public FocalLoss create() {
      return new FocalLoss(this);
    }
  }

  private final Config config;

  /** Creates the loss from validated settings. */
  public FocalLoss(Config config) {
    super(LossKind.FOCAL.configName());
    this.config = config;
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /**
   * Focal loss, summed over classes and averaged over the rows that count.
   *
   * @param logits {@code (N, C)}
   * @param labels {@code (N)} in {@code [-1, C]} or multi-hot {@code (N, C)}
   * @param config gamma and alpha
   * @return scalar
   */
  public static NDArray focal(NDArray logits, NDArray labels, Config config) {
    long c = LossOps.checkLogits(logits, "focal");
    LossOps.checkLabels(logits, labels, c, true, "focal");
    return LossOps.inScope(
        logits,
        scope -> {
          NDArray t = LossOps.targets(logits, labels);
          NDArray terms = modulatedBce(logits, t, config.gamma());
          if (config.alpha().isPresent()) {
            double a = config.alpha().getAsDouble();
            // alpha_t = a t + (1 - a)(1 - t) = (1 - a) + (2a - 1) t
            terms = terms.mul(t.mul(2 * a - 1).add(1 - a));
          }
          return LossOps.meanOverValid(terms.sum(new int[] {1}), LossOps.validRows(logits, labels));
        },
        logits,
        labels);
  }

  /**
   * Element-wise {@code (1 - p_t)^gamma * BCE(z, t)} for targets in {0, 1}, with the factor written
   * as {@code exp(-gamma * (t softplus(z) + (1 - t) softplus(-z)))}.
   *
   * @param logits {@code (N, C)}
   * @param targets {@code (N, C)} zeros and ones
   * @param gamma focusing parameter; 0 gives plain BCE
   * @return {@code (N, C)}
   */
  static NDArray modulatedBce(NDArray logits, NDArray targets, double gamma) {
    NDArray spPos = Activation.softPlus(logits); // -log(1 - p)
    NDArray spNeg = Activation.softPlus(logits.neg()); // -log(p)
    NDArray notT = targets.neg().add(1);
    NDArray bce = spNeg.mul(targets).add(spPos.mul(notT));
    if (gamma == 0) {
      return bce;
    }
    // -log(1 - p_t): softplus(z) for positives, softplus(-z) for negatives.
    NDArray logOneMinusPt = spPos.mul(targets).add(spNeg.mul(notT)).neg();
    return logOneMinusPt.mul(gamma).exp().mul(bce);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return focal(predictions.head(), labels.head(), config);
  }
}
