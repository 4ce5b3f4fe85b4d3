package io.longtail.datasets.lvis;

import io.longtail.datasets.mask.Rle;
import java.util.Arrays;

/**
 * A mask as uncompressed run-length encoding, {@code {"size": [h, w], "counts": [n0, n1, ...]}}:
 * alternating runs of 0 and 1 pixels in column-major order, starting with 0 pixels. COCO uses it
 * for crowd annotations ({@code iscrowd = 1}).
 *
 * <p>The counts are copied in and out; {@link #countsLength()} and {@link #count(int)} read without
 * copying.
 *
 * @param height mask height ({@code size[0]}), {@code >= 0}
 * @param width mask width ({@code size[1]}), {@code >= 0}
 * @param counts the run lengths, each {@code >= 0}, summing to {@code height * width}
 */
public record UncompressedRleSegmentation(int height, int width, int[] counts)
    implements Segmentation {

  /** Validates and copies the counts. */
  public UncompressedRleSegmentation {
    if (height < 0 || width < 0) {
      throw new IllegalArgumentException(
          "size must be non-negative, got [" + height + ", " + width + "]");
    }
    long sum = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new IllegalArgumentException("counts[" + i + "] must be >= 0, got " + counts[i]);
      }
      sum += counts[i];
    }
    if (sum != (long) height * width) {
      throw new IllegalArgumentException(
          "counts must sum to height * width = " + (long) height * width + ", got " + sum);
    }
    counts = counts.clone();
  }

  /** The run lengths as an {@link Rle}; the size must be {@code height x width}. */
  @Override
  public Rle toRle(int imageHeight, int imageWidth) {
    Segmentation.checkSize(height, width, imageHeight, imageWidth);
    return Rle.fromCounts(counts, height, width);
  }

  /** A copy of the run lengths. */
  @Override
  public int[] counts() {
    return counts.clone();
  }

  /** Number of runs. */
  public int countsLength() {
    return counts.length;
  }

  /** Run length {@code i}. */
  public int count(int i) {
    return counts[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UncompressedRleSegmentation other
        && height == other.height
        && width == other.width
        && Arrays.equals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * height + width) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "UncompressedRleSegmentation[height="
        + height
        + ", width="
        + width
        + ", counts="
        + Arrays.toString(counts)
        + "]";
  }
}
