package io.longtail.datasets.pipeline;

import java.util.List;

/** Collation of prepared images into one padded {@code (B, 3, H, W)} array. */
public final class Batching {

  private Batching() {}

  /** {@code value} rounded up to a multiple of {@code divisor}. */
  public static int roundUp(int value, int divisor) {
    if (divisor < 1) {
      throw new IllegalArgumentException("divisor must be >= 1, got " + divisor);
    }
    return (value + divisor - 1) / divisor * divisor;
  }

  /**
   * The padded batch size {@code [B, 3, H, W]}: {@code H} and {@code W} are the largest height and
   * width rounded up to a multiple of {@code divisibility}.
   */
  public static int[] paddedShape(List<PreparedImage> images, int divisibility) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("images must not be empty");
    }
    int h = 0;
    int w = 0;
    for (PreparedImage p : images) {
      h = Math.max(h, p.targets().height());
      w = Math.max(w, p.targets().width());
    }
    return new int[] {images.size(), 3, roundUp(h, divisibility), roundUp(w, divisibility)};
  }

  /**
   * Copies the images into one zero-padded buffer of {@link #paddedShape} (row-major).
   *
   * @return {@code B * 3 * H * W} floats
   */
  public static float[] pad(List<PreparedImage> images, int divisibility) {
    int[] shape = paddedShape(images, divisibility);
    int hp = shape[2];
    int wp = shape[3];
    float[] out = new float[shape[0] * 3 * hp * wp];
    for (int b = 0; b < images.size(); b++) {
      PreparedImage p = images.get(b);
      int h = p.targets().height();
      int w = p.targets().width();
      float[] src = p.pixels();
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < h; y++) {
          System.arraycopy(src, (c * h + y) * w, out, ((b * 3 + c) * hp + y) * wp, w);
        }
      }
    }
    return out;
  }
}
