package io.longtail.detection.train;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A loss term (or another monitored value such as the gradient norm) became NaN or infinite: the
 * run must stop, and the message says where and what to resume from.
 */
public final class NonFiniteLossException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long iteration;
  private final String term;
  private final double value;
  private final transient Path lastCheckpoint;

  /**
   * Creates the exception.
   *
   * @param iteration the iteration whose loss was not finite
   * @param term the name of the offending term
   * @param value its value (NaN or +-infinity)
   * @param lastCheckpoint the last checkpoint written before this iteration, if any
   */
  public NonFiniteLossException(
      long iteration, String term, double value, Optional<Path> lastCheckpoint) {
    super(message(iteration, term, value, lastCheckpoint));
    this.iteration = iteration;
    this.term = term;
    this.value = value;
    this.lastCheckpoint = lastCheckpoint.orElse(null);
  }

  private static String message(
      long iteration, String term, double value, Optional<Path> lastCheckpoint) {
    String what = Double.isNaN(value) ? "NaN" : (value > 0 ? "+Infinity" : "-Infinity");
    return term
        + " is "
        + what
        + " at iteration "
        + iteration
        + "; "
        + lastCheckpoint
            .map(p -> "the last good checkpoint is " + p)
            .orElse("no checkpoint has been written yet");
  }

  /** The iteration whose loss was not finite. */
  public long iteration() {
    return iteration;
  }

  /** The name of the offending term. */
  public String term() {
    return term;
  }

  /** The offending value. */
  public double value() {
    return value;
  }

  /** The last checkpoint written before the failure, if any. */
  public Optional<Path> lastCheckpoint() {
    return Optional.ofNullable(lastCheckpoint);
  }
}
