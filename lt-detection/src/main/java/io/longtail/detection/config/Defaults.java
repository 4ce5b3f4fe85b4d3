package io.longtail.detection.config;

/** Helpers of the config records: defaults for missing YAML keys and named validation. */
final class Defaults {
  private Defaults() {}

  static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  static void positive(String field, Number value) {
    if (!(value.doubleValue() > 0)) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
  }

  static void nonNegative(String field, Number value) {
    if (!(value.doubleValue() >= 0)) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
  }

  static void unit(String field, Number value) {
    double v = value.doubleValue();
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(field + " must be in [0, 1], got " + value);
    }
  }
}
