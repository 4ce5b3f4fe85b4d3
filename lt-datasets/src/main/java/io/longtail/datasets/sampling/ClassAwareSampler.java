package io.longtail.datasets.sampling;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * Class-aware sampling (Shen, Lin and Huang, "Relay Backpropagation for Effective Learning of Deep
 * Convolutional Neural Networks", ECCV 2016): each draw first picks a class uniformly, then an
 * image containing that class.
 *
 * <p>Both choices cycle through shuffled lists, as in the reference implementation: classes are
 * visited in a random order, reshuffled after each full pass, and each class walks through its own
 * reshuffled list of images, so over an epoch classes appear equally often (to within one) and the
 * images of a class are used evenly. Images without annotations are never drawn. Each epoch starts
 * fresh from a generator seeded by {@code (seed, epoch)}.
 */
public final class ClassAwareSampler implements Sampler.SubSampler {

  private final ImageCategories images;
  private final int[][] imagesOfClass;
  private final int[] presentClasses;
  private final long seed;
  private final int samplesPerEpoch;
  private int nextEpoch;

  private ClassAwareSampler(Builder builder) {
    this.images = builder.images;
    this.seed = builder.seed;
    this.samplesPerEpoch = builder.samplesPerEpoch < 0 ? images.size() : builder.samplesPerEpoch;
    int[] counts = images.imageCounts();
    this.imagesOfClass = new int[counts.length][];
    int present = 0;
    for (int c = 0; c < counts.length; c++) {
      imagesOfClass[c] = new int[counts[c]];
      if (counts[c] > 0) {
        present++;
      }
    }
    int[] fill = new int[counts.length];
    for (int i = 0; i < images.size(); i++) {
      for (int c : images.classesUnsafe(i)) {
        imagesOfClass[c][fill[c]++] = i;
      }
    }
    this.presentClasses = new int[present];
    int k = 0;
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] > 0) {
        presentClasses[k++] = c;
      }
    }
    if (present == 0) {
      throw new IllegalArgumentException("images must contain at least one class, got none");
    }
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Number of draws per epoch. */
  public int samplesPerEpoch() {
    return samplesPerEpoch;
  }

  /** The image indices of epoch {@code epoch}, a pure function of the seed and the epoch. */
  public long[] epochIndices(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, epoch));
    int[] classOrder = presentClasses.clone();
    int classPos = classOrder.length;
    int[][] order = new int[imagesOfClass.length][];
    int[] pos = new int[imagesOfClass.length];
    long[] out = new long[samplesPerEpoch];
    for (int s = 0; s < samplesPerEpoch; s++) {
      if (classPos == classOrder.length) {
        Shuffle.all(classOrder, rng);
        classPos = 0;
      }
      int c = classOrder[classPos++];
      if (order[c] == null || pos[c] == order[c].length) {
        order[c] = imagesOfClass[c].clone();
        Shuffle.all(order[c], rng);
        pos[c] = 0;
      }
      out[s] = order[c][pos[c]++];
    }
    return out;
  }

  @Override
  public Iterator<Long> sample(RandomAccessDataset dataset) {
    Samplers.checkSize(dataset, images.size());
    return Samplers.iterator(epochIndices(nextEpoch++));
  }

  /** Builds a {@link ClassAwareSampler}. */
  public static final class Builder {
    private ImageCategories images;
    private long seed;
    private boolean seedSet;
    private int samplesPerEpoch = -1;

    private Builder() {}

    /** The class sets of the training images, in dataset index order (required). */
    public Builder setImages(ImageCategories images) {
      this.images = images;
      return this;
    }

    /** The seed (required). */
    public Builder setSeed(long seed) {
      this.seed = seed;
      this.seedSet = true;
      return this;
    }

    /** Draws per epoch; default the number of images. */
    public Builder optSamplesPerEpoch(int samplesPerEpoch) {
      if (samplesPerEpoch < 1) {
        throw new IllegalArgumentException("samplesPerEpoch must be >= 1, got " + samplesPerEpoch);
      }
      this.samplesPerEpoch = samplesPerEpoch;
      return this;
    }

    /** The sampler. */
    public ClassAwareSampler build() {
      if (images == null) {
        throw new IllegalArgumentException("images must be set, got null");
      }
      if (!seedSet) {
        throw new IllegalArgumentException("seed must be set explicitly, got none");
      }
      return new ClassAwareSampler(this);
    }
  }
}
