package io.longtail.core.toy;

/**
 * The usual long-tail groups by number of training examples (ImageNet-LT thresholds): many {@code >
 * 100}, medium {@code 20..100}, few {@code < 20}.
 */
public enum ClassGroup {
  /** More than 100 training examples. */
  MANY,
  /** 20 to 100 training examples. */
  MEDIUM,
  /** Fewer than 20 training examples. */
  FEW;

  /** The group of a class with {@code trainCount} training examples. */
  public static ClassGroup of(int trainCount) {
    if (trainCount > 100) {
      return MANY;
    }
    return trainCount >= 20 ? MEDIUM : FEW;
  }
}
