package io.longtail.datasets.lvis;

import java.util.Arrays;
import java.util.Objects;

/**
 * One detection in the COCO/LVIS results format: {@code {"image_id", "category_id", "bbox",
 * "score", "segmentation": {"size": [h, w], "counts": "..."}}}. Box results carry a box,
 * segmentation results a compressed RLE mask (the official tools then derive the box from the
 * mask); at least one of the two is present.
 *
 * <p>The box array is copied in and out, so the value is immutable.
 *
 * @param imageId the image ({@code image_id})
 * @param categoryId the dataset category id ({@code category_id}), not a contiguous label
 * @param bbox {@code [x, y, w, h]} in pixels, finite, {@code w, h >= 0}; {@code null} for
 *     segmentation results without a box
 * @param score the confidence, finite
 * @param segmentation the mask as compressed RLE; {@code null} for box results
 */
public record Detection(
    long imageId, int categoryId, double[] bbox, double score, RleSegmentation segmentation) {

  /** Validates and copies the box. */
  public Detection {
    if (bbox == null && segmentation == null) {
      throw new IllegalArgumentException("a detection needs a bbox or a segmentation, got neither");
    }
    if (bbox != null) {
      bbox = Boxes.checkedCopy("bbox", bbox);
    }
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("score must be finite, got " + score);
    }
  }

  /** A copy of the box {@code [x, y, w, h]}, or {@code null} when the detection has none. */
  @Override
  public double[] bbox() {
    return bbox == null ? null : bbox.clone();
  }

  /** Whether the detection has a box. */
  public boolean hasBbox() {
    return bbox != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Detection other
        && imageId == other.imageId
        && categoryId == other.categoryId
        && Arrays.equals(bbox, other.bbox)
        && Double.compare(score, other.score) == 0
        && Objects.equals(segmentation, other.segmentation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(imageId, categoryId, Arrays.hashCode(bbox), score, segmentation);
  }

  @Override
  public String toString() {
    return "Detection[imageId="
        + imageId
        + ", categoryId="
        + categoryId
        + ", bbox="
        + Arrays.toString(bbox)
        + ", score="
        + score
        + ", segmentation="
        + segmentation
        + "]";
  }
}
