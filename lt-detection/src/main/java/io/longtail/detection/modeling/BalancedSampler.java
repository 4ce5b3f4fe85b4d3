package io.longtail.detection.modeling;

import java.util.Arrays;
import java.util.Random;

/**
 * Samples a fixed number of labelled predictions with a target fraction of positives (detectron2
 * {@code subsample_labels}): at most {@code round(batchSize * positiveFraction)} positives, the
 * rest negatives, each chosen uniformly without replacement from a seeded generator. When there are
 * too few positives, negatives fill the batch.
 *
 * @param batchSize predictions sampled per image (256 for the RPN, 512 for the ROI head)
 * @param positiveFraction target fraction of positives (0.5 for the RPN, 0.25 for the ROI head)
 */
public record BalancedSampler(int batchSize, float positiveFraction) {

  /** Validates the settings. */
  public BalancedSampler {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
    }
    if (!(positiveFraction >= 0 && positiveFraction <= 1)) {
      throw new IllegalArgumentException(
          "positiveFraction must be in [0, 1], got " + positiveFraction);
    }
  }

  /**
   * The sampled indices.
   *
   * @param positives indices of the positive predictions
   * @param negatives indices of the negative predictions
   */
  public record Sample(int[] positives, int[] negatives) {
    /** Positives then negatives. */
    public int[] all() {
      int[] out = Arrays.copyOf(positives, positives.length + negatives.length);
      System.arraycopy(negatives, 0, out, positives.length, negatives.length);
      return out;
    }
  }

  /**
   * Samples positives and negatives from matcher labels; ignored predictions are never chosen.
   *
   * @param labels {@link Matcher#POSITIVE}, {@link Matcher#NEGATIVE} or {@link Matcher#IGNORE}
   * @param random the generator (seeded by the caller)
   * @return sampled positive and negative indices, each in increasing order
   */
  public Sample sample(int[] labels, Random random) {
    int pos = 0;
    int neg = 0;
    for (int l : labels) {
      if (l == Matcher.POSITIVE) {
        pos++;
      } else if (l == Matcher.NEGATIVE) {
        neg++;
      }
    }
    int[] positives = new int[pos];
    int[] negatives = new int[neg];
    pos = 0;
    neg = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == Matcher.POSITIVE) {
        positives[pos++] = i;
      } else if (labels[i] == Matcher.NEGATIVE) {
        negatives[neg++] = i;
      }
    }
    int numPos = Math.min(positives.length, Math.round(batchSize * positiveFraction));
    int numNeg = Math.min(negatives.length, batchSize - numPos);
    return new Sample(choose(positives, numPos, random), choose(negatives, numNeg, random));
  }

  /** {@code k} elements of {@code from} uniformly without replacement, sorted. */
  private static int[] choose(int[] from, int k, Random random) {
    int[] pool = from.clone();
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(pool.length - i);
      int t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    int[] out = Arrays.copyOf(pool, k);
    Arrays.sort(out);
    return out;
  }
}
