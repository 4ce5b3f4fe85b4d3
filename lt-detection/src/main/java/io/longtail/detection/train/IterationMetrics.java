package io.longtail.detection.train;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the training log.
 *
 * @param iteration the iteration these values belong to (0-based), {@code >= 0}
 * @param losses the named loss terms; their sum is logged as {@code total_loss}
 * @param lr the learning rate used by the iteration
 * @param secondsPerIter wall-clock seconds the iteration took (data, forward, backward, step)
 * @param time when the iteration ended
 */
public record IterationMetrics(
    long iteration, LossTerms losses, double lr, double secondsPerIter, Instant time) {
  /** Validates the fields. */
  public IterationMetrics {
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
    }
    Objects.requireNonNull(losses, "losses");
    Objects.requireNonNull(time, "time");
  }
}
