package io.longtail.segmentation.api;

import io.longtail.datasets.lvis.Detection;
import io.longtail.datasets.lvis.RleSegmentation;
import io.longtail.datasets.mask.Masks;
import io.longtail.datasets.mask.PixelOrder;
import io.longtail.datasets.mask.Rle;
import java.util.Arrays;
import java.util.Objects;

/**
 * One segmented object: its category, score, box and mask, in the pixels of the original image.
 *
 * @param categoryId the dataset category id (e.g. an LVIS id)
 * @param categoryName the category's name
 * @param score the confidence in {@code [0, 1]}
 * @param box {@code (x1, y1, x2, y2)} in original-image pixels (4 values, copied)
 * @param mask the binary mask over the whole image, COCO run-length encoded
 */
public record SegmentedInstance(
    int categoryId, String categoryName, float score, float[] box, Rle mask) {

  /** Validates and copies the box. */
  public SegmentedInstance {
    Objects.requireNonNull(categoryName, "categoryName");
    Objects.requireNonNull(mask, "mask");
    if (box == null || box.length != 4) {
      throw new IllegalArgumentException("box must be (x1, y1, x2, y2)");
    }
    box = box.clone();
  }

  /** A copy of the box {@code (x1, y1, x2, y2)}. */
  @Override
  public float[] box() {
    return box.clone();
  }

  /** Image height (of the mask). */
  public int imageHeight() {
    return mask.height();
  }

  /** Image width (of the mask). */
  public int imageWidth() {
    return mask.width();
  }

  /** Number of mask pixels. */
  public int area() {
    return mask.area();
  }

  /** The mask as a row-major bitmap of the image, 1 on the object, 0 elsewhere. */
  public byte[] maskBitmap() {
    return Masks.decode(mask, PixelOrder.ROW_MAJOR);
  }

  /** The mask's compressed RLE string (COCO {@code counts}). */
  public String maskRleString() {
    return mask.toCompressedString();
  }

  /**
   * This instance as an LVIS/COCO result entry (box {@code [x, y, w, h]} and compressed RLE).
   *
   * @param imageId the dataset image id
   * @return the result
   */
  public Detection toDetection(long imageId) {
    return new Detection(
        imageId,
        categoryId,
        new double[] {box[0], box[1], box[2] - box[0], box[3] - box[1]},
        score,
        new RleSegmentation(mask.height(), mask.width(), mask.toCompressedString()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SegmentedInstance other
        && categoryId == other.categoryId
        && categoryName.equals(other.categoryName)
        && Float.compare(score, other.score) == 0
        && Arrays.equals(box, other.box)
        && mask.equals(other.mask);
  }

  @Override
  public int hashCode() {
    return Objects.hash(categoryId, categoryName, score, Arrays.hashCode(box), mask);
  }

  @Override
  public String toString() {
    return String.format(
        "SegmentedInstance[%s (id %d), score %.3f, box (%.1f, %.1f, %.1f, %.1f), %d pixels]",
        categoryName, categoryId, score, box[0], box[1], box[2], box[3], mask.area());
  }
}
