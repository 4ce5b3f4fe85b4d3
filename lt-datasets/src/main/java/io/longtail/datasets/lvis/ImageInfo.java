package io.longtail.datasets.lvis;

import java.util.List;
import java.util.Objects;

/**
 * An image of an LVIS or COCO annotation file (an entry of {@code images}).
 *
 * @param id the image id ({@code id}; COCO ids, shared by LVIS)
 * @param width width in pixels ({@code width}), positive
 * @param height height in pixels ({@code height}), positive
 * @param fileName path of the image file relative to an images root: {@code file_name} for LVIS
 *     v0.5 and COCO files; for LVIS v1 files, which have only {@code coco_url}, the last two parts
 *     of the URL (e.g. {@code val2017/000000397133.jpg})
 * @param negCategoryIds LVIS {@code neg_category_ids}: categories verified absent from the image;
 *     empty for COCO
 * @param notExhaustiveCategoryIds LVIS {@code not_exhaustive_category_ids}: categories whose
 *     instances are not all annotated; empty for COCO
 */
public record ImageInfo(
    long id,
    int width,
    int height,
    String fileName,
    List<Integer> negCategoryIds,
    List<Integer> notExhaustiveCategoryIds) {

  /** Validates the size and copies the lists. */
  public ImageInfo {
    if (width <= 0) {
      throw new IllegalArgumentException("width must be > 0, got " + width);
    }
    if (height <= 0) {
      throw new IllegalArgumentException("height must be > 0, got " + height);
    }
    Objects.requireNonNull(fileName, "fileName");
    negCategoryIds = List.copyOf(negCategoryIds);
    notExhaustiveCategoryIds = List.copyOf(notExhaustiveCategoryIds);
  }
}
