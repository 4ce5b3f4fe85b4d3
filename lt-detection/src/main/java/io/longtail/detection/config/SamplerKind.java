package io.longtail.detection.config;

/** How training images are drawn each epoch. */
public enum SamplerKind {
  /** Every image once per epoch, shuffled. */
  RANDOM,
  /** LVIS repeat factor sampling (Gupta et al. 2019), threshold {@code solver.repeatThreshold}. */
  REPEAT_FACTOR,
  /** Classes uniformly, then an image of the class. */
  CLASS_AWARE
}
