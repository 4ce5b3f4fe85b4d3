package io.longtail.detection.train;

/**
 * Where the training sampler is, enough to continue its stream exactly. The toolkit's samplers
 * ({@code io.longtail.datasets.sampling}) and the loader's flips are pure functions of {@code
 * (seed, epoch, position)}, so no generator state needs saving.
 *
 * @param seed the sampler's master seed
 * @param epoch the epoch of the next sample, {@code >= 0}
 * @param position the index within that epoch of the next sample, {@code >= 0}
 */
public record SamplerState(long seed, int epoch, long position) {
  /** Validates the counters. */
  public SamplerState {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    if (position < 0) {
      throw new IllegalArgumentException("position must be >= 0, got " + position);
    }
  }

  /**
   * The start of a run.
   *
   * @param seed the sampler's master seed
   * @return epoch 0, position 0
   */
  public static SamplerState start(long seed) {
    return new SamplerState(seed, 0, 0);
  }
}
