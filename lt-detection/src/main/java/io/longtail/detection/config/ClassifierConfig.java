package io.longtail.detection.config;

import static io.longtail.detection.config.Defaults.nonNegative;
import static io.longtail.detection.config.Defaults.or;
import static io.longtail.detection.config.Defaults.positive;
import static io.longtail.detection.config.Defaults.unit;

import io.longtail.core.classifier.InferenceMode;

/**
 * The ROI box classifier and its test-time mode.
 *
 * @param kind linear (default), cosine or causal-norm
 * @param numHeads causal-norm heads (default 2)
 * @param tau causal-norm / cosine logit scale (default 16)
 * @param gamma causal-norm constant (default 1/32)
 * @param mu moving-average decay of the causal-norm feature (default 0.9; the reference uses 0.9998
 *     for long schedules)
 * @param alpha default TDE strength at test time (default 1.5; overridable per run)
 * @param inference default test-time mode: PLAIN for linear/cosine, BACKGROUND_EXEMPT for
 *     causal-norm (the defaults when absent)
 */
public record ClassifierConfig(
    ClassifierKind kind,
    Integer numHeads,
    Float tau,
    Float gamma,
    Float mu,
    Float alpha,
    InferenceMode inference) {

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
    positive("classifier.numHeads", numHeads);
    positive("classifier.tau", tau);
    nonNegative("classifier.gamma", gamma);
    unit("classifier.mu", mu);
    nonNegative("classifier.alpha", alpha);
    if (kind != ClassifierKind.CAUSAL_NORM && inference != InferenceMode.PLAIN) {
      throw new IllegalArgumentException(
          "classifier.inference " + inference + " needs classifier.kind CAUSAL_NORM, got " + kind);
    }
  }

  /** All defaults (linear softmax). */
  public static ClassifierConfig defaults() {
    return new ClassifierConfig(null, null, null, null, null, null, null);
  }
}
