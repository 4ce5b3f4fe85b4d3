package io.longtail.segmentation.masks;

import io.longtail.datasets.mask.PixelOrder;
import io.longtail.datasets.mask.Rle;
import java.util.Arrays;

/**
 * A mask's probabilities pasted into an image: a window of the image (the pixels the box touches,
 * plus one pixel of margin) holding a probability per pixel; every pixel outside the window has
 * probability 0.
 *
 * @param imageHeight the image's height
 * @param imageWidth the image's width
 * @param x0 first column of the window
 * @param y0 first row of the window
 * @param width window width ({@code >= 0})
 * @param height window height ({@code >= 0})
 * @param probabilities {@code height * width} values in {@code [0, 1]}, row-major in the window
 */
public record PastedMask(
    int imageHeight, int imageWidth, int x0, int y0, int width, int height, float[] probabilities) {

  /** Checks that the window lies in the image and copies the values. */
  public PastedMask {
    if (imageHeight < 0 || imageWidth < 0) {
      throw new IllegalArgumentException(
          "image size must be >= 0, got " + imageHeight + "x" + imageWidth);
    }
    if (x0 < 0
        || y0 < 0
        || width < 0
        || height < 0
        || x0 + width > imageWidth
        || y0 + height > imageHeight) {
      throw new IllegalArgumentException(
          "window ("
              + x0
              + ", "
              + y0
              + ", "
              + width
              + "x"
              + height
              + ") must lie inside the "
              + imageWidth
              + "x"
              + imageHeight
              + " image");
    }
    if (probabilities.length != width * height) {
      throw new IllegalArgumentException(
          "probabilities must hold width * height = "
              + width * height
              + " values, got "
              + probabilities.length);
    }
    probabilities = probabilities.clone();
  }

  @Override
  public float[] probabilities() {
    return probabilities.clone();
  }

  /** Probability of image pixel {@code (x, y)} (0 outside the window). */
  public float probability(int x, int y) {
    int wx = x - x0;
    int wy = y - y0;
    if (wx < 0 || wy < 0 || wx >= width || wy >= height) {
      return 0f;
    }
    return probabilities[wy * width + wx];
  }

  /**
   * The binary mask {@code probability >= threshold} as a COCO run-length mask of the whole image,
   * encoded straight from the window (no full-image bitmap is made).
   *
   * @param threshold the cut, in {@code (0, 1]} (0.5 in Mask R-CNN)
   * @return the mask
   */
  public Rle toRle(float threshold) {
    checkThreshold(threshold);
    RunBuilder runs = new RunBuilder(width * height + 2 * width + 3);
    runs.add(false, (long) x0 * imageHeight);
    for (int wx = 0; wx < width; wx++) {
      runs.add(false, y0);
      for (int wy = 0; wy < height; wy++) {
        runs.add(probabilities[wy * width + wx] >= threshold, 1);
      }
      runs.add(false, imageHeight - y0 - height);
    }
    runs.add(false, (long) (imageWidth - x0 - width) * imageHeight);
    return Rle.fromCounts(runs.counts(), imageHeight, imageWidth);
  }

  /** Accumulates column-major runs (the first run counts zeros). */
  private static final class RunBuilder {
    private final int[] counts;
    private int size;
    private boolean current;
    private long run;

    RunBuilder(int capacity) {
      counts = new int[capacity];
    }

    void add(boolean value, long n) {
      if (n <= 0) {
        return;
      }
      if (value != current) {
        counts[size++] = (int) run;
        run = 0;
        current = value;
      }
      run += n;
    }

    int[] counts() {
      int[] out = Arrays.copyOf(counts, size + 1);
      out[size] = (int) run;
      return out;
    }
  }

  /**
   * The binary mask {@code probability >= threshold} as a bitmap of the whole image.
   *
   * @param threshold the cut, in {@code (0, 1]}
   * @param order layout of the result
   * @return {@code imageHeight * imageWidth} values 0 or 1
   */
  public byte[] toBitmap(float threshold, PixelOrder order) {
    checkThreshold(threshold);
    byte[] out = new byte[imageHeight * imageWidth];
    for (int wy = 0; wy < height; wy++) {
      for (int wx = 0; wx < width; wx++) {
        if (probabilities[wy * width + wx] >= threshold) {
          int x = x0 + wx;
          int y = y0 + wy;
          out[order == PixelOrder.ROW_MAJOR ? y * imageWidth + x : x * imageHeight + y] = 1;
        }
      }
    }
    return out;
  }

  private static void checkThreshold(float threshold) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
    }
  }
}
