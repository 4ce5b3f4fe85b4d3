package io.longtail.detection.config;

/** Learning-rate decay after warm-up. */
public enum ScheduleKind {
  /** Multiply by {@code gamma} at each of {@code steps}. */
  STEP,
  /** Half cosine from the base rate to 0 at {@code maxIter}. */
  COSINE
}
