package io.longtail.datasets.eval;

/**
 * The object-size ranges of lvis-api, on the annotation's {@code area} for ground truth and on the
 * detection's area (box {@code w * h}, or mask pixels for mask-only results) for detections. Both
 * bounds are inclusive; an object outside the range is ignored when that range is evaluated.
 */
public enum AreaRange {
  /** {@code [0, 1e5^2]}. */
  ALL("all", 0, 1e10),
  /** {@code [0, 32^2]}. */
  SMALL("small", 0, 32 * 32),
  /** {@code [32^2, 96^2]}. */
  MEDIUM("medium", 32 * 32, 96 * 96),
  /** {@code [96^2, 1e5^2]}. */
  LARGE("large", 96 * 96, 1e10);

  private final String label;
  private final double min;
  private final double max;

  AreaRange(String label, double min, double max) {
    this.label = label;
    this.min = min;
    this.max = max;
  }

  /** The lvis-api label: {@code all}, {@code small}, {@code medium} or {@code large}. */
  public String label() {
    return label;
  }

  /** Smallest area in the range (inclusive). */
  public double min() {
    return min;
  }

  /** Largest area in the range (inclusive). */
  public double max() {
    return max;
  }

  /**
   * Whether an area lies outside the range (lvis-api's ignore test: {@code a < min || a > max}).
   */
  public boolean excludes(double area) {
    return area < min || area > max;
  }
}
