package io.longtail.datasets.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Long-tailed subsampling of a balanced classification set, the CIFAR-LT recipe (Cui et al., CVPR
 * 2019; Cao et al., NeurIPS 2019): class {@code i} keeps {@code n_i = floor(n_max *
 * imbalance^(-i/(K-1)))} examples, chosen at random from a seed.
 */
public final class LongTailSubsampling {

  private LongTailSubsampling() {}

  /**
   * The per-class counts {@code n_i = floor(n_max * imbalance^(-i/(K-1)))}, truncated like the
   * reference code ({@code int(img_max * imb_factor ** (i / (K - 1.0)))}). CIFAR-10 with 5000
   * images per class and imbalance 100 gives 5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50.
   *
   * @param maxCount {@code n_max >= 1}, the count of class 0
   * @param imbalance ratio of the first to the last class, {@code >= 1}
   * @param classes {@code K >= 1}
   * @return {@code K} counts, non-increasing
   */
  public static int[] counts(int maxCount, double imbalance, int classes) {
    if (maxCount < 1) {
      throw new IllegalArgumentException("maxCount must be >= 1, got " + maxCount);
    }
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be >= 1, got " + classes);
    }
    int[] counts = new int[classes];
    for (int i = 0; i < classes; i++) {
      double n = maxCount * LongTailProfile.EXPONENTIAL.fraction(i, classes, imbalance);
      // A tiny epsilon keeps exact products (5000 * 0.01 = 50.000000000000004 or 49.99999...)
      // on the integer the reference code gets with float64.
      counts[i] = (int) Math.floor(n + 1e-9);
    }
    return counts;
  }

  /**
   * Chooses, for every class {@code c}, {@code counts[c]} of its examples at random.
   *
   * @param labels class label {@code 0 .. K-1} of every example of the balanced set
   * @param counts examples to keep per class ({@link #counts})
   * @param seed seed of the random choice
   * @return indices into {@code labels} of the kept examples, ascending
   * @throws IllegalArgumentException if a label is out of range or a class has fewer examples than
   *     asked for
   */
  public static int[] subsample(int[] labels, int[] counts, long seed) {
    int classes = counts.length;
    List<List<Integer>> byClass = new ArrayList<>(classes);
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "labels[" + i + "] must be in [0, " + classes + "), got " + labels[i]);
      }
      byClass.get(labels[i]).add(i);
    }
    int total = 0;
    for (int c = 0; c < classes; c++) {
      if (counts[c] < 0 || counts[c] > byClass.get(c).size()) {
        throw new IllegalArgumentException(
            "counts["
                + c
                + "] must be in [0, "
                + byClass.get(c).size()
                + "] (examples of class "
                + c
                + "), got "
                + counts[c]);
      }
      total += counts[c];
    }
    int[] kept = new int[total];
    int k = 0;
    for (int c = 0; c < classes; c++) {
      int[] members = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
      SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, c));
      Shuffle.partial(members, counts[c], rng);
      System.arraycopy(members, 0, kept, k, counts[c]);
      k += counts[c];
    }
    Arrays.sort(kept);
    return kept;
  }
}
