package io.longtail.datasets.lvis;

import io.longtail.datasets.mask.Rle;
import java.util.Objects;

/**
 * A mask as compressed run-length encoding: {@code {"size": [h, w], "counts": "..."}} with the COCO
 * string encoding of the column-major run lengths. Used by LVIS/COCO crowd annotations and by
 * segmentation results.
 *
 * @param height mask height ({@code size[0]}), {@code >= 0}
 * @param width mask width ({@code size[1]}), {@code >= 0}
 * @param compressedCounts the COCO-encoded counts string
 */
public record RleSegmentation(int height, int width, String compressedCounts)
    implements Segmentation {

  /** Validates the size. */
  public RleSegmentation {
    if (height < 0 || width < 0) {
      throw new IllegalArgumentException(
          "size must be non-negative, got [" + height + ", " + width + "]");
    }
    Objects.requireNonNull(compressedCounts, "compressedCounts");
  }

  /** The decoded counts; the size must be {@code height x width}. */
  @Override
  public Rle toRle(int imageHeight, int imageWidth) {
    Segmentation.checkSize(height, width, imageHeight, imageWidth);
    return Rle.fromString(compressedCounts, height, width);
  }
}
