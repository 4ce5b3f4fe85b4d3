package io.longtail.datasets.sampling;

/**
 * How the number of examples decays from the most to the least frequent class.
 *
 * <p>Both profiles give {@code fraction(0) = 1} and {@code fraction(K-1) = 1 / imbalance}, so
 * {@code imbalance} is the ratio between the most and the least frequent class.
 */
public enum LongTailProfile {
  /**
   * {@code imbalance^(-i / (K-1))}: the CIFAR-LT recipe (Cui et al., "Class-Balanced Loss Based on
   * Effective Number of Samples", CVPR 2019; Cao et al., LDAM, NeurIPS 2019).
   */
  EXPONENTIAL {
    @Override
    double unchecked(int rank, int classes, double imbalance) {
      return classes == 1 ? 1.0 : StrictMath.pow(imbalance, -(double) rank / (classes - 1));
    }
  },
  /**
   * {@code (i + 1)^(-a)} with {@code a = ln(imbalance) / ln(K)} (Zipf's law): a heavier head and a
   * longer, flatter tail than the exponential profile.
   */
  ZIPF {
    @Override
    double unchecked(int rank, int classes, double imbalance) {
      if (classes == 1) {
        return 1.0;
      }
      double exponent = StrictMath.log(imbalance) / StrictMath.log(classes);
      return StrictMath.pow(rank + 1.0, -exponent);
    }
  };

  abstract double unchecked(int rank, int classes, double imbalance);

  /**
   * The relative frequency of the class of rank {@code rank} (0 = most frequent).
   *
   * @param rank {@code 0 .. classes-1}
   * @param classes number of classes {@code K >= 1}
   * @param imbalance ratio most/least frequent, {@code >= 1}
   * @return a value in {@code [1/imbalance, 1]}
   */
  public double fraction(int rank, int classes, double imbalance) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be >= 1, got " + classes);
    }
    if (rank < 0 || rank >= classes) {
      throw new IllegalArgumentException("rank must be in [0, " + classes + "), got " + rank);
    }
    if (!(imbalance >= 1) || Double.isInfinite(imbalance)) {
      throw new IllegalArgumentException("imbalance must be finite and >= 1, got " + imbalance);
    }
    return unchecked(rank, classes, imbalance);
  }
}
