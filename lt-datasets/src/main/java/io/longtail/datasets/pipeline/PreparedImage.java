package io.longtail.datasets.pipeline;

/**
 * A decoded, transformed, normalised image on the Java heap, ready to be batched (made on worker
 * threads, which never touch an NDManager).
 *
 * @param pixels {@code 3 x height x width} floats, channel-major (RGB)
 * @param targets its ground truth; {@code targets.height()} and {@code width()} give the size
 */
public record PreparedImage(float[] pixels, ImageTargets targets) {

  /** Checks the pixel count. */
  public PreparedImage {
    long expected = 3L * targets.height() * targets.width();
    if (pixels.length != expected) {
      throw new IllegalArgumentException(
          "pixels must hold 3 x "
              + targets.height()
              + " x "
              + targets.width()
              + " = "
              + expected
              + " values, got "
              + pixels.length);
    }
  }
}
