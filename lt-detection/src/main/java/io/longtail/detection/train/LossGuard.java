package io.longtail.detection.train;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Stops training at the first non-finite loss term, naming the iteration, the term and the last
 * good checkpoint (detectron2 raises {@code FloatingPointError("Loss became infinite or NaN at
 * iteration=...")} the same way; we also name the term, which says which head diverged).
 *
 * <p>Call {@link #check(long, LossTerms)} after reading the losses back and before the optimizer
 * step, so a NaN never reaches the parameters and the last checkpoint stays good.
 */
public final class LossGuard {
  private final Supplier<Optional<Path>> lastCheckpoint;

  /**
   * A guard that reports the checkpoint the supplier returns at the time of failure.
   *
   * @param lastCheckpoint the last good checkpoint, looked up when a failure is reported
   */
  public LossGuard(Supplier<Optional<Path>> lastCheckpoint) {
    this.lastCheckpoint = Objects.requireNonNull(lastCheckpoint, "lastCheckpoint");
  }

  /**
   * A guard that reports the latest checkpoint of a store.
   *
   * @param store the run's checkpoint store
   * @return the guard
   */
  public static LossGuard forStore(CheckpointStore store) {
    Objects.requireNonNull(store, "store");
    return new LossGuard(store::latestPath);
  }

  /**
   * Checks every term and their total.
   *
   * @param iteration the current iteration
   * @param losses this iteration's loss terms
   * @throws NonFiniteLossException naming the first non-finite term (in order), or {@code
   *     total_loss} if only the sum overflowed
   */
  public void check(long iteration, LossTerms losses) {
    for (LossTerms.Term t : losses.terms()) {
      check(iteration, t.name(), t.value());
    }
    check(iteration, "total_loss", losses.total());
  }

  /**
   * Checks one named value, e.g. the gradient norm returned by {@link
   * SgdOptimizer#clipGradNorm(double)}.
   *
   * @param iteration the current iteration
   * @param name what the value is, for the message
   * @param value the value
   * @throws NonFiniteLossException if the value is NaN or infinite
   */
  public void check(long iteration, String name, double value) {
    if (!Double.isFinite(value)) {
      throw new NonFiniteLossException(iteration, name, value, lastCheckpoint.get());
    }
  }
}
