package io.longtail.detection.finetune;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The decoupled second stages of Kang et al. (ICLR 2020) over a trained detector's box classifier.
 */
public enum FinetuneScheme {
  /**
   * Classifier re-training: the box classifier is re-initialised and trained again with class-aware
   * sampling, every other parameter frozen.
   */
  CRT("crt"),
  /**
   * Learnable weight scaling: one scale per class is learnt over the frozen linear classifier, with
   * class-aware sampling, every other parameter frozen.
   */
  LWS("lws"),
  /**
   * Tau-normalisation: the linear classifier's weight rows are divided by their norm to the power
   * {@code tau}; nothing is trained.
   */
  TAU_NORM("tau-norm");

  private final String cliName;

  FinetuneScheme(String cliName) {
    this.cliName = cliName;
  }

  /** The name on the command line, e.g. {@code tau-norm}. */
  public String cliName() {
    return cliName;
  }

  /** Whether the scheme trains (cRT, LWS) rather than transforms the weights (tau-norm). */
  public boolean trains() {
    return this != TAU_NORM;
  }

  /**
   * Parses a command-line name (case-insensitive; {@code tau_norm} is accepted too).
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static FinetuneScheme fromName(String name) {
    if (name != null) {
      String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (FinetuneScheme s : values()) {
        if (s.cliName.equals(n)) {
          return s;
        }
      }
    }
    throw new IllegalArgumentException(
        "scheme must be one of "
            + Arrays.stream(values()).map(FinetuneScheme::cliName).collect(Collectors.joining(", "))
            + ", got "
            + name);
  }

  @Override
  public String toString() {
    return cliName;
  }
}
