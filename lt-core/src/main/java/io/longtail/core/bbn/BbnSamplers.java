package io.longtail.core.bbn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * BBN's two samplers over a labelled training set, seeded, each epoch a pure function of the seed
 * and the epoch number.
 *
 * <ul>
 *   <li>{@link #uniform}: every sample once per epoch in random order (instance-balanced: classes
 *       appear in proportion to their size), the conventional branch's sampler;
 *   <li>{@link #reversed}: {@code n} draws, each picking class {@code c} with probability {@code
 *       w_c / sum_k w_k}, {@code w_c = N_max / N_c}, then a sample of that class uniformly, the
 *       re-balancing branch's sampler (the official {@code sample_class_index_by_weight} with
 *       reversed weights). Classes without samples are never drawn.
 * </ul>
 */
public final class BbnSamplers {

  private final int[] labels;
  private final int[][] byClass;
  private final double[] cumulative;
  private final long seed;

  /**
   * Indexes the training labels.
   *
   * @param labels class of every training sample, in {@code [0, numClasses)}
   * @param numClasses {@code K >= 1}
   * @param seed seed of both samplers
   */
  public BbnSamplers(int[] labels, int numClasses, long seed) {
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
    }
    if (labels.length == 0) {
      throw new IllegalArgumentException("labels must not be empty");
    }
    int[] counts = new int[numClasses];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(
            "labels[" + i + "] must be in [0, " + numClasses + "), got " + labels[i]);
      }
      counts[labels[i]]++;
    }
    this.labels = labels.clone();
    this.seed = seed;
    byClass = new int[numClasses][];
    int[] fill = new int[numClasses];
    for (int c = 0; c < numClasses; c++) {
      byClass[c] = new int[counts[c]];
    }
    for (int i = 0; i < labels.length; i++) {
      byClass[labels[i]][fill[labels[i]]++] = i;
    }
    int max = Arrays.stream(counts).max().orElseThrow();
    double[] weights = new double[numClasses];
    double total = 0;
    for (int c = 0; c < numClasses; c++) {
      weights[c] = counts[c] == 0 ? 0 : (double) max / counts[c];
      total += weights[c];
    }
    cumulative = new double[numClasses];
    double run = 0;
    for (int c = 0; c < numClasses; c++) {
      run += weights[c] / total;
      cumulative[c] = run;
    }
  }

  /** The reversed sampler's probability of drawing class {@code c}. */
  public double reversedClassProbability(int c) {
    return c == 0 ? cumulative[0] : cumulative[c] - cumulative[c - 1];
  }

  /**
   * The uniform sampler's epoch: a permutation of {@code 0 .. N-1}.
   *
   * @param epoch epoch number, {@code >= 0}
   * @return sample indices
   */
  public int[] uniform(int epoch) {
    SplittableRandom random = random(epoch, 0x756e69L);
    int[] order = new int[labels.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /**
   * The reversed sampler's epoch.
   *
   * @param epoch epoch number, {@code >= 0}
   * @param n number of draws (BBN pairs each uniform sample with one reversed draw: {@code N})
   * @return sample indices
   */
  public int[] reversed(int epoch, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    SplittableRandom random = random(epoch, 0x726576L);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int c = classAt(random.nextDouble());
      out[i] = byClass[c][random.nextInt(byClass[c].length)];
    }
    return out;
  }

  /** The class whose interval {@code [cumulative[c-1], cumulative[c])} holds {@code u}. */
  private int classAt(double u) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    // Rounding can leave the last sums just below 1: fall back to the last class with samples.
    while (byClass[lo].length == 0) {
      lo--;
    }
    return lo;
  }

  private SplittableRandom random(int epoch, long stream) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    return new SplittableRandom(mix(seed ^ mix(stream + 0x9E3779B97F4A7C15L * (epoch + 1))));
  }

  /** SplitMix64's finaliser: decorrelates nearby seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
