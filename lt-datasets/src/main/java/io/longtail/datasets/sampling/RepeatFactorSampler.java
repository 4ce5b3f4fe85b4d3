package io.longtail.datasets.sampling;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.Arrays;
import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * Repeat factor sampling (Gupta, Dollar and Girshick, "LVIS: A Dataset for Large Vocabulary
 * Instance Segmentation", CVPR 2019, section 5), exactly as DESIGN.md states it:
 *
 * <ul>
 *   <li>{@code f(c)} = fraction of the training images that contain class {@code c};
 *   <li>{@code r(c) = max(1, sqrt(t / f(c)))}, threshold {@code t} (default 0.001);
 *   <li>{@code r(I) = max} of {@code r(c)} over the classes in image {@code I}, 1.0 for an image
 *       without annotations;
 *   <li>every epoch image {@code I} appears {@code floor(r(I)) + Bernoulli(frac(r(I)))} times
 *       (stochastic rounding), and the repeated list is shuffled; both from a generator seeded by
 *       {@code (seed, epoch)}.
 * </ul>
 *
 * <p>Each call of {@link #sample} is the next epoch; {@link #epochIndices(int)} gives any epoch
 * without changing that count. Wrap it in an {@link EpochBatchSampler} for batches (DJL's {@code
 * BatchSampler} would cut an epoch at the dataset size).
 */
public final class RepeatFactorSampler implements Sampler.SubSampler {

  /** The threshold of LVIS and detectron2, {@code 0.001}. */
  public static final double DEFAULT_THRESHOLD = 0.001;

  private final double[] imageFactors;
  private final double threshold;
  private final long seed;
  private int nextEpoch;

  private RepeatFactorSampler(Builder builder) {
    this.threshold = builder.threshold;
    this.seed = builder.seed;
    this.imageFactors = imageRepeatFactors(builder.images, builder.threshold);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The class repeat factors {@code r(c) = max(1, sqrt(t / f(c)))}.
   *
   * @param images the class sets of the training images
   * @param threshold {@code t} in {@code (0, 1]}
   * @return {@code K} factors; a class in no image gets 1.0 (it is never sampled anyway)
   */
  public static double[] categoryRepeatFactors(ImageCategories images, double threshold) {
    checkThreshold(threshold);
    int[] counts = images.imageCounts();
    double[] factors = new double[counts.length];
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] == 0) {
        factors[c] = 1.0;
      } else {
        double frequency = (double) counts[c] / images.size();
        factors[c] = Math.max(1.0, Math.sqrt(threshold / frequency));
      }
    }
    return factors;
  }

  /**
   * The image repeat factors {@code r(I)}: the largest class factor of the image, 1.0 without
   * annotations.
   *
   * @param images the class sets of the training images
   * @param threshold {@code t} in {@code (0, 1]}
   * @return one factor {@code >= 1} per image
   */
  public static double[] imageRepeatFactors(ImageCategories images, double threshold) {
    double[] classFactors = categoryRepeatFactors(images, threshold);
    double[] factors = new double[images.size()];
    for (int i = 0; i < factors.length; i++) {
      double r = 1.0;
      for (int c : images.classesUnsafe(i)) {
        r = Math.max(r, classFactors[c]);
      }
      factors[i] = r;
    }
    return factors;
  }

  /** The image repeat factors this sampler uses (a copy). */
  public double[] imageRepeatFactors() {
    return imageFactors.clone();
  }

  /** The threshold {@code t}. */
  public double threshold() {
    return threshold;
  }

  /**
   * The shuffled image indices of epoch {@code epoch}: a pure function of the seed, the epoch and
   * the repeat factors.
   */
  public long[] epochIndices(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, epoch));
    long[] out = new long[16];
    int n = 0;
    for (int i = 0; i < imageFactors.length; i++) {
      double r = imageFactors[i];
      int whole = (int) Math.floor(r);
      int repeats = whole + (rng.nextDouble() < r - whole ? 1 : 0);
      for (int k = 0; k < repeats; k++) {
        if (n == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        out[n++] = i;
      }
    }
    out = Arrays.copyOf(out, n);
    Shuffle.all(out, rng);
    return out;
  }

  /** The next epoch's indices; the dataset must have one index per image of the class sets. */
  @Override
  public Iterator<Long> sample(RandomAccessDataset dataset) {
    Samplers.checkSize(dataset, imageFactors.length);
    return Samplers.iterator(epochIndices(nextEpoch++));
  }

  private static void checkThreshold(double threshold) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
    }
  }

  /** Builds a {@link RepeatFactorSampler}. */
  public static final class Builder {
    private ImageCategories images;
    private double threshold = DEFAULT_THRESHOLD;
    private long seed;
    private boolean seedSet;

    private Builder() {}

    /** The class sets of the training images, in dataset index order (required). */
    public Builder setImages(ImageCategories images) {
      this.images = images;
      return this;
    }

    /** The seed of the stochastic rounding and the shuffle (required). */
    public Builder setSeed(long seed) {
      this.seed = seed;
      this.seedSet = true;
      return this;
    }

    /** The threshold {@code t} in {@code (0, 1]}; default {@value #DEFAULT_THRESHOLD}. */
    public Builder optThreshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    /** The sampler. */
    public RepeatFactorSampler build() {
      if (images == null) {
        throw new IllegalArgumentException("images must be set, got null");
      }
      if (!seedSet) {
        throw new IllegalArgumentException("seed must be set explicitly, got none");
      }
      checkThreshold(threshold);
      return new RepeatFactorSampler(this);
    }
  }
}
