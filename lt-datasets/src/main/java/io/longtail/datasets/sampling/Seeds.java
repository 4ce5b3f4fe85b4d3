package io.longtail.datasets.sampling;

/**
 * Derives independent seeds from a master seed and a path of indices (stream, epoch, image...), so
 * that every random decision of a sampler or generator depends only on the master seed and where it
 * is made, never on thread scheduling or call order.
 *
 * <p>The mixing function is the 64-bit finaliser of SplitMix64 (Steele, Lea and Flood, "Fast
 * splittable pseudorandom number generators", OOPSLA 2014), applied after each index.
 */
public final class Seeds {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private Seeds() {}

  /**
   * A seed for the node {@code path} below {@code master}.
   *
   * @param master the master seed
   * @param path indices naming the decision, e.g. {@code (STREAM_IMAGES, imageId)}
   * @return a well-mixed 64-bit seed
   */
  public static long derive(long master, long... path) {
    long h = mix(master + GOLDEN_GAMMA);
    for (long p : path) {
      h = mix(h ^ mix(p * GOLDEN_GAMMA + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  /** The SplitMix64 finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
