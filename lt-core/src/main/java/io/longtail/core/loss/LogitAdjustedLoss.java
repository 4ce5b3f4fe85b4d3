package io.longtail.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.List;

/**
 * Logit adjustment (Menon et al., "Long-Tail Learning via Logit Adjustment", ICLR 2021), both
 * forms:
 *
 * <ul>
 *   <li>the logit-adjusted loss: softmax cross-entropy of {@code z + tau * log(pi)}, where {@code
 *       pi} is the training class prior, averaged over non-ignored rows ({@link #adjustedLoss});
 *   <li>post-hoc adjustment of a model trained with plain cross-entropy: test-time logits {@code z
 *       - tau * log(pi)} ({@link #posthocAdjust}), a pure function.
 * </ul>
 *
 * A uniform prior shifts every logit by the same constant, so both forms then equal plain
 * cross-entropy / the plain logits. The paper uses {@code tau = 1}.
 *
 * <p>Inputs as {@link CrossEntropyLoss}: predictions {@code [logits (N, C)]}, labels {@code
 * [classes (N)]} in {@code [-1, C-1]}.
 */
public final class LogitAdjustedLoss extends Loss {

  /**
   * Logit-adjustment settings.
   *
   * @param tau scale of the log-prior, {@code >= 0} (1 in the paper)
   * @param classCounts training samples per class (background included for detection), all {@code
   *     >= 1}; the prior is {@code n_c / sum n}
   */
  public record Config(double tau, List<Long> classCounts) implements LossConfig {
    /** Validates the settings and copies the list. */
    public Config {
      LossOps.checkRange("tau", tau, 0, Double.MAX_VALUE);
      if (classCounts == null || classCounts.isEmpty()) {
        throw new IllegalArgumentException(
            "classCounts must list at least one class, got " + classCounts);
      }
      classCounts = List.copyOf(classCounts);
      for (int i = 0; i < classCounts.size(); i++) {
        if (classCounts.get(i) < 1) {
          throw new IllegalArgumentException(
              "classCounts[" + i + "] must be >= 1 (log prior), got " + classCounts.get(i));
        }
      }
    }

    /** {@code log(pi_c)} for the configured counts. */
    public double[] logPrior() {
      return LogitAdjustedLoss.logPrior(classCounts);
    }

    /** Post-hoc test-time adjustment {@code z - tau * log(pi)} with these settings. */
    public NDArray posthocAdjust(NDArray logits) {
      return LogitAdjustedLoss.posthocAdjust(logits, logPrior(), tau);
    }

    @Override
    public LossKind kind() {
      return LossKind.LOGIT_ADJUSTED;
    }

    @Override
    public HeadActivation headActivation() {
      return HeadActivation.SOFTMAX;
    }

    @Override
    public LogitAdjustedLoss create() {
      return new LogitAdjustedLoss(this);
    }
  }

  private final Config config;
  private final double[] logPrior;

  /** Creates the loss from validated settings. */
  public LogitAdjustedLoss(Config config) {
    super(LossKind.LOGIT_ADJUSTED.configName());
    this.config = config;
    this.logPrior = config.logPrior();
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /**
   * The log class prior {@code log(n_c / sum n)}.
   *
   * @param classCounts counts, all positive
   * @return {@code C} values
   */
  public static double[] logPrior(List<Long> classCounts) {
    double total = 0;
    for (long n : classCounts) {
      total += n;
    }
    double[] out = new double[classCounts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.log(classCounts.get(i) / total);
    }
    return out;
  }

  /**
   * Logit-adjusted cross-entropy {@code CE(z + tau * log(pi), y)}, mean over non-ignored rows.
   *
   * @param logits {@code (N, C)}
   * @param labels {@code (N)} in {@code [-1, C-1]}
   * @param logPrior {@code C} values of {@code log(pi_c)}
   * @param tau scale of the log-prior
   * @return scalar
   */
  public static NDArray adjustedLoss(
      NDArray logits, NDArray labels, double[] logPrior, double tau) {
    long c = LossOps.checkLogits(logits, "logit-adjusted");
    LossOps.checkColumns("logit-adjusted", c, logPrior.length, "one per class count");
    LossOps.checkLabels(logits, labels, c - 1, false, "logit-adjusted");
    return LossOps.inScope(
        logits,
        scope -> {
          NDArray shift = LossOps.constant(scope, logPrior, logits.getDataType()).mul(tau);
          NDArray t = LossOps.oneHot(logits, labels);
          return LossOps.meanOverValid(
              LossOps.crossEntropyRows(logits.add(shift), t),
              LossOps.indexValidRows(logits, labels));
        },
        logits,
        labels);
  }

  /**
   * Post-hoc logit adjustment at test time: {@code z - tau * log(pi)}.
   *
   * @param logits {@code (N, C)} of a model trained without adjustment
   * @param logPrior {@code C} values of {@code log(pi_c)}
   * @param tau scale (1 in the paper)
   * @return adjusted logits {@code (N, C)}, attached to the logits' manager
   */
  public static NDArray posthocAdjust(NDArray logits, double[] logPrior, double tau) {
    long c = LossOps.checkLogits(logits, "post-hoc logit adjustment");
    LossOps.checkColumns("post-hoc logit adjustment", c, logPrior.length, "one per class count");
    return LossOps.inScope(
        logits,
        scope -> logits.sub(LossOps.constant(scope, logPrior, logits.getDataType()).mul(tau)),
        logits);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return adjustedLoss(predictions.head(), labels.head(), logPrior, config.tau());
  }
}
