package io.longtail.datasets.sampling;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * Uniform sampling without replacement: every epoch a permutation of all indices from a generator
 * seeded by {@code (seed, epoch)}. Unlike DJL's {@code RandomSampler} it is reproducible from an
 * explicit seed.
 */
public final class RandomSampler implements Sampler.SubSampler {

  private final long seed;
  private int nextEpoch;

  /**
   * @param seed seed of the permutations
   */
  public RandomSampler(long seed) {
    this.seed = seed;
  }

  /**
   * The permutation of {@code 0 .. size-1} of epoch {@code epoch}.
   *
   * @param size number of indices {@code >= 0}
   * @param epoch {@code >= 0}
   */
  public long[] epochIndices(long size, int epoch) {
    if (size < 0 || size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("size must be in [0, 2^31 - 9], got " + size);
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    long[] out = new long[(int) size];
    for (int i = 0; i < out.length; i++) {
      out[i] = i;
    }
    Shuffle.all(out, new SplittableRandom(Seeds.derive(seed, epoch)));
    return out;
  }

  @Override
  public Iterator<Long> sample(RandomAccessDataset dataset) {
    return Samplers.iterator(epochIndices(dataset.size(), nextEpoch++));
  }
}
