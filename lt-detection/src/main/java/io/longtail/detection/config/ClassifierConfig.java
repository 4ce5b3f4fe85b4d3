package io.longtail.detection.config;

import static io.longtail.detection.config.Defaults.nonNegative;
import static io.longtail.detection.config.Defaults.or;
import static io.longtail.detection.config.Defaults.positive;
import static io.longtail.detection.config.Defaults.unit;

import io.longtail.core.classifier.InferenceMode;

/**
 * The ROI box classifier and its test-time mode. Whether its scores are a softmax or per-class
 * sigmoids follows from the loss ({@code roiHeads.loss}), not from the classifier.
 *
 * @param kind linear (default), cosine, causal-norm, LWS or tau-norm
 * @param numHeads causal-norm heads (default 2)
 * @param tau causal-norm / cosine logit scale (default 16)
 * @param gamma causal-norm constant (default 1/32)
 * @param mu moving-average decay of the causal-norm feature (default 0.9; the reference uses 0.9998
 *     for long schedules)
 * @param alpha default TDE strength at test time (default 1.5; overridable per run)
 * @param inference default test-time mode: PLAIN for linear/cosine, BACKGROUND_EXEMPT for
 *     causal-norm (the defaults when absent)
 * @param tauNormPower the power {@code tau} of {@link ClassifierKind#TAU_NORM}: weight rows are
 *     divided by their L2 norm to this power, {@code >= 0} (default 1: unit-norm rows; Kang et al.
 *     pick it on held-out data)
 * @param sigmoidPrior initial probability of every class of a sigmoid head (losses bce, focal, eql,
 *     distribution-balanced, class-balanced with a sigmoid base): the classifier's bias starts at
 *     {@code -log((1 - p) / p)}, in {@code (0, 1)} (default 0.001, the EQL reference's value for
 *     LVIS, "roughly 1 / number of classes"); unused by softmax heads and bias-free classifiers
 */
public record ClassifierConfig(
    ClassifierKind kind,
    Integer numHeads,
    Float tau,
    Float gamma,
    Float mu,
    Float alpha,
    InferenceMode inference,
    Float tauNormPower,
    Float sigmoidPrior) {

  /** Fills defaults and validates. */
  public ClassifierConfig {
    kind = or(kind, ClassifierKind.LINEAR);
    numHeads = or(numHeads, 2);
    tau = or(tau, 16f);
    gamma = or(gamma, 1f / 32);
    mu = or(mu, 0.9f);
    alpha = or(alpha, 1.5f);
    inference =
        or(
            inference,
            kind == ClassifierKind.CAUSAL_NORM
                ? InferenceMode.BACKGROUND_EXEMPT
                : InferenceMode.PLAIN);
    tauNormPower = or(tauNormPower, 1f);
    sigmoidPrior = or(sigmoidPrior, 0.001f);
    positive("classifier.numHeads", numHeads);
    positive("classifier.tau", tau);
    nonNegative("classifier.gamma", gamma);
    unit("classifier.mu", mu);
    nonNegative("classifier.alpha", alpha);
    if (kind != ClassifierKind.CAUSAL_NORM && inference != InferenceMode.PLAIN) {
      throw new IllegalArgumentException(
          "classifier.inference " + inference + " needs classifier.kind CAUSAL_NORM, got " + kind);
    }
    if (!(tauNormPower >= 0) || Float.isInfinite(tauNormPower)) {
      throw new IllegalArgumentException(
          "classifier.tauNormPower must be >= 0 and finite, got " + tauNormPower);
    }
    if (!(sigmoidPrior > 0 && sigmoidPrior < 1)) {
      throw new IllegalArgumentException(
          "classifier.sigmoidPrior must be in (0, 1), got " + sigmoidPrior);
    }
  }

  /**
   * The settings without the second-stage and sigmoid fields (their defaults), as before those
   * existed.
   */
  public ClassifierConfig(
      ClassifierKind kind,
      Integer numHeads,
      Float tau,
      Float gamma,
      Float mu,
      Float alpha,
      InferenceMode inference) {
    this(kind, numHeads, tau, gamma, mu, alpha, inference, null, null);
  }

  /** All defaults (linear softmax). */
  public static ClassifierConfig defaults() {
    return new ClassifierConfig(null, null, null, null, null, null, null, null, null);
  }

  /** A copy with another kind; the test-time mode is reset to the new kind's default. */
  public ClassifierConfig withKind(ClassifierKind newKind) {
    return new ClassifierConfig(
        newKind, numHeads, tau, gamma, mu, alpha, null, tauNormPower, sigmoidPrior);
  }

  /** A copy with another tau-norm power. */
  public ClassifierConfig withTauNormPower(float power) {
    return new ClassifierConfig(
        kind, numHeads, tau, gamma, mu, alpha, inference, power, sigmoidPrior);
  }
}
