package io.longtail.datasets.eval;

/**
 * Hears how far an evaluation is. Called from worker threads: implementations must be thread-safe.
 */
public interface ProgressListener {

  /** A listener that does nothing. */
  ProgressListener NONE = () -> {};

  /** Evaluation of the categories starts; {@code totalCategories} of them will be reported. */
  default void started(int totalCategories) {}

  /** One more category is evaluated. */
  void categoryDone();
}
